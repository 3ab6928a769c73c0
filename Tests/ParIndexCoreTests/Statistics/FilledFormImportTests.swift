import Foundation
import Testing
@testable import ParIndexCore

/// The filled form read back from its own printed layout (issue #14 item 3): the sheet as the
/// export lays it out, with the edits a unit makes in Excel.
@Suite("Statistics: filled-form import")
struct FilledFormImportTests {
    let form: CompiledForm

    init() throws { form = try RepositoryForms.compiled("so-hoa-ho-so.yaml") }

    /// Lines as ``ReportFormWorkbook`` writes them (the reader drops empty lines): header block,
    /// grouped headers, the numbers row at line 10, the total row at 11, signatures from 13.
    func sheet(unit: String = "Sở Nội vụ", title: String? = nil, body: [XLSXReader.Row]? = nil) -> [XLSXReader.Row] {
        [XLSXReader.Row(line: 1, cells: ["Nghị định số 45/2020/NĐ-CP", "", "", "Đơn vị báo cáo: \(unit)"]),
         XLSXReader.Row(line: 2, cells: ["", "", "", "Đơn vị nhận báo cáo: UBND tỉnh"]),
         XLSXReader.Row(line: 4, cells: [(title ?? form.form.title).uppercased()]),
         XLSXReader.Row(line: 5, cells: ["Kỳ báo cáo: Năm 2023"]),
         XLSXReader.Row(line: 8, cells: ["STT", "Lĩnh vực, đơn vị", "Số hồ sơ đã giải quyết", "Số hóa thành phần hồ sơ", "", "Số hóa kết quả giải quyết"]),
         XLSXReader.Row(line: 9, cells: ["", "", "", "Số hồ sơ", "Tỷ lệ", "Số hồ sơ", "Tỷ lệ"]),
         XLSXReader.Row(line: 10, cells: (1...7).map { "(\($0))" })]
        + (body ?? [XLSXReader.Row(line: 11, cells: ["", "Tổng cộng", "267", "224", "83,9", "224", "83.9"], numericColumns: [2, 3, 5, 6])])
        + [XLSXReader.Row(line: 20, cells: ["", "", "", "Hà Tĩnh, ngày 15 tháng 12 năm 2023"]),
           XLSXReader.Row(line: 21, cells: ["NGƯỜI LẬP BIỂU", "", "", "THỦ TRƯỞNG ĐƠN VỊ"])]
    }

    @Test func readsTheEnteredCellsAndIgnoresTheComputedRates() throws {
        let values = try FilledFormImport.parse(rows: sheet(), form: form, unitName: "Sở Nội vụ")
        #expect(values == [CellKey(row: "tong", column: "c3"): .number(267), CellKey(row: "tong", column: "c4"): .number(224),
                           CellKey(row: "tong", column: "c6"): .number(224)])
    }

    /// A number stored as a number keeps its decimals: 1.125 typed in a percent column is not 1125.
    @Test func aSpreadsheetNumberIsNotReadWithThousandsGroups() throws {
        let amounts = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml")
        let c = try #require(amounts.form.columns.firstIndex { $0.isEntered })
        #expect(CellEntry.parse("1.125", column: amounts.form.columns[c], storedAsNumber: false) == .success(.number(1125)))
        #expect(CellEntry.parse("1125", column: amounts.form.columns[c], storedAsNumber: true) == .success(.number(1125)))
        #expect(CellEntry.parse("1.5", column: amounts.form.columns[c], storedAsNumber: true) == .failure(.notCount))
    }

    @Test func everyBadCellIsReportedWithItsLineAndColumnNumber() throws {
        let body = [XLSXReader.Row(line: 11, cells: ["", "Tổng cộng", "hai trăm", "-3", "", "2,5", ""]),
                    XLSXReader.Row(line: 12, cells: ["", "Khác", "1", "", "", "", ""])]
        let e = #expect(throws: ImportErrors.self) { try FilledFormImport.parse(rows: sheet(body: body), form: form) }
        #expect(e?.rows.map(\.displayVI) == [
            "Dòng 11, cột “(3) Số hồ sơ đã giải quyết”: “hai trăm” không phải là số (ví dụ 2.476 hoặc 82,4); cột này là số lượng.",
            "Dòng 11, cột “(4) Số hồ sơ”: số đếm phải là số nguyên không âm, không phải “-3”.",
            "Dòng 11, cột “(6) Số hồ sơ”: số đếm phải là số nguyên không âm, không phải “2,5”.",
            "Dòng 12, cột “(2)”: “Khác” không phải là một dòng của biểu (các dòng: “Tổng cộng”).",
        ])
    }

    @Test func anotherUnitsFileOrAnotherFormIsRefused() throws {
        let other = #expect(throws: ImportErrors.self) { try FilledFormImport.parse(rows: sheet(unit: "Sở Tư pháp"), form: form, unitName: "Sở Nội vụ") }
        #expect(other?.rows.map(\.messageVI) == ["Tệp là biểu của đơn vị khác (“Sở Tư pháp”), không phải của Sở Nội vụ."])
        let lastYear = #expect(throws: ImportErrors.self) {
            try FilledFormImport.parse(rows: sheet(), form: form, unitName: "Sở Nội vụ", periodLabel: "Năm 2024")
        }
        #expect(lastYear?.rows.map(\.messageVI) == ["Tệp là biểu của kỳ “Năm 2023”, không phải của kỳ “Năm 2024”: hãy tải biểu của kỳ này từ trang báo cáo."])
        #expect(try FilledFormImport.parse(rows: sheet(), form: form, unitName: "SỞ NỘI VỤ", periodLabel: "năm 2023").count == 3)
        let wrongTitle = #expect(throws: ImportErrors.self) { try FilledFormImport.parse(rows: sheet(title: "Phản ánh, kiến nghị"), form: form) }
        #expect(wrongTitle?.rows.first?.messageVI.contains("có thể đây là một biểu khác") == true)
        // A DHIS2-shaped CSV sheet has no row of column numbers.
        let csvLike = [XLSXReader.Row(line: 1, cells: ["cot", "dong", "ky", "don vi", "gia tri"])]
        let none = #expect(throws: ImportErrors.self) { try FilledFormImport.parse(rows: csvLike, form: form) }
        #expect(none?.rows.first?.messageVI.hasPrefix("Không tìm thấy dòng đánh số cột (1), (2), (3), …") == true)
    }

    @Test func aRowTwiceIsRefusedAndTheBodyEndsAtTheFirstEmptyLine() throws {
        let twice = [XLSXReader.Row(line: 11, cells: ["", "Tổng cộng", "1"]), XLSXReader.Row(line: 12, cells: ["", "tong cong", "2"])]
        let e = #expect(throws: ImportErrors.self) { try FilledFormImport.parse(rows: sheet(body: twice), form: form) }
        #expect(e?.rows.map(\.displayVI) == ["Dòng 12: Dòng “Tổng cộng” đã có ở dòng 11 của tệp."])
        // The signature lines after the gap are not read as rows, nor a line without a row label.
        #expect(try FilledFormImport.parse(rows: sheet(body: [XLSXReader.Row(line: 11, cells: ["", "Tổng cộng", "5"])]), form: form).count == 1)
        let noted = [XLSXReader.Row(line: 11, cells: ["", "Tổng cộng", "5"]), XLSXReader.Row(line: 12, cells: ["Ghi chú: số liệu tạm tính"])]
        #expect(try FilledFormImport.parse(rows: sheet(body: noted), form: form).count == 1)
    }
}
