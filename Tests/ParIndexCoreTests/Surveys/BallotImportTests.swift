import Foundation
import Testing
@testable import ParIndexCore

/// A small questionnaire: q1–q3 required, q4 optional, the five-point scale with 0 = no opinion.
func smallQuestionnaire(mode: SurveyTargetMode = .single) -> Questionnaire {
    Questionnaire(formID: "thu", title: "Phiếu thử", version: "1", kind: mode == .single ? .sipas : .organisational,
                  source: "sipas", targetMode: mode,
                  sections: [SurveySection(code: "a", label: "Phần A"), SurveySection(code: "b", label: "Phần B")],
                  questions: [SurveyQuestion(code: "q1", label: "Câu 1", section: "a", choiceList: "muc_do", required: true),
                              SurveyQuestion(code: "q2", label: "Câu 2", section: "a", choiceList: "muc_do", required: true),
                              SurveyQuestion(code: "q3", label: "Câu 3", section: "b", choiceList: "muc_do", required: true),
                              SurveyQuestion(code: "q4", label: "Câu 4", section: "b", choiceList: "muc_do", required: false)],
                  choiceLists: ["muc_do": QuestionnaireTemplates.satisfactionScale])
}

@Suite struct BallotImportTests {
    let context = BallotImportContext(questionnaire: smallQuestionnaire(), groupCodes: ["cd", "dn"],
                                      unitCodes: ["SNV", "STP", "SYT"])
    static let header = "so_phieu,nhom,don_vi,q1,q2,q3,q4"

    func csv(_ lines: [String], context: BallotImportContext? = nil) throws -> BallotImportResult {
        try BallotImport.parseCSV(Data(lines.joined(separator: "\n").utf8), context: context ?? self.context)
    }

    func errors(_ r: BallotImportResult) -> [String] {
        r.errors.map { "\($0.row)|\($0.field ?? "-")|\($0.messageVI)" }
    }

    @Test func readsUTF8WithAndWithoutBOM() throws {
        let text = Self.header + "\n1,cd,SNV,4,5,3,\n2,dn,STP,1,2,3,0\n"
        let plain = try BallotImport.parseCSV(Data(text.utf8), context: context)
        let bom = try BallotImport.parseCSV(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)), context: context)
        #expect(plain.isValid && bom.isValid)
        #expect(plain.ballots == bom.ballots)
        #expect(plain.ballots == [
            ParsedBallot(line: 2, number: "1", group: "cd", unit: 0, answers: [3, 4, 2, 255]),
            ParsedBallot(line: 3, number: "2", group: "dn", unit: 1, answers: [0, 1, 2, 5]),
        ])
    }

    @Test func semicolonsCRLFAliasesQuotesAndBlankLines() throws {
        let text = "Số phiếu;Nhóm;Mã đơn vị;Q4;q3;q2;q1\r\n\"A-01\";cd;snv;\"5\";4 ;3;2\r\n\r\n\"B\"\"2\";DN;STP;;2;1;1\r\n\r\n\r\n"
        let r = try BallotImport.parseCSV(Data(text.utf8), context: context)
        #expect(errors(r) == [])
        #expect(r.ballots == [
            ParsedBallot(line: 2, number: "A-01", group: "cd", unit: 0, answers: [1, 2, 3, 4]),
            ParsedBallot(line: 4, number: "B\"2", group: "dn", unit: 1, answers: [0, 0, 1, 255]),
        ])
        let english = try csv(["ballot_no,group,unit,q1,q2,q3,q4", "7,cd,SYT,1,2,3,4"])
        #expect(english.isValid && english.ballots.first?.unit == 2)
    }

    @Test func quotedFieldsSpanningLinesKeepLineNumbersTrue() throws {
        let r = try csv([Self.header, "\"1\n\",cd,SNV,1,2,3,4", "2,cd,XX,1,2,3,4"])
        #expect(r.ballots.first?.number == "1\n")
        #expect(errors(r) == ["4|don_vi|Mã đơn vị “XX” không có trong danh sách đơn vị được đánh giá của đợt khảo sát."])
        #expect(throws: CSVTable.ReadError.unterminatedQuote(line: 2)) { try csv([Self.header, "\"1,cd,SNV,1,2,3,4"]) }
    }

    @Test func refusesUTF16AndWindows1258WithTheCSVTableMessages() {
        #expect(throws: CSVTable.ReadError.utf16) {
            try BallotImport.parseCSV(Data([0xFF, 0xFE] + Array("s".utf8)), context: context)
        }
        // "Nhóm" in Windows-1258: ó is 0xF3, not valid UTF-8.
        let bytes = Array("so_phieu,Nh".utf8) + [0xF3] + Array("m,don_vi".utf8)
        #expect(throws: CSVTable.ReadError.notUTF8(byteOffset: 11)) { try BallotImport.parseCSV(Data(bytes), context: context) }
        #expect(throws: CSVTable.ReadError.notUTF8(byteOffset: 14)) {
            try BallotImport.parseCSV(Data([0xEF, 0xBB, 0xBF] + bytes), context: context)
        }
        #expect(throws: CSVTable.ReadError.empty) { try BallotImport.parseCSV(Data("\n\n".utf8), context: context) }
        // Same offsets as CSVTable for the same bytes.
        #expect(throws: CSVTable.ReadError.notUTF8(byteOffset: 11)) { try CSVTable.read(Data(bytes)) }
    }

    @Test func headerMismatchIsReportedAtRowOneAndStops() throws {
        let r = try csv(["so_phieu,nhom,don_vi,q1,q1,q2,q9,,q4", "x,khong,co,gi,dung,,,,"])
        #expect(r.ballots.isEmpty && !r.isValid)
        #expect(errors(r) == [
            "1|q1|Cột “q1” bị lặp (trùng với cột thứ 4 “q1”).",
            "1|q9|Cột “q9” không có trong phiếu “thu” (cần so_phieu, nhom, don_vi và mã các câu hỏi).",
            "1|-|Cột thứ 8 không có tiêu đề.",
            "1|q3|Thiếu cột của câu hỏi “q3” (Câu 3).",
        ])
        let noUnit = try csv(["so_phieu,nhom,q1,q2,q3,q4,nhóm", "1,cd,1,1,1,1,cd"])
        #expect(errors(noUnit) == ["1|nhóm|Cột “nhóm” bị lặp (trùng với cột thứ 2 “nhom”).", "1|don_vi|Thiếu cột “don_vi”."])
    }

    @Test func everyRowErrorIsReportedWithItsRowAndColumn() throws {
        let r = try csv([
            Self.header,
            "1,cd,SNV,4,4,5,",          // 2 ok
            "2,cd,SNV,4,4",             // 3 wrong field count
            ",cd,SNV,4,4,5,",           // 4 empty number
            "4,hs,SNV,4,4,5,",          // 5 unknown group
            "5,cd,SXD,4,4,5,",          // 6 unknown unit
            "6,cd,SNV,4,7,5,",          // 7 unknown option
            "7,cd,SNV,4,,5,",           // 8 missing required answer
            "1,dn,STP,1,2,3,4",         // 9 duplicate number (single mode)
            "9,,,x,,5,6",               // 10 several errors in one row
            "10,cd,STP,1,2,3,4",        // 11 ok
        ])
        #expect(!r.isValid)
        #expect(errors(r) == [
            "3|-|Thiếu 2 cột so với dòng tiêu đề (có 5, cần 7).",
            "4|so_phieu|Thiếu số phiếu.",
            "5|nhom|Nhóm “hs” không có trong kế hoạch khảo sát; các mã hợp lệ: cd, dn.",
            "6|don_vi|Mã đơn vị “SXD” không có trong danh sách đơn vị được đánh giá của đợt khảo sát.",
            "7|q2|Mã lựa chọn “7” không hợp lệ; các mã được phép: 1, 2, 3, 4, 5, 0.",
            "8|q2|Thiếu câu trả lời (câu hỏi bắt buộc).",
            "9|so_phieu|Số phiếu “1” trùng với phiếu ở dòng 2.",
            "10|nhom|Thiếu mã nhóm người trả lời; các mã hợp lệ: cd, dn.",
            "10|don_vi|Thiếu mã đơn vị được đánh giá.",
            "10|q1|Mã lựa chọn “x” không hợp lệ; các mã được phép: 1, 2, 3, 4, 5, 0.",
            "10|q2|Thiếu câu trả lời (câu hỏi bắt buộc).",
            "10|q4|Mã lựa chọn “6” không hợp lệ; các mã được phép: 1, 2, 3, 4, 5, 0.",
        ])
        #expect(r.ballots.map(\.line) == [2, 11])
        #expect(r.errors[0].displayVI == "Dòng 3: Thiếu 2 cột so với dòng tiêu đề (có 5, cần 7).")
    }

    @Test func aFileWithOnlyAHeaderIsRefused() throws {
        let r = try csv([Self.header, "", ",,,,,,"])
        #expect(errors(r) == ["1|-|Tệp không có phiếu nào (chỉ có dòng tiêu đề)."])
    }

    @Test func errorLimitStopsAWrongFileEarly() throws {
        var limited = context
        limited.errorLimit = 3
        let r = try csv([Self.header] + (1...10).map { "\($0),cd,SNV,9,9,9,9" }, context: limited)
        #expect(r.errors.count == 4)
        #expect(r.errors.last?.messageVI.hasPrefix("Đã dừng kiểm tra sau 3 lỗi") == true)
    }

    @Test func straightLinedAndAlreadyStoredBallotsAreFlaggedNotRefused() throws {
        var ctx = context
        ctx.existingKeys = [BallotImport.key(number: "3", unit: "SNV", mode: .single)]
        let r = try csv([Self.header, "1,cd,SNV,5,5,5,", "2,cd,SNV,5,5,4,5", "3,cd,STP,0,0,0,0", "4,cd,SNV,5,5,,"], context: ctx)
        #expect(errors(r) == ["5|q3|Thiếu câu trả lời (câu hỏi bắt buộc)."])
        #expect(r.ballots.map(\.flags) == [.straightLined, [], [.straightLined, .duplicate]])
        #expect(BallotFlags([.straightLined, .duplicate]).labelsVI == ["Mọi câu trả lời giống nhau", "Trùng số phiếu đã nhập"])
        #expect(r.flaggedCount == 2)
    }

    @Test func multipleModeAllowsOneNumberPerUnitAndOneGroupPerNumber() throws {
        var ctx = BallotImportContext(questionnaire: smallQuestionnaire(mode: .multiple), groupCodes: ["cd", "dn"],
                                      unitCodes: ["SNV", "STP", "SYT"])
        ctx.existingKeys = [BallotImport.key(number: "1", unit: "SYT", mode: .multiple)]
        #expect(BallotImport.key(number: "1", unit: "SYT", mode: .multiple) != BallotImport.key(number: "1", unit: "SNV", mode: .multiple))
        let r = try csv([Self.header,
                         "1,cd,SNV,4,4,5,",   // 2
                         "1,cd,STP,4,4,5,",   // 3 same ballot, another unit: fine
                         "1,cd,SYT,3,4,5,",   // 4 fine, but already stored: flagged
                         "1,cd,SNV,4,4,4,",   // 5 same ballot rates SNV twice
                         "1,dn,SYT,4,3,5,",   // 6 another group on the same ballot (and SYT twice)
                         "01,dn,SNV,1,2,3,4", // 7 another number
                        ], context: ctx)
        #expect(errors(r) == [
            "5|so_phieu|Phiếu số “1” đã đánh giá đơn vị “SNV” ở dòng 2.",
            "6|nhom|Phiếu số “1” ở dòng 2 thuộc nhóm “cd”; một phiếu chỉ thuộc một nhóm.",
            "6|so_phieu|Phiếu số “1” đã đánh giá đơn vị “SYT” ở dòng 4.",
        ])
        #expect(r.ballots.map(\.line) == [2, 3, 4, 7])
        #expect(r.ballots.map(\.flags) == [[], [], [.duplicate], []])
    }

    @Test func rowsFromASpreadsheetGiveTheSameResultAsCSV() throws {
        let lines = ["", "Số phiếu,Nhóm,Đơn vị,q1,q2,q3,q4", "1,cd,SNV,4,5,3,", "", "1,dn,STP,1,2,3,0", "3,cd,SYT,5,5,5,5",
                     "4,xx,SYT,9,5,5,5", "5,cd,SNV"]
        let fromCSV = try csv(lines)
        let fromRows = BallotImport.parseRows(lines.map { $0.isEmpty ? [] : $0.components(separatedBy: ",") }, context: context)
        #expect(fromCSV.ballots == fromRows.ballots)
        #expect(fromCSV.errors == fromRows.errors)
        #expect(fromCSV.errors.map(\.row) == [5, 7, 7, 8])
        let offset = BallotImport.parseRows([[Self.header], ["1", "cd"]].map { $0.flatMap { $0.components(separatedBy: ",") } },
                                            firstLine: 3, context: context)
        #expect(errors(offset) == ["4|-|Thiếu 5 cột so với dòng tiêu đề (có 2, cần 7)."])
        #expect(errors(BallotImport.parseRows([], context: context)) == ["1|-|Tệp không có dữ liệu (thiếu dòng tiêu đề)."])
    }

    @Test func validateOneChecksAKeyedBallot() throws {
        let ok = BallotImport.validateOne(number: "15", group: "cd", unit: "STP", answers: ["q1": "4", "q2": "5", "q3": "0"],
                                          context: context)
        #expect(try ok.get() == ParsedBallot(line: 0, number: "15", group: "cd", unit: 1, answers: [3, 4, 5, 255]))
        let bad = BallotImport.validateOne(number: "", group: "cd", unit: "STP", answers: ["q1": "8", "q3": "1", "q9": "1"],
                                           context: context)
        guard case .failure(let e) = bad else { Issue.record("expected errors"); return }
        #expect(e.map { "\($0.row)|\($0.field ?? "-")" } == ["0|q9", "0|so_phieu", "0|q1", "0|q2"])
        #expect(e.code == "survey.invalid_ballot")
        #expect(e.messageVI.contains("Câu hỏi “q9” không có trong phiếu “thu”."))
    }
}
