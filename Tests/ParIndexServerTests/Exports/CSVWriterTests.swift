import Foundation
import ParIndexCore
import Testing
@testable import ParIndexServer

/// The one CSV writer (issue #20, finding 6): RFC 4180 quoting, formula-looking text
/// neutralised, program-written numbers left as numbers.
@Suite struct CSVWriterTests {
    static let evil = "=HYPERLINK(\"http://evil\",\"x\")"

    static func text(_ data: Data) -> String {
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        return String(decoding: data.dropFirst(3), as: UTF8.self)
    }

    @Test(arguments: ["=1+1", "+1", "-1", "@SUM(1+1)", "\tx", "\rx", "\r\nx"])
    func textThatASpreadsheetWouldRunGetsALeadingQuote(cell: String) {
        #expect(CSVWriter.neutralised(cell) == "'" + cell)
        let line = Self.text(CSVWriter.data([[.text(cell)]]))
        #expect(line.hasPrefix("'") || line.hasPrefix("\"'"), "\(line.debugDescription)")
    }

    @Test func harmlessTextAndNumbersAreLeftAlone() {
        for s in ["Sở Nội vụ", "1.1.2", "71,5 %", "—", "tăng 3 bậc", "'đã có dấu nháy", ""] {
            #expect(CSVWriter.neutralised(s) == s)
        }
        let out = Self.text(CSVWriter.data([[.integer(-3), .number(71.5), .number(-0.25), .integer(2476), .numberOrDash(nil), .empty, .text("-3")]]))
        #expect(out == "-3,\"71,5\",\"-0,25\",2.476,—,,'-3\r\n")
    }

    @Test func fieldsAreQuotedPerRFC4180() {
        let out = Self.text(CSVWriter.data(header: ["Mã", "Tên"], rows: [[.text(Self.evil), .text("dòng 1\ndòng 2")], [.text("a;b"), .text("x\r\ny")]]))
        #expect(out == "Mã,Tên\r\n\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"dòng 1\ndòng 2\"\r\n\"a;b\",\"x\r\ny\"\r\n")
        // What the importers read back is the neutralised text, one field per cell.
        let table = try? CSVTable.read(CSVWriter.data(header: ["Mã", "Tên"], rows: [[.text("SNV"), .text(Self.evil)]]))
        #expect(table?.records.first?.fields == ["SNV", "'" + Self.evil])
    }

    @Test func xlsxWritesTextAsInlineStringsNeverFormulas() throws {
        let sheet = XLSXWriter.Sheet(name: "x", columnWidths: [], rows: [[.text(Self.evil), .bold("@SUM(1+1)"), .line("+1"), .number(-3)]])
        let xml = XLSXWriter(sheets: [sheet]).xml(sheet)
        #expect(!xml.contains("<f>") && !xml.contains("<f "))
        #expect(xml.components(separatedBy: "t=\"inlineStr\"").count == 4)
        #expect(xml.contains("=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)"))
        #expect(xml.contains("<v>-3.0</v>"))
        let book = try XLSXReader(try XLSXWriter(sheets: [sheet]).data())
        #expect(try book.rows(of: "x").first?.cells.prefix(3) == [Self.evil, "@SUM(1+1)", "+1"])
    }
}
