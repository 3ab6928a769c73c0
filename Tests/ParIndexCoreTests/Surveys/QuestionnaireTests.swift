import Foundation
import Testing
@testable import ParIndexCore

@Suite struct QuestionnaireTests {
    @Test func sipasTemplateHasFiveElementsOfFiveQuestionsAndValidates() throws {
        let q = QuestionnaireTemplates.sipas(formID: "sipas-2024", title: "SIPAS 2024", version: "1")
        try q.validate()
        #expect(q.kind == .sipas && q.source == "sipas" && q.targetMode == .single)
        #expect(q.sections.map(\.code) == ["tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "phan_anh"])
        #expect(q.sections.map(\.label) == ["Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc",
                                            "Kết quả giải quyết", "Tiếp nhận, xử lý phản ánh, kiến nghị"])
        #expect(q.questions.count == 25)
        for s in q.sections { #expect(q.questions.filter { $0.section == s.code }.count == 5) }
        #expect(q.questions.first?.code == "tc1")
        let scale = q.choiceLists["muc_do"] ?? []
        #expect(scale.map(\.code) == ["1", "2", "3", "4", "5", "0"])
        #expect(scale.map(\.score) == [1, 2, 3, 4, 5, nil])
        #expect(scale.filter(\.satisfied).map(\.code) == ["4", "5"])
        #expect(q.maxScore == 5)
        #expect(q.pointsFormula == "max * index")
    }

    @Test func organisationalTemplateRatesSeveralUnitsOnEightFields() throws {
        let q = QuestionnaireTemplates.organisational(formID: "to-chuc-2024", title: "Khảo sát tổ chức", version: "2")
        try q.validate()
        #expect(q.kind == .organisational && q.source == "organisation_survey" && q.targetMode == .multiple)
        #expect(q.questions.count == 8)
        #expect(q.version == "2" && q.formID == "to-chuc-2024")
    }

    @Test func validateListsEveryProblem() {
        var q = QuestionnaireTemplates.sipas()
        q.questions[1].code = "tc1"                       // duplicate code
        q.questions[2].choiceList = "khong_co"            // missing list
        q.questions[3].section = "khong_co"               // missing section
        q.questions[4].code = "nhom"                      // reserved
        q.choiceLists["rong"] = []                        // empty list
        q.choiceLists["trung"] = [SurveyChoice(code: "1", label: "A", score: 1, satisfied: false),
                                  SurveyChoice(code: "1", label: "B", score: 2, satisfied: true)]
        q.pointsFormula = "max * chi_so"                  // unknown variable
        #expect {
            try q.validate()
        } throws: { error in
            guard let e = error as? SurveyError, e.code == "survey.invalid_questionnaire" else { return false }
            let text = e.issues.joined(separator: "\n")
            return e.issues.count == 7 && text.contains("“tc1” bị trùng") && text.contains("“khong_co” không có trong phiếu")
                && text.contains("thuộc phần “khong_co”") && text.contains("dành riêng")
                && text.contains("“rong” không có lựa chọn nào") && text.contains("“1” bị trùng")
                && text.contains("chi_so") && e.messageVI.hasPrefix("Phiếu khảo sát không hợp lệ")
        }
    }

    @Test func aQuestionnaireNeedsQuestions() {
        var q = QuestionnaireTemplates.sipas()
        q.questions = []
        #expect(throws: SurveyError.invalidQuestionnaire(issues: ["Phiếu không có câu hỏi nào."])) { try q.validate() }
    }

    @Test func sampleSizeFollowsYamane() {
        #expect(SampleSize.required(population: 1000) == 286)
        #expect(SampleSize.required(population: 400) == 200)
        #expect(SampleSize.required(population: 10_000) == 385)
        #expect(SampleSize.required(population: 100_000, margin: 0.03) == 1099)
        #expect(SampleSize.required(population: 0) == 0)
        #expect(SampleSize.required(population: 10) == 10)
    }
}
