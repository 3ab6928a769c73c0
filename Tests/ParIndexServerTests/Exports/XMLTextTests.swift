import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import ParIndexServer

/// Issue #20: one U+FFFF in a stored name made the XLSX, DOCX and PDF exports unreadable. Names are
/// now refused at input, but what is already stored must still export as well-formed XML.
@Suite struct XMLTextTests {
    /// Every character XML 1.0 forbids that a Swift string can hold, plus a few it allows.
    static let hostile = "Sở Nội vụ\u{0}\u{1}\u{8}\u{B}\u{C}\u{E}\u{1F}\u{FFFE}\u{FFFF} & <b>\"x\"\t\n\r\u{7F}\u{85}" + fdd0 + "\u{202E}"
    /// Swift refuses `\u{FDD0}` in a literal; XML allows it.
    static let fdd0 = String(Character(Unicode.Scalar(0xFDD0)!))

    static func parses(_ xml: Data) -> Bool { XMLParser(data: xml).parse() }

    static func entries(_ data: Data, suffix: String = ".xml") throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: Data] = [:]
        for entry in archive where entry.path.hasSuffix(suffix) || entry.path.hasSuffix(".rels") {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            out[entry.path] = bytes
        }
        return out
    }

    @Test func escapeDropsWhatXMLForbidsAndKeepsTheRest() {
        let escaped = XMLText.escape(Self.hostile)
        #expect(escaped == "Sở Nội vụ &amp; &lt;b&gt;&quot;x&quot;\t\n\r\u{7F}\u{85}" + Self.fdd0 + "\u{202E}")
        #expect(Self.parses(Data("<a b=\"\(escaped)\">\(escaped)</a>".utf8)))
        // The unescaped text is what broke the files.
        #expect(!Self.parses(Data("<a>\("x\u{FFFF}")</a>".utf8)))
        #expect(!Self.parses(Data("<a>\("x\u{1}")</a>".utf8)))
    }

    @Test func xlsxDocxAndSVGWithAHostileNameAreWellFormed() throws {
        let book = try XLSXWriter(sheets: [.init(name: Self.hostile, columnWidths: [20], rows: [
            [.text(Self.hostile), .bold(Self.hostile), .line(Self.hostile), .number(71.5)],
        ])]).data()
        let sheets = try Self.entries(book)
        #expect(sheets.keys.contains("xl/worksheets/sheet1.xml"))
        for (path, xml) in sheets { #expect(Self.parses(xml), "\(path)") }
        #expect(String(decoding: sheets["xl/worksheets/sheet1.xml"]!, as: UTF8.self).contains("Sở Nội vụ &amp;"))

        var doc = DOCXWriter()
        doc.add(DOCXWriter.Paragraph(Self.hostile, bold: true))
        doc.add(DOCXWriter.Table(widths: [100], rows: [[DOCXWriter.Cell(Self.hostile)]]))
        let parts = try Self.entries(try doc.data())
        #expect(parts.keys.contains("word/document.xml"))
        for (path, xml) in parts { #expect(Self.parses(xml), "\(path)") }

        let svg = SVGChart.ranking(title: Self.hostile, items: [(label: Self.hostile, percent: 71.5)])
        #expect(Self.parses(Data(svg.utf8)))
    }

    /// A unit name stored before the input rule (here written straight to the database) still
    /// gives an assessment report that opens: every XML part of the XLSX parses.
    @Test(arguments: Engine.available)
    func aStoredNameWithUFFFFStillExports(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let snv = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "SNV").first())
            snv.name = "Sở Nội vụ\u{FFFF}\u{1}"
            try await snv.save(on: app.db)
            let xlsx = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)/report")
            #expect(xlsx.status == .ok)
            let parts = try Self.entries(Data(buffer: xlsx.body))
            #expect(!parts.isEmpty)
            for (path, xml) in parts { #expect(Self.parses(xml), "\(path)") }
            let sheets = parts.filter { $0.key.hasPrefix("xl/worksheets/") }.values.map { String(decoding: $0, as: UTF8.self) }
            #expect(sheets.contains { $0.contains("Sở Nội vụ") })
        }
    }
}
