import Foundation
import ParIndexFixtures
import Testing
@testable import ParIndexCore

/// The XLSX reader against hostile workbooks (issue #20): every one is refused with a
/// Vietnamese message, none traps, none costs more than ``XLSXLimits`` allows.
@Suite struct XLSXReaderTests {
    static func sheet(_ cells: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(cells)</sheetData></worksheet>"#
    }

    static func book(_ cells: String, sharedStrings: [String]? = nil) throws -> XLSXReader {
        try XLSXReader(try Workbooks.workbook([("Phiếu", sheet(cells))]))
    }

    @Test func readsAnOrdinaryWorkbookWithItsLineNumbers() throws {
        let data = try Workbooks.workbook([("Phiếu", Workbooks.sheetXML([["so_phieu", "nhom"], [], ["1", "cd"], ["4.0", "x"]]))])
        let reader = try XLSXReader(data)
        #expect(reader.sheetNames == ["Phiếu"])
        let rows = try reader.rows(of: "phiếu")
        #expect(rows.map(\.line) == [1, 3, 4])
        #expect(rows.map(\.cells) == [["so_phieu", "nhom"], ["1", "cd"], ["4", "x"]])
        // Which cells were stored as numbers: their text has a decimal point, not Vietnamese groups.
        #expect(rows.map(\.numericColumns) == [[], [0], [0]])
    }

    /// The issue's 1 KB workbook: its cell reference overflowed an Int and killed the server.
    @Test func theOverflowingCellReferenceIsACleanVietnameseError() throws {
        let reader = try Self.book(#"<row r="1"><c r="ZZZZZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>"#)
        #expect(throws: XLSXReader.ReadError.cellReference(sheet: "Phiếu", reference: "ZZZZZZZZZZZZZZ1")) { try reader.rows(of: "Phiếu") }
        let e = XLSXReader.ReadError.cellReference(sheet: "Phiếu", reference: "ZZZZZZZZZZZZZZ1")
        #expect(e.code == "import.xlsx")
        #expect(e.messageVI == "Trang “Phiếu”: địa chỉ ô “ZZZZZZZZZZZZZZ1” không hợp lệ (cột từ A đến XFD, tức tối đa 16.384 cột; dòng từ 1 đến 1.048.576).")
    }

    @Test func cellReferencesAreBoundedToExcelsGrid() {
        #expect(CellReference.parse("A1") == CellReference(column: 0, row: 1))
        #expect(CellReference.parse("AB12") == CellReference(column: 27, row: 12))
        #expect(CellReference.parse("XFD1048576") == CellReference(column: 16_383, row: 1_048_576))
        #expect(CellReference.parse("xfd3") == CellReference(column: 16_383, row: 3))
        #expect(CellReference.parse("C") == CellReference(column: 2, row: nil))
        for bad in ["XFE1", "ZZZ1", "AAAA1", "A0", "A1048577", "A99999999999999999999", "1A", "A1B", "", "A-1", "Ă1", "A 1"] {
            #expect(CellReference.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func rowNumbersSharedStringIndexesAndNumbersAreBounded() throws {
        let cases: [(String, XLSXReader.ReadError)] = [
            (#"<row r="99999999999999999999"><c><v>1</v></c></row>"#, .rowNumber(sheet: "Phiếu", text: "99999999999999999999")),
            (#"<row r="9223372036854775807"><c><v>1</v></c></row>"#, .rowNumber(sheet: "Phiếu", text: "9223372036854775807")),
            (#"<row r="0"><c><v>1</v></c></row>"#, .rowNumber(sheet: "Phiếu", text: "0")),
            (#"<row r="1048576"><c><v>1</v></c></row><row><c><v>2</v></c></row>"#, .rowNumber(sheet: "Phiếu", text: "1048577")),
            (#"<row r="1"><c r="A1" t="s"><v>-1</v></c></row>"#, .sharedString(sheet: "Phiếu", cell: "A1", index: "-1")),
            (#"<row r="1"><c r="B1" t="s"><v>0</v></c></row>"#, .sharedString(sheet: "Phiếu", cell: "B1", index: "0")),
            (#"<row r="1"><c r="C1" t="s"><v>99999999999999999999999</v></c></row>"#, .sharedString(sheet: "Phiếu", cell: "C1", index: "99999999999999999999999")),
        ]
        for (cells, error) in cases {
            let reader = try Self.book(cells)
            #expect(throws: error) { try reader.rows(of: "Phiếu") }
            #expect(error.messageVI.hasPrefix("Trang “Phiếu”"))
        }
        // Numbers too big, tiny or not finite stay as written, and never trap.
        let numbers = try Self.book(#"<row r="1"><c><v>1e308</v></c><c><v>1e400</v></c><c><v>-9.3e18</v></c><c><v>nan</v></c><c><v>5</v></c></row>"#)
        #expect(try numbers.rows(of: "Phiếu")[0].cells == ["1e308", "1e400", "-9.3e18", "nan", "5"])
    }

    @Test func styledEmptyCellsFarRightWidenNothing() throws {
        let reader = try Self.book(#"<row r="1"><c r="A1" t="inlineStr"><is><t>so_phieu</t></is></c><c r="XFD1" s="3"/></row><row r="2"><c r="A2"><v>1</v></c></row>"#)
        #expect(try reader.rows(of: "Phiếu").map(\.cells) == [["so_phieu"], ["1"]])
    }

    @Test func aDocumentTypeIsRefused() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>"#
        let reader = try XLSXReader(try Workbooks.workbook([("Phiếu", xml)]))
        #expect(throws: XLSXReader.ReadError.documentType(entry: "xl/worksheets/sheet1.xml")) { try reader.rows(of: "Phiếu") }
    }

    // MARK: Decompression bombs

    @Test func aHighlyCompressible200MBSheetIsRefusedBeforeInflating() throws {
        let bomb = try Workbooks.Bomb.hugeSheet.make()
        #expect(bomb.count < 2_000_000)
        do {
            _ = try XLSXReader(bomb)
            Issue.record("accepted")
        } catch {
            guard case .tooLarge(let declared, let limit) = error else { Issue.record("\(error)"); return }
            #expect(declared > limit && limit == 100 * 1_048_576)
            #expect(error.code == "import.xlsx_too_large")
            #expect(error.messageVI.hasPrefix("Tệp .xlsx khi giải nén quá lớn ("))
            #expect(error.messageVI.contains("tối đa 100 MB"))
        }
    }

    @Test func aRatioAbove100IsRefusedEvenUnderTheTotal() throws {
        var limits = XLSXLimits()
        limits.maxTotalUncompressedBytes = 1 << 40
        #expect(throws: XLSXReader.ReadError.compressionRatio(entry: "xl/worksheets/sheet1.xml", limit: 100)) {
            _ = try XLSXReader(try Workbooks.Bomb.hugeSheet.make(), limits: limits)
        }
    }

    @Test func anEntryWhoseHeaderLiesIsStoppedWhileInflating() throws {
        let bomb = try Workbooks.Bomb.lyingHeader.make()
        let reader = try XLSXReader(bomb)
        #expect(throws: XLSXReader.ReadError.inflatedTooLarge(entry: "xl/worksheets/sheet1.xml")) { try reader.rows(of: "Sheet1") }
        #expect(XLSXReader.ReadError.inflatedTooLarge(entry: "x").messageVI.contains("lớn hơn kích thước khai báo"))
    }

    @Test func tenThousandEntriesAreRefused() throws {
        #expect(throws: XLSXReader.ReadError.tooManyEntries(limit: 1_000)) { _ = try XLSXReader(try Workbooks.Bomb.manyEntries.make()) }
    }

    /// The 2,6 KB workbook of the issue: one far-right cell per row padded every row to 16.384 cells.
    @Test func columnXFDOnAMillionRowsIsRefused() throws {
        let bomb = try Workbooks.Bomb.wideRows.make()
        #expect(bomb.count < 200_000)
        #expect(throws: XLSXReader.ReadError.self) {
            let reader = try XLSXReader(bomb)
            _ = try reader.rows(of: "Sheet1")
        }
        // With the ratio check off, the cell limit stops it all the same.
        var limits = XLSXLimits()
        limits.maxCompressionRatio = .max
        let reader = try XLSXReader(bomb, limits: limits)
        #expect(throws: XLSXReader.ReadError.tooManyCells(sheet: "Sheet1", limit: 2_000_000)) { try reader.rows(of: "Sheet1") }
        // A couple of hundred such rows are under the ratio check's size and still refused.
        let small = try XLSXReader(try Workbooks.Bomb.wideRowsSmall.make())
        #expect(throws: XLSXReader.ReadError.tooManyCells(sheet: "Sheet1", limit: 2_000_000)) { try small.rows(of: "Sheet1") }
        #expect(XLSXReader.ReadError.tooManyCells(sheet: "Sheet1", limit: 2_000_000).messageVI
                == "Trang “Sheet1” có quá nhiều ô (tối đa 2.000.000 ô, kể cả ô trống để các dòng đủ cột). Hãy chia thành nhiều tệp hoặc xóa các cột thừa.")
    }

    @Test func paddingToTheWidestRowCountsTowardsTheLimit() throws {
        var limits = XLSXLimits()
        limits.maxCellsPerSheet = 100
        let rows = (1...20).map { #"<row r="\#($0)"><c r="A\#($0)"><v>1</v></c></row>"# }.joined()
            + #"<row r="21"><c r="J21"><v>1</v></c></row>"#
        let reader = try XLSXReader(try Workbooks.workbook([("Phiếu", Self.sheet(rows))]), limits: limits)
        #expect(throws: XLSXReader.ReadError.tooManyCells(sheet: "Phiếu", limit: 100)) { try reader.rows(of: "Phiếu") }
    }

    @Test func notAWorkbookAtAll() {
        #expect(throws: XLSXReader.ReadError.notXLSX) { _ = try XLSXReader(Data("so_phieu,nhom\n".utf8)) }
        #expect(throws: XLSXReader.ReadError.notXLSX) { _ = try XLSXReader(Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0])) }
    }
}
