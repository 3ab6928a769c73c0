import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ParIndexCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import ParIndexDemo
@testable import ParIndexServer

/// The annual report of the demo's published 2022 (issue 7, point 3): every format is opened
/// with a reader of its format and its content checked — DOCX and XLSX unzipped and parsed,
/// CSV read, and the PDF (when LibreOffice is installed, as in CI) turned back into text.
@Suite struct AnnualReportExportTests {
    /// The text of a DOCX's body, paragraphs joined by new lines.
    static func docxText(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        let doc = String(decoding: xml, as: UTF8.self)
        // Well-formed XML, or Word and LibreOffice refuse the file.
        #expect(XMLParser(data: xml).parse())
        return doc.replacingOccurrences(of: "</w:p>", with: "\n")
            .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test(arguments: Engine.available)
    func theAnnualReportIsGeneratedInEveryFormatFromPublishedResults(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let anyone = APIClient(app: app, token: nil)
            let docx = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=docx")
            #expect(docx.status == .ok)
            #expect(docx.headers.contentType?.subType.contains("wordprocessingml") == true)
            let text = try Self.docxText(Data(buffer: docx.body))
            for expected in ["UBND TỈNH HẢI DƯƠNG", "Số: …/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                             "Hải Dương, ngày 15 tháng 3 năm 2023", "BÁO CÁO", "Nơi nhận:",
                             // Seed 004's counts, named: 3 departments at ≥ 90 %, 2 districts; the ratings; 2.476 ballots.
                             "có 03 đơn vị (gồm: Sở Giao thông vận tải; Sở Khoa học và Công nghệ; Sở Nội vụ)",
                             "Tổng số phiếu điều tra là 2.476 phiếu", "Đại biểu HĐND tỉnh: 20 phiếu", "Người dân, doanh nghiệp: 1.620 phiếu",
                             "Biểu số A1", "Biểu số B12"] {
                #expect(text.contains(expected), "DOCX lacks “\(expected)”")
            }
            #expect(!text.contains("SQLKit"), "no value descriptions leak into the document")

            let xlsx = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=xlsx")
            let book = try XLSXReader(Data(buffer: xlsx.body))
            #expect(book.sheetNames.count == 1 + 30)
            let ranking = try book.rows(of: "Xếp hạng").map(\.cells)
            #expect(ranking.contains { $0.count > 3 && $0[2] == "Sở Giao thông vận tải" && $0[0] == "1" })
            let first = try book.rows(of: book.sheetNames[1]).map(\.cells)
            #expect(first.contains { $0.first == "1" && $0.count > 4 }, "a score table row for field 1")

            let csv = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=csv")
            let table = try CSVTable.read(Data(buffer: csv.body))
            #expect(table.records.count == 30)
            #expect(table.header.first == "Đợt đánh giá")

            if PDFConverter.isAvailable {
                // LibreOffice opens the workbook (its first sheet, saved back as CSV, is the ranking).
                let reopened = String(decoding: try await PDFConverter.convert(Data(buffer: xlsx.body), from: "xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76,1"), as: UTF8.self)
                #expect(reopened.contains("Sở Giao thông vận tải"), "\(reopened.prefix(300))")
                // The server's 60 s limit is for a user waiting; a CI machine running the whole suite
                // in parallel has been slower than that (the stop of 02/12/2026 failed here).
                app.reportFiles = ReportFileCache(directory: Fixtures.tempDirectory(), converter: LibreOfficeConverter(timeout: 180, concurrency: 1))
                let pdf = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=pdf")
                #expect(pdf.status == .ok, "\(pdf.body.string.prefix(300))")
                #expect(Data(buffer: pdf.body).starts(with: Data("%PDF".utf8)))
                if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).pdf")
                    try Data(buffer: pdf.body).write(to: file)
                    defer { try? FileManager.default.removeItem(at: file) }
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
                    p.arguments = ["-l", "6", file.path, "-"]
                    let out = Pipe()
                    p.standardOutput = out
                    try p.run()
                    let pdfText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    p.waitUntilExit()
                    #expect(pdfText.contains("BÁO CÁO") && pdfText.contains("Sở Nội vụ"), "\(pdfText.prefix(300))")
                    // The charts are vector pictures: their titles are text in the PDF.
                    #expect(pdfText.contains("Số đơn vị theo nhóm"), "the band chart is drawn in the PDF")
                }
            }
        }
    }

    @Test(arguments: Engine.available)
    func unpublishedYearsAreNotPublicAndStaffGetADraft(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let anyone = APIClient(app: app, token: nil)
            let none = try await anyone.send(.GET, "/api/v1/public/reports/2023")
            #expect(none.status == .notFound)
            #expect(none.body.string.contains("năm 2023"))
            #expect(try await anyone.send(.GET, "/api/v1/public/reports/2022?format=odt").status == .unprocessableEntity)
            #expect(try await anyone.send(.GET, "/api/v1/reports/annual/2023").status == .unauthorized)

            let coordinatorID = try #require(try await UserModel.query(on: app.db).filter(\.$username == "dieuphoi").first()?.id)
            let coordinator = APIClient(app: app, token: try await Fixtures.token(app, userID: coordinatorID))
            let draft = try await coordinator.send(.GET, "/api/v1/reports/annual/2023?format=docx")
            #expect(draft.status == .ok)
            #expect(draft.headers.first(name: .contentDisposition)?.contains("du-thao") == true)
            #expect(try Self.docxText(Data(buffer: draft.body)).contains("Dự thảo"))

            let reporterID = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first()?.id)
            let reporter = APIClient(app: app, token: try await Fixtures.token(app, userID: reporterID))
            #expect(try await reporter.send(.GET, "/api/v1/reports/annual/2023").status == .forbidden)

            // Score sheets: public for the published 2022, live for staff in 2023, explained to the leaf.
            let campaigns = Dictionary(uniqueKeysWithValues: try await CampaignModel.query(on: app.db).all().map { ($0.name, $0.id!) })
            let dept2022 = try #require(campaigns[DemoCampaigns.name(.department, year: 2022)])
            let dept2023 = try #require(campaigns[DemoCampaigns.name(.department, year: 2023)])
            let sheet = try await anyone.send(.GET, "/api/v1/public/campaigns/\(dept2022)/units/SNV")
            #expect(sheet.status == .ok, "\(sheet.body.string.prefix(300))")
            let rows = try #require(sheet.json["rows"] as? [[String: Any]])
            #expect(rows.count > 40)
            let survey = try #require(rows.first { $0["code"] as? String == "8.2" })
            #expect((survey["finalDisplay"] as? String) != "—" && (survey["selfDisplay"] as? String) == "—", "survey points are not self-scored")
            #expect(rows.contains { ($0["note"] as? String)?.isEmpty == false }, "an appraiser's reason shows")
            #expect(rows.allSatisfy { ($0["explanation"] as? String)?.isEmpty == false })
            #expect(sheet.json["rating"] as? String == HeadRating.excellent.labelVI)
            #expect(try await anyone.send(.GET, "/api/v1/public/campaigns/\(dept2023)/units/SNV").status == .notFound)
            let live = try await coordinator.send(.GET, "/api/v1/campaigns/\(dept2023)/units/SNV/score-sheet")
            #expect(live.status == .ok)
            let fields = try #require(live.json["fields"] as? [[String: Any]])
            #expect(fields.contains { $0["lastYear"] as? String != "—" }, "2023 compares with the published 2022")
            #expect((live.json["trendChart"] as? String)?.contains(">2022</text>") == true, "the trend starts with the published 2022")
            #expect(try await reporter.send(.GET, "/api/v1/campaigns/\(dept2023)/units/SNV/score-sheet").status == .forbidden)
            let page = try await app.testing().sendRequest(.GET, "/public/campaigns/\(dept2022)")
            #expect(page.body.string.contains("<svg") && page.body.string.contains("/public/campaigns/\(dept2022)/units/SNV"))
            #expect(page.body.string.contains("/public/reports/2022?format=pdf"), "the public page offers the year's report")
            // The published ranking as files: numbers as numbers in XLSX, Vietnamese notation in CSV.
            let rankingBook = try XLSXReader(Data(buffer: try await anyone.send(.GET, "/api/v1/public/campaigns/\(dept2022)?format=xlsx").body))
            let rankingRows = try rankingBook.rows(of: "Xếp hạng").map(\.cells)
            let first = try #require(rankingRows.first { $0.count > 5 && $0[0] == "1" })
            #expect(first[1] == "SGTVT" && Double(first[5]).map { $0 > 90 } == true, "\(first)")
            let rankingCSV = try CSVTable.read(Data(buffer: try await anyone.send(.GET, "/public/campaigns/\(dept2022)?format=csv").body))
            #expect(rankingCSV.header.first == "Hạng" && rankingCSV.records.count == 18)
            #expect(rankingCSV.records.first?.fields[5].contains(",") == true, "index written 92,22")
            let sheetPage = try await app.testing().sendRequest(.GET, "/public/campaigns/\(dept2022)/units/SNV")
            #expect(sheetPage.status == .ok && sheetPage.body.string.contains("Bảng điểm: Sở Nội vụ"))
        }
    }
}
