import Foundation
import Testing
@testable import ParIndexCore

@Suite struct XLSFormTests {
    let groups = [RespondentGroup(code: "dbhd", name: "Đại biểu HĐND tỉnh", formID: "f", plannedBallots: 20, quotaPerUnit: 20),
                  RespondentGroup(code: "cd", name: "Người dân, doanh nghiệp", formID: "f", plannedBallots: 640, quotaPerUnit: 40)]
    let units = [(code: "SNV", name: "Sở Nội vụ"), (code: "STP", name: "Sở Tư pháp")]

    @Test func roundTripsBothTemplates() throws {
        for q in [QuestionnaireTemplates.sipas(formID: "sipas-2024", title: "SIPAS", version: "3"),
                  QuestionnaireTemplates.organisational(formID: "tc-2024", title: "Tổ chức", version: "1")] {
            let sheets = XLSForm.sheets(for: q, groups: groups, units: units)
            #expect(try XLSForm.read(sheets) == q)
        }
    }

    @Test func roundTripsUnusualForms() throws {
        var q = QuestionnaireTemplates.sipas()
        q.questions[0].section = nil
        q.questions[24].required = true
        q.pointsFormula = "min(max, max * share_satisfied + 0.5)"
        q.choiceLists["co_khong"] = [SurveyChoice(code: "c", label: "Có", score: 4.5, satisfied: true),
                                     SurveyChoice(code: "k", label: "Không", score: 0, satisfied: false)]
        q.questions.append(SurveyQuestion(code: "them", label: "Câu thêm", section: nil, choiceList: "co_khong", required: false))
        #expect(try XLSForm.read(XLSForm.sheets(for: q)) == q)
    }

    @Test func writesReservedFieldsFirstWithTheirLists() {
        let sheets = XLSForm.sheets(for: QuestionnaireTemplates.sipas(), groups: groups, units: units)
        #expect(sheets.survey[0] == ["type", "name", "label", "required", "hint"])
        #expect(sheets.survey[1...3].map { $0[1] } == ["so_phieu", "nhom", "don_vi"])
        #expect(sheets.survey[4] == ["begin_group", "tiep_can", "Tiếp cận dịch vụ", "", ""])
        #expect(sheets.survey[5][0] == "select_one muc_do")
        #expect(sheets.choices[1] == ["nhom", "dbhd", "Đại biểu HĐND tỉnh", "", ""])
        #expect(sheets.choices[3] == ["don_vi", "SNV", "Sở Nội vụ", "", ""])
        #expect(sheets.choices.contains(["muc_do", "5", "Rất hài lòng", "5", "yes"]))
        #expect(sheets.choices.contains(["muc_do", "0", "Không ý kiến", "", "no"]))
        #expect(sheets.settings[1][3...5] == ["sipas", "sipas", "single"])
    }

    /// A form as KoboToolbox exports it: metadata rows, `begin group` with a space,
    /// translated label columns, scores written `4,0` and `4,5`, `có`/`không`.
    @Test func readsAKoboStyleForm() throws {
        let sheets = XLSFormSheets(
            survey: [["type", "name", "label::Tiếng Việt (vi)", "required"],
                     ["start", "start", "", ""], ["end", "end", "", ""],
                     ["text", "so_phieu", "Số phiếu", "true"],
                     ["begin group", "phan_a", "Phần A", ""],
                     ["select_one md", "a1", "Câu A1", "TRUE"],
                     [], ["note", "ghi_chu", "Cảm ơn", ""],
                     ["end group", "", "", ""]],
            choices: [["list name", "name", "label::Tiếng Việt (vi)", "score", "satisfied"],
                      ["md", "1", "Kém", "1", "không"], ["md", "2", "Tốt", "4,0", "có"], ["md", "3", "Rất tốt", "4,5", "1"],
                      ["md", "9", "Không ý kiến", "", ""]],
            settings: [["form_title", "form_id", "kind"], ["Thử", "thu", "sipas"]])
        let q = try XLSForm.read(sheets)
        #expect(q.sections == [SurveySection(code: "phan_a", label: "Phần A")])
        #expect(q.questions == [SurveyQuestion(code: "a1", label: "Câu A1", section: "phan_a", choiceList: "md", required: true)])
        #expect(q.choiceLists["md"]?.map(\.score) == [1, 4, 4.5, nil])
        #expect(q.choiceLists["md"]?.map(\.satisfied) == [false, true, true, false])
        #expect(q.targetMode == .single && q.source == "sipas" && q.pointsFormula == "max * index" && q.version == "")
    }

    private func issues(_ sheets: XLSFormSheets) -> [XLSFormIssue] {
        do {
            _ = try XLSForm.read(sheets)
            return []
        } catch {
            #expect(error.code == "survey.invalid_xlsform")
            return error.issues
        }
    }

    private func has(_ issues: [XLSFormIssue], _ sheet: String, _ row: Int, _ field: String?, _ text: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(issues.contains { $0.sheet == sheet && $0.row == row && $0.field == field && $0.messageVI.contains(text) },
                "missing \(sheet) row \(row) \(field ?? "-") “\(text)” in \(issues.map(\.displayVI))", sourceLocation: sourceLocation)
    }

    @Test func reportsEverySurveySheetProblemWithItsRow() {
        let sheets = XLSFormSheets(
            survey: [["type", "name", "label", "required"],
                     ["select_one md", "a1", "Câu 1", "yes"],                 // 2 ok
                     ["select_one md", "a1", "Câu 1 lặp", ""],                // 3 duplicate name
                     ["select_one khong_co", "a2", "Câu 2", ""],              // 4 unknown list
                     ["select_one", "a3", "Câu 3", ""],                       // 5 no list name
                     ["select_one md", "", "Câu 4", ""],                      // 6 no name
                     ["select_one md", "a 5", "Câu 5", ""],                   // 7 invalid name
                     ["select_one md", "a6", "", ""],                         // 8 no label
                     ["select_one md", "a7", "Câu 7", "có lẽ"],               // 9 bad required
                     ["integer", "tuoi", "Tuổi", ""],                         // 10 unsupported type
                     ["end_group", "", "", ""],                               // 11 end without begin
                     ["begin_group", "p1", "Phần 1", ""],                     // 12
                     ["begin_group", "p2", "Phần 2", ""],                     // 13 nested
                     ["", "x", "Không kiểu", ""],                             // 14 no type
                     ["begin_repeat", "r", "Lặp", ""]],                       // 15 unsupported
            choices: [["list_name", "name", "label", "score", "satisfied"], ["md", "1", "Một", "1", "no"]],
            settings: [["form_id", "kind"], ["f", "sipas"]])
        let found = issues(sheets)
        has(found, "survey", 3, "name", "trùng với dòng 2")
        has(found, "survey", 4, "type", "“khong_co” không có trong trang “choices”")
        has(found, "survey", 5, "type", "Thiếu tên danh sách")
        has(found, "survey", 6, "name", "Thiếu mã câu hỏi")
        has(found, "survey", 7, "name", "“a 5” không hợp lệ")
        has(found, "survey", 8, "label", "Thiếu nội dung câu hỏi")
        has(found, "survey", 9, "required", "“có lẽ” không hợp lệ")
        has(found, "survey", 10, "type", "“integer” không được hỗ trợ")
        has(found, "survey", 11, "type", "không có “begin_group”")
        has(found, "survey", 13, "type", "lồng trong nhóm “p1” (dòng 12)")
        has(found, "survey", 14, "type", "Thiếu kiểu")
        has(found, "survey", 15, "type", "“begin_repeat” không được hỗ trợ")
        has(found, "survey", 12, "type", "“p1” mở nhưng không có “end_group”")
        #expect(found.count == 13)
        #expect(found[0].displayVI.hasPrefix("Trang “survey”, dòng 3, cột “name”: "))
    }

    @Test func reportsMissingColumnsAndEmptySheets() {
        let found = issues(XLSFormSheets(survey: [["type", "label"], ["select_one md", "Câu"]],
                                         choices: [["list_name", "label"]], settings: []))
        has(found, "survey", 1, "name", "Thiếu cột “name”")
        has(found, "choices", 1, "name", "Thiếu cột “name”")
        has(found, "choices", 1, "score", "Thiếu cột “score”")
        has(found, "choices", 1, "satisfied", "Thiếu cột “satisfied”")
        has(found, "settings", 1, nil, "cần dòng tiêu đề")
        #expect(found.count == 5)
        let empty = issues(XLSFormSheets(survey: [], choices: [], settings: [["form_id"]]))
        has(empty, "survey", 1, nil, "Trang “survey” trống")
        has(empty, "choices", 1, nil, "Trang “choices” trống")
        has(empty, "settings", 2, nil, "một dòng thông tin phiếu")
    }

    @Test func reportsEveryChoicesAndSettingsProblemWithItsRow() {
        let sheets = XLSFormSheets(
            survey: [["type", "name", "label"], ["select_one md", "a1", "Câu 1"], ["select_one kd", "a2", "Câu 2"]],
            choices: [["list_name", "name", "label", "score", "satisfied"],
                      ["md", "1", "Một", "1", "no"],            // 2 ok
                      ["md", "1", "Một lặp", "1", "no"],        // 3 duplicate
                      ["", "2", "Hai", "2", "no"],              // 4 no list name
                      ["md", "", "Ba", "3", "no"],              // 5 no name
                      ["md", "4", "", "4", "yes"],              // 6 no label
                      ["md", "5", "Năm", "năm", "yes"],         // 7 bad score
                      ["md", "6", "Sáu", "6", "có thể"],        // 8 bad satisfied
                      ["md", "a b", "Bảy", "7", "no"],          // 9 bad code
                      ["kd", "0", "Không ý kiến", "", "no"],    // 10 list without scores
                      ["nhom", "cd", "Người dân", "", ""]],     // 11 reserved, skipped
            settings: [["form_id", "kind", "target_mode", "points_formula"], ["", "khac", "vai", "max * ("]])
        let found = issues(sheets)
        has(found, "choices", 3, "name", "“1” bị trùng trong danh sách “md”")
        has(found, "choices", 4, "list_name", "Thiếu tên danh sách")
        has(found, "choices", 5, "name", "Thiếu mã lựa chọn")
        has(found, "choices", 6, "label", "Thiếu nhãn")
        has(found, "choices", 7, "score", "“năm” không phải là số")
        has(found, "choices", 8, "satisfied", "“có thể” không hợp lệ")
        has(found, "choices", 9, "name", "“a b” không hợp lệ")
        has(found, "choices", 10, "score", "“kd” không có lựa chọn nào có điểm")
        has(found, "settings", 2, "form_id", "Thiếu mã phiếu")
        has(found, "settings", 2, "kind", "“khac” không hợp lệ")
        has(found, "settings", 2, "target_mode", "“vai” không hợp lệ")
        has(found, "settings", 2, "points_formula", "Công thức “max * (”")
        #expect(found.count == 12)
    }

    @Test func aFormWithoutQuestionsIsRefused() {
        let found = issues(XLSFormSheets(survey: [["type", "name", "label"], ["text", "so_phieu", "Số phiếu"]],
                                         choices: [["list_name", "name", "label", "score", "satisfied"]],
                                         settings: [["form_id", "kind"], ["f", "organisational"]]))
        has(found, "survey", 0, nil, "không có câu hỏi")
        #expect(found.first?.displayVI == "Trang “survey”: Phiếu không có câu hỏi “select_one” nào.")
    }
}
