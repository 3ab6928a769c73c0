import Foundation
import ParIndexFixtures
import Testing
@testable import ParIndexCore

/// Import messages that say what is wrong (issue #20, point 3), for the unit CSV and the
/// ballot CSV/XLSX imports.
@Suite struct ImportMessagesTests {
    let ballots = BallotImportContext(questionnaire: smallQuestionnaire(), groupCodes: ["cd", "dn"], unitCodes: ["SNV", "STP"])
    let province = UnitImportPlan.ExistingUnit(code: "HD", kind: .province, parentCode: nil)

    func unitErrors(_ csv: String) throws -> [String] {
        guard case let .failure(e) = UnitImportPlan.plan(try CSVTable.read(Data(csv.utf8)), existing: [province]) else { return [] }
        return e.rows.map(\.displayVI)
    }

    @Test func aRowWithFewerFieldsThanTheHeaderSaysHowManyAreMissing() throws {
        let csv = """
        ma,ten,ten_viet_tat,loai,ma_cap_tren,hoat_dong
        SNV,Sở Nội vụ,,Sở,HD,Có
        SNV2,Sở Nội vụ 2,,Sở,HD,Có
        STP,Sở Tư pháp,,Sở,HD,Có
        SYT,Sở Y tế,,Sở,HD,Có
        SXD,Sở Xây dựng,,Sở,HD,Có
        SCT,Sở Công thương,,Sở
        STC,Sở Tài chính,,Sở,HD,Có,ghi chú lạc
        STT,Sở Thông tin,,Sở,HD,Có,,
        """
        #expect(try unitErrors(csv) == [
            "Dòng 7: Thiếu 2 cột so với dòng tiêu đề (có 4, cần 6).",
            "Dòng 8: Thừa 1 cột so với dòng tiêu đề (có 7, cần 6).",
        ])
        #expect(ImportRowError.fieldCount(row: 3, has: 1_200, needs: 2).messageVI == "Thừa 1.198 cột so với dòng tiêu đề (có 1.200, cần 2).")
    }

    @Test func aWorkbookSentAsCSVIsNamed() throws {
        let xlsx = try Workbooks.workbook([("Sheet1", Workbooks.sheetXML([["ma", "ten"]]))])
        #expect(throws: CSVTable.ReadError.spreadsheet(.xlsx)) { try CSVTable.read(xlsx) }
        #expect(CSVTable.ReadError.spreadsheet(.xlsx).messageVI.hasPrefix("Tệp là bảng tính Excel (.xlsx), không phải CSV: "))
        #expect(CSVTable.ReadError.spreadsheet(.xlsx).code == "import.not_csv")
        #expect(throws: CSVTable.ReadError.spreadsheet(.xls)) { try CSVTable.read(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])) }
        let ods = Workbooks.storedZIP([("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8))])
        #expect(throws: CSVTable.ReadError.spreadsheet(.ods)) { try CSVTable.read(ods) }
        // The ballot CSV reader says the same.
        #expect(throws: CSVTable.ReadError.spreadsheet(.xlsx)) { try BallotImport.parseCSV(xlsx, context: ballots) }
    }

    @Test func utf16WithoutABOMIsRecognisedByItsNULBytes() throws {
        let text = "ma,ten,loai\nSNV,Sở Nội vụ,Sở\nSTP,Sở Tư pháp,Sở\n"
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian] {
            let data = try #require(text.data(using: encoding))
            #expect(data.prefix(2) != Data([0xFF, 0xFE]) && data.prefix(2) != Data([0xFE, 0xFF]))
            #expect(throws: CSVTable.ReadError.utf16) { try CSVTable.read(data) }
            #expect(throws: CSVTable.ReadError.utf16) { try BallotImport.parseCSV(data, context: ballots) }
        }
        // Mostly Vietnamese letters outside ASCII still show enough NULs.
        let vietnamese = try #require("Mã,Tên\nSỞ,Ủy ban nhân dân tỉnh Hải Dương\n".data(using: .utf16LittleEndian))
        #expect(throws: CSVTable.ReadError.utf16) { try CSVTable.read(vietnamese) }
        // UTF-8 is untouched.
        #expect(try CSVTable.read(Data(text.utf8)).records.count == 2)
    }

    @Test func aTitleRowAboveTheHeaderNamesTheRealHeadersLine() throws {
        let units = """
        DANH SÁCH ĐƠN VỊ THAM GIA ĐÁNH GIÁ NĂM 2022,,,
        ,,,
        ma,ten,loai,ma_cap_tren
        SNV,Sở Nội vụ,Sở,HD
        """
        #expect(try unitErrors(units) == [
            "Dòng 1: Dòng tiêu đề cột phải là dòng đầu tiên của tệp, nhưng tiêu đề cột nằm ở dòng 3 (các dòng 1–2 có vẻ là tên bảng). Hãy xóa các dòng 1–2 rồi nhập lại.",
        ])
        // Without a real header anywhere, the missing columns are listed as before.
        #expect(try unitErrors("ma,ten\nX,Y\n").count == 1)

        let csv = "PHIẾU KHẢO SÁT SIPAS - ĐỢT 1\n" + BallotImportTests.header + "\n1,cd,SNV,4,5,3,\n"
        let r = try BallotImport.parseCSV(Data(csv.utf8), context: ballots)
        #expect(r.errors.map(\.displayVI) == [
            "Dòng 1: Dòng tiêu đề cột phải là dòng đầu tiên của tệp, nhưng tiêu đề cột nằm ở dòng 2 (dòng 1 có vẻ là tên bảng). Hãy xóa dòng 1 rồi nhập lại.",
        ])
        // The same in a sheet, whose empty rows the reader skips: lines are the sheet's.
        let rows = [XLSXReader.Row(line: 1, cells: ["PHIẾU KHẢO SÁT", "", "", "", "", "", ""]),
                    XLSXReader.Row(line: 4, cells: BallotImportTests.header.components(separatedBy: ",")),
                    XLSXReader.Row(line: 6, cells: ["1", "cd", "SNV", "4", "5", "3", ""])]
        #expect(BallotImport.parseRows(rows, context: ballots).errors.map(\.row) == [1])
        #expect(BallotImport.parseRows(rows, context: ballots).errors[0].messageVI.contains("nằm ở dòng 4"))
        let valid = BallotImport.parseRows(Array(rows.dropFirst()), context: ballots)
        #expect(valid.isValid && valid.ballots.map(\.line) == [6])
        let wrong = BallotImport.parseRows([rows[1], XLSXReader.Row(line: 9, cells: ["2", "xx", "SNV", "4", "5", "3", ""])], context: ballots)
        #expect(wrong.errors.map(\.row) == [9])
    }

    @Test func theListOfErrorsIsCappedAndTheTotalKept() {
        let all = (1...1_434).map { ImportRowError(row: $0 + 1, field: "Mã", messageVI: "Sai.") }
        let e = ImportErrors(rows: all)
        #expect(e.listed.count == 201)
        #expect(e.listed.prefix(200) == all.prefix(200))
        #expect(e.listed.last?.displayVI == "… và 1.234 lỗi khác.")
        #expect(e.messageVI == "Tệp có 1.434 lỗi; không dòng nào được nhập. Vui lòng sửa và nhập lại.")
        #expect(ImportErrors(rows: Array(all.prefix(200))).listed.count == 200)
    }
}
