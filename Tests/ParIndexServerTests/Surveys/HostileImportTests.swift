import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import ParIndexServer

/// Issue #20: one small workbook took the whole server down. The same files now get a 4xx
/// problem and the server goes on answering.
@Suite struct HostileImportTests {
    /// A one-sheet workbook whose sheet XML is `cells` (the reader needs only these three parts).
    static func workbook(sheet name: String = "Sheet1", _ cells: String) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let ns = "http://schemas.openxmlformats.org"
        let parts = [
            ("xl/workbook.xml", #"<workbook xmlns="\#(ns)/spreadsheetml/2006/main" xmlns:r="\#(ns)/officeDocument/2006/relationships"><sheets><sheet name="\#(name)" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="\#(ns)/package/2006/relationships"><Relationship Id="rId1" Type="\#(ns)/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", #"<worksheet xmlns="\#(ns)/spreadsheetml/2006/main"><sheetData>\#(cells)</sheetData></worksheet>"#),
        ]
        for (path, text) in parts {
            let d = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate,
                                 provider: { pos, size in d.subdata(in: Int(pos) ..< Int(pos) + size) })
        }
        return try #require(archive.data)
    }

    static let zzzz = #"<row r="1"><c r="ZZZZZZZZZZZZZZ1" t="inlineStr"><is><t>so_phieu</t></is></c></row>"#

    @Test(arguments: Engine.available)
    func theOverflowingWorkbookIsA4xxAndTheServerGoesOn(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SurveyTests.world(app)
            let batchID = try await SurveyTests.batch(w, form: "sipas-2022", declared: 2)
            let book = try Self.workbook(Self.zzzz)

            let dry = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true", bytes: book)
            #expect(dry.status == .unprocessableEntity, "\(dry.body.string)")
            #expect(dry.json["code"] as? String == "import.xlsx")
            #expect((dry.json["detail"] as? String)?.contains("“ZZZZZZZZZZZZZZ1” không hợp lệ") == true, "\(dry.body.string)")

            let form = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.base.campaignID)/surveys/xlsform",
                                                    bytes: try Self.workbook(sheet: "survey", Self.zzzz))
            #expect(form.status == .unprocessableEntity, "\(form.body.string)")
            #expect(form.json["code"] as? String == "import.xlsx")

            // A bomb of the probe (one far-right cell on every row) is refused the same way.
            let wide = try Self.workbook(String(repeating: #"<row><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>"#, count: 2_000))
            let bomb = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true", bytes: wide)
            #expect(bomb.status == .unprocessableEntity, "\(bomb.body.string)")
            #expect(bomb.json["code"] as? String == "import.xlsx_too_large")

            // The server is still there, and a good file still goes in.
            let after = try await w.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batchID)")
            #expect(after.status == .ok)
            let codes = SurveyTests.sipasQuestions
            let header = (["so_phieu", "nhom", "don_vi"] + codes).joined(separator: ",")
            let good = [header, SurveyTests.sipasRow("S-1", unit: "SNV", answer: "4", codes: codes)].joined(separator: "\n")
            let ok = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true", bytes: Data(good.utf8))
            #expect(ok.status == .ok, "\(ok.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func ballotImportErrorsAreCappedWithTheirTotalAndTitleRowsNamed(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SurveyTests.world(app)
            let batchID = try await SurveyTests.batch(w, form: "sipas-2022", declared: 300)
            let codes = SurveyTests.sipasQuestions
            let header = (["so_phieu", "nhom", "don_vi"] + codes).joined(separator: ",")
            let rows = (1...300).map { SurveyTests.sipasRow("S-\($0)", unit: "XYZ", answer: "4", codes: codes) }
            let res = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true",
                                                      bytes: Data(([header] + rows).joined(separator: "\n").utf8))
            #expect(res.status == .unprocessableEntity)
            #expect(res.json["code"] as? String == "import.invalid_rows")
            let listed = try #require(res.json["rows"] as? [[String: Any]])
            #expect(listed.count == 201)
            #expect(listed.last?["messageVI"] as? String == "… và 100 lỗi khác.")
            #expect(res.json["rowsTotal"] as? Int == 300)
            #expect(res.json["detail"] as? String == "Tệp có 300 lỗi; không dòng nào được nhập. Vui lòng sửa và nhập lại.")

            let titled = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true",
                                                         bytes: Data("PHIẾU KHẢO SÁT SIPAS\n\(header)\n\(rows[0])\n".utf8))
            #expect(titled.status == .unprocessableEntity)
            let first = (titled.json["rows"] as? [[String: Any]])?.first
            #expect((first?["messageVI"] as? String)?.contains("tiêu đề cột nằm ở dòng 2") == true, "\(titled.body.string)")
        }
    }
}
