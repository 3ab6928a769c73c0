import Foundation
import Testing
@testable import ParIndexCore

@Suite struct CSVTableTests {
    @Test func readsUTF8WithAndWithoutBOM() throws {
        let text = "ma,ten\nSNV,Sở Nội vụ\n"
        let plain = try CSVTable.read(Data(text.utf8))
        let bom = try CSVTable.read(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        #expect(plain == bom)
        #expect(plain.header == ["ma", "ten"])
        #expect(plain.records == [.init(line: 2, fields: ["SNV", "Sở Nội vụ"])])
    }

    @Test func quotedFieldsMayHoldDelimitersQuotesAndNewlinesAndLinesStayTrue() throws {
        let t = try CSVTable.parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\r\nlast,row")
        #expect(t.records.map(\.fields) == [["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", "row"]])
        #expect(t.records.map(\.line) == [2, 3, 5])
    }

    @Test func semicolonDelimiterFromVietnameseExcel() throws {
        let t = try CSVTable.parse("ma;ten\nSNV;Sở Nội vụ")
        #expect(t.records.first?.fields == ["SNV", "Sở Nội vụ"])
    }

    @Test func refusesOtherEncodingsClearly() {
        #expect(throws: CSVTable.ReadError.utf16) { try CSVTable.read(Data([0xFF, 0xFE, 0x61, 0x00])) }
        // "Sở" in Windows-1258 is 0x53 0xD5 (not valid UTF-8).
        #expect(throws: CSVTable.ReadError.notUTF8(byteOffset: 7)) { try CSVTable.read(Data(Array("ma,ten\n".utf8) + [0xD5, 0x53])) }
        let e = CSVTable.ReadError.notUTF8(byteOffset: 0)
        #expect(e.messageVI.contains("UTF-8"))
    }

    @Test func emptyAndUnterminated() {
        #expect(throws: CSVTable.ReadError.empty) { try CSVTable.parse("\n\n") }
        #expect(throws: CSVTable.ReadError.unterminatedQuote(line: 2)) { try CSVTable.parse("a,b\n\"open,x\n") }
    }

    @Test func findsColumnsWhateverTheAccentsCaseOrUnderscores() throws {
        let t = try CSVTable.parse("Mã đơn vị,TÊN,ten_viet_tat\n")
        #expect(t.column(["ma don vi"]) == 0)
        #expect(t.column(["ten"]) == 1)
        #expect(t.column(["ten viet tat"]) == 2)
        #expect(t.column(["loai"]) == nil)
    }
}
