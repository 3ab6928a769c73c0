import Foundation
import Testing
@testable import ParIndexCore

/// Official survey results as figures (issue #12 item 2): what the Ministry publishes, per unit.
@Suite("Surveys: official results import")
struct OfficialSurveyImportTests {
    let context = OfficialSurveyContext(surveyLeaves: ["8.1": 10, "8.2": 18.5], allLeaves: ["1.1", "8.1", "8.2"],
                                        unitCodes: ["SNV", "SYT"], ballotLeaves: [])

    @Test func pointsOrAnIndexWithTheirDocument() throws {
        let csv = """
        Mã đơn vị,Tiêu chí,Điểm,Chỉ số,Số văn bản,Ngày văn bản
        SNV,8.1,"8,75",,123/BNV-CCHC,15/03/2024
        SYT,8.1,,"82,4",123/BNV-CCHC,15/03/2024
        SNV,8.2,"18,5",,45/KQ-ĐHKT,01/04/2024
        """
        let r = try OfficialSurveyImport.parse(Data(csv.utf8), context: context)
        #expect(r.map(\.points) == [8.75, 8.24, 18.5])
        #expect(r[1].indexPercent == 82.4 && r[1].documentDate == CalendarDay(2024, 3, 15))
        #expect(r[0].sourceVI == "theo kết quả điều tra xã hội học chính thức (văn bản số 123/BNV-CCHC ngày 15/03/2024)")
    }

    @Test func everyBadRowIsNamedAndNothingIsReturned() throws {
        let csv = """
        ma don vi,tieu chi,diem,chi so,so van ban,ngay van ban
        SNV,1.1,1,,1/BNV,15/03/2024
        SNV,9.9,1,,1/BNV,15/03/2024
        XYZ,8.1,1,,1/BNV,15/03/2024
        SNV,8.1,11,,1/BNV,15/03/2024
        SYT,8.1,,120,1/BNV,15/03/2024
        SNV,8.2,-1,,1/BNV,15/03/2024
        SYT,8.2,1,50,1/BNV,15/03/2024
        SYT,8.1,1,,,31/02/2024
        SYT,8.1,2,,1/BNV,15/03/2024
        """
        let e = #expect(throws: ImportErrors.self) { try OfficialSurveyImport.parse(Data(csv.utf8), context: context) }
        #expect(e?.rows.map(\.displayVI) == [
            "Dòng 2, cột “tieu_chi”: Tiêu chí 1.1 không phải tiêu chí điều tra xã hội học: điểm của nó do đơn vị tự chấm và được thẩm định.",
            "Dòng 3, cột “tieu_chi”: Bộ chỉ số không có tiêu chí “9.9”.",
            "Dòng 4, cột “ma_don_vi”: Đơn vị “XYZ” không thuộc đợt đánh giá.",
            "Dòng 5, cột “diem”: Số điểm 11 vượt điểm tối đa 10 của tiêu chí 8.1.",
            "Dòng 6, cột “chi_so”: Chỉ số phải từ 0 đến 100 % (có 120).",
            "Dòng 7, cột “diem”: Số điểm không được âm (có -1).",
            "Dòng 8, cột “diem”: Chỉ ghi số điểm hoặc chỉ số (%), không ghi cả hai.",
            "Dòng 9, cột “so_van_ban”: Cần số văn bản công bố kết quả (tối đa 100 ký tự), ví dụ 123/BNV-CCHC.",
            "Dòng 9, cột “ngay_van_ban”: Ngày văn bản “31/02/2024” không hợp lệ (dd/mm/yyyy).",
            "Dòng 9, cột “tieu_chi”: Trùng với dòng 6 (cùng đơn vị và tiêu chí).",
            "Dòng 10, cột “tieu_chi”: Trùng với dòng 6 (cùng đơn vị và tiêu chí).",
        ])
    }

    @Test func aCriterionScoredFromBallotsTakesNoOfficialResult() throws {
        var c = context
        c.ballotLeaves = ["8.1"]
        let e = #expect(throws: ImportErrors.self) {
            try OfficialSurveyImport.parse(Data("ma don vi,tieu chi,diem,so van ban,ngay van ban\nSNV,8.1,5,1/BNV,15/03/2024\n".utf8), context: c)
        }
        #expect(e?.rows.first?.messageVI.contains("đã lấy điểm từ phiếu điều tra") == true)
        let noValue = #expect(throws: ImportErrors.self) {
            try OfficialSurveyImport.parse(Data("ma don vi,tieu chi,so van ban,ngay van ban\nSNV,8.1,1/BNV,15/03/2024\n".utf8), context: context)
        }
        #expect(noValue?.rows.first?.messageVI.hasPrefix("Cần cột “diem”") == true)
    }
}
