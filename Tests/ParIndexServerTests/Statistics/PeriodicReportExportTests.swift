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
@testable import ParIndexServer

/// The documents people file from periodic reports (issue #14, item 6): each file is opened
/// with a reader of its format — XLSX and DOCX unzipped and their XML checked, the CSV read
/// back by the import, the PDF (when LibreOffice is installed, as in CI) turned into text.
@Suite struct PeriodicReportExportTests {
    typealias World = PeriodicReportTests.World

    /// One part of an Office file, checked to be well-formed XML (or Excel and Word refuse the file).
    static func part(_ data: Data, _ path: String) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path], "no \(path) in the file")
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        #expect(XMLParser(data: xml).parse(), "\(path) is not well-formed XML")
        return String(decoding: xml, as: UTF8.self)
    }

    /// Sở Nội vụ's 2023 figures (seed 003, with its error 2.363 ≠ 2.463) and its digitisation (224/267).
    static func fillSNV(_ w: World, narrative: [String: String] = [:]) async throws -> String {
        let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
        let saved = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
            "version": 0,
            "values": ["tthc-ket-qua-giai-quyet": PeriodicReportTests.seed003Of2023, "so-hoa-ho-so": ["tong/c3": "267", "tong/c6": "224"]],
            "narrative": narrative,
        ])
        #expect(saved.status == .ok, "\(saved.body.string.prefix(400))")
        return snv
    }

    static func sheetRowsContaining(_ xml: String, _ text: String) -> Bool { xml.contains(">\(text)</t>") }

    @Test(arguments: Engine.available)
    func theFilledFormIsAnXLSXInTheOfficialLayout(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await Self.fillSNV(w)
            let r = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/forms/tthc-ket-qua-giai-quyet/xlsx")
            #expect(r.status == .ok, "\(r.body.string.prefix(300))")
            #expect(r.headers.contentType?.subType.contains("spreadsheetml") == true)
            #expect(r.headers.first(name: .contentDisposition)?.contains("bieu-tthc-ket-qua-giai-quyet-SNV-2023.xlsx") == true)
            let book = Data(buffer: r.body)
            let sheet = try Self.part(book, "xl/worksheets/sheet1.xml")
            for text in ["Đơn vị báo cáo: Sở Nội vụ", "Đơn vị nhận báo cáo: Tỉnh Hải Dương",
                         "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Kỳ báo cáo: Năm 2023",
                         "(Từ ngày 15/12/2022 đến ngày 14/12/2023)", "Đơn vị tính: hồ sơ",
                         "Số hồ sơ nhận giải quyết", "Trong kỳ", "Trực tiếp, dịch vụ bưu chính", "Số hồ sơ đang giải quyết",
                         "Tổng cộng", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"] {
                #expect(Self.sheetRowsContaining(sheet, text), "the form lacks “\(text)”")
            }
            #expect(sheet.contains(">Hải Dương, ngày "), "place and date under the table")
            for n in 1 ... 13 { #expect(Self.sheetRowsContaining(sheet, "(\(n))"), "column number (\(n))") }
            // Headers merged as printed: STT and the label over three rows, the groups over their
            // columns, "Trong kỳ" over (4)–(5), "Tổng số" under a group over two rows.
            for merge in ["A8:A10", "B8:B10", "C8:F8", "C9:C10", "D9:E9", "F9:F10", "G8:J8", "K8:M8", "A4:M4"] {
                #expect(sheet.contains("<mergeCell ref=\"\(merge)\"/>"), "merged \(merge)")
            }
            // The total row (12) holds numbers, not text: (3) 2.363 as typed, (4) 1.146.
            #expect(sheet.contains("<c r=\"C12\" s=\"10\"><v>2363.0</v></c>"), "\(sheet.suffix(1500))")
            #expect(sheet.contains("<c r=\"D12\" s=\"10\"><v>1146.0</v></c>"))
            #expect(!sheet.contains(">2.363<") && !sheet.contains(">2363<"), "no figure written as text")
            // A computed rate is written as its value: 224 / 267 = 83,9 %.
            let digitised = try Self.part(Data(buffer: try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/forms/so-hoa-ho-so/xlsx").body),
                                          "xl/worksheets/sheet1.xml")
            #expect(digitised.contains("<c r=\"G11\" s=\"12\"><v>83.9</v></c>"), "\(digitised.suffix(1200))")
            #expect(digitised.contains("<mergeCell ref=\"D8:E8\"/>") && digitised.contains("<mergeCell ref=\"C8:C9\"/>"))

            // Another unit's staff may not read it; a form the regime lacks is a 404; the page offers it.
            #expect(try await w.communeReporter.send(.GET, "/api/v1/report-submissions/\(snv)/forms/so-hoa-ho-so/xlsx").status == .forbidden)
            let missing = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/forms/phan-anh-kien-nghi/xlsx")
            #expect(missing.status == .notFound)
            let browser = Browser(app)
            #expect(try await browser.login("baocao.snv").status == .seeOther)
            let page = try await browser.get("/reports/submissions/\(snv)")
            #expect(page.body.string.contains("/reports/submissions/\(snv)/forms/tthc-ket-qua-giai-quyet/xlsx"))
            #expect(page.body.string.contains("/reports/submissions/\(snv)/document?format=pdf"))
            let web = try await browser.get("/reports/submissions/\(snv)/forms/tthc-ket-qua-giai-quyet/xlsx")
            #expect(web.status == .ok && web.headers.contentType?.subType.contains("spreadsheetml") == true)
            let webDocument = try await browser.get("/reports/submissions/\(snv)/document")
            #expect(webDocument.status == .ok && webDocument.headers.contentType?.subType.contains("wordprocessingml") == true)

            if PDFConverter.isAvailable {
                // LibreOffice opens the workbook: saved back as CSV, it has the figures and the signature.
                let reopened = String(decoding: try await PDFConverter.convert(book, from: "xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76,1"), as: UTF8.self)
                #expect(reopened.contains("THỦ TRƯỞNG ĐƠN VỊ") && ["2363", "2,363", "2.363"].contains(where: reopened.contains), "\(reopened.prefix(600))")
            }
        }
    }

    @Test(arguments: Engine.available)
    func thePeriodicReportIsADecree30DocumentAndAPDF(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await Self.fillSNV(w, narrative: [
                "tthc": "Năm 2023, Sở Nội vụ tiếp tục thực hiện Kế hoạch cải cách hành chính của tỉnh.\nĐã rà soát 95 thủ tục hành chính.",
                "III": "Tiếp tục số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
            ])
            // One serious error explained: the annex carries it with its explanation.
            let current = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)")
            let forms = try #require(current.json["forms"] as? [[String: Any]])
            let key = try #require(forms.flatMap { ($0["violations"] as? [[String: Any]]) ?? [] }
                .first { ($0["figures"] as? String)?.contains("2.463") == true }?["key"] as? String)
            let explained = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
                "version": 1, "explanations": [key: "Số liệu theo báo cáo gốc của Văn phòng; đang đối chiếu lại."]])
            #expect(explained.status == .ok, "\(explained.body.string.prefix(300))")

            let r = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/document")
            #expect(r.status == .ok, "\(r.body.string.prefix(300))")
            #expect(r.headers.contentType?.subType.contains("wordprocessingml") == true)
            let xml = try Self.part(Data(buffer: r.body), "word/document.xml")
            let text = xml.replacingOccurrences(of: "</w:p>", with: "\n").replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            for expected in ["UBND TỈNH HẢI DƯƠNG", "SỞ NỘI VỤ", "Số: …/BC-SNV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                             "Hải Dương, ngày ", "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính năm 2023",
                             "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", "Đã rà soát 95 thủ tục hành chính.",
                             "3. Cải cách thủ tục hành chính", "1. Công tác chỉ đạo, điều hành cải cách hành chính", "(Đơn vị chưa viết nội dung phần này.)", "Biểu: Tình hình, kết quả giải quyết thủ tục hành chính",
                             "Biểu: Kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Đơn vị tính: hồ sơ",
                             "Số hồ sơ nhận giải quyết", "(13)", "2.363", "83,9 %",
                             "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "Tiếp tục số hóa hồ sơ", "IV. ĐỀ XUẤT, KIẾN NGHỊ",
                             "Nơi nhận:", "- Tỉnh Hải Dương;", "- Lưu: VT.", "GIÁM ĐỐC",
                             "PHỤ LỤC", "CÁC SỐ LIỆU CHƯA KHỚP VÀ GIẢI TRÌNH CỦA ĐƠN VỊ", "2.363 ≠ 1.146 + 1.123 + 194 = 2.463",
                             "Số liệu theo báo cáo gốc của Văn phòng; đang đối chiếu lại."] {
                #expect(text.contains(expected), "DOCX lacks “\(expected)”")
            }
            // The motto comes before the title, the title before the narrative, the signature before the annex.
            let order = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "I. KẾT QUẢ", "IV. ĐỀ XUẤT", "Nơi nhận:", "PHỤ LỤC"]
                .map { text.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "Decree 30 order")
            // The forms' grouped headers are spanned and merged as printed.
            #expect(xml.contains("<w:gridSpan w:val=\"4\"/>") && xml.contains("<w:vMerge w:val=\"restart\"/>") && xml.contains("<w:vMerge w:val=\"continue\"/>"))
            #expect(!text.contains("SQLKit"), "no value descriptions leak into the document")
            #expect(try await w.communeReporter.send(.GET, "/api/v1/report-submissions/\(snv)/document").status == .forbidden)
            #expect(try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/document?format=odt").status == .unprocessableEntity)

            // A commune issues under its district's committee, from its own seat, signed for the committee;
            // with no figures and no narrative, the document says so rather than printing empty tables.
            let commune = try await PeriodicReportTests.submissionID(w, unit: "HNS-X1")
            let communeDoc = try await w.communeReporter.send(.GET, "/api/v1/report-submissions/\(commune)/document")
            #expect(communeDoc.status == .ok, "\(communeDoc.body.string.prefix(300))")
            let communeText = try Self.part(Data(buffer: communeDoc.body), "word/document.xml")
                .replacingOccurrences(of: "</w:p>", with: "\n").replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            for expected in ["UBND HUYỆN NAM SÁCH", "UBND XÃ SƠN HÀM", "Số: …/BC-UBND", "Sơn Hàm, ngày ", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                             "(Đơn vị chưa viết nội dung phần này.)"] {
                #expect(communeText.contains(expected), "the commune's DOCX lacks “\(expected)”")
            }
            #expect(!communeText.contains("PHỤ LỤC"), "no annex without violations")

            // A converter that fails is a 502 problem, one that hangs a 503 with Retry-After, as for the annual report.
            app.reportFiles = ReportFileCache(directory: Fixtures.tempDirectory(), converter: FailingConverter())
            let failed = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/document?format=pdf")
            #expect(failed.status == .badGateway && failed.problemCode == "export.pdf_unavailable", "\(failed.body.string.prefix(300))")
            let (script, _) = try ReportFileCacheTests.hangingSoffice()
            app.reportFiles = ReportFileCache(directory: Fixtures.tempDirectory(),
                                              converter: LibreOfficeConverter(timeout: 0.5, concurrency: 1, executable: script))
            let hung = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/document?format=pdf")
            #expect(hung.status == .serviceUnavailable && hung.headers.first(name: .retryAfter) == "60")
            #expect(hung.problemCode == "export.pdf_timeout")

            if PDFConverter.isAvailable {
                app.reportFiles = ReportFileCache(directory: Fixtures.tempDirectory(), converter: LibreOfficeConverter(timeout: 180, concurrency: 1))
                let pdf = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/document?format=pdf")
                #expect(pdf.status == .ok, "\(pdf.body.string.prefix(300))")
                #expect(Data(buffer: pdf.body).starts(with: Data("%PDF".utf8)))
                if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("periodic-\(UUID().uuidString).pdf")
                    try Data(buffer: pdf.body).write(to: file)
                    defer { try? FileManager.default.removeItem(at: file) }
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
                    p.arguments = [file.path, "-"]
                    let out = Pipe()
                    p.standardOutput = out
                    try p.run()
                    let pdfText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    p.waitUntilExit()
                    #expect(pdfText.contains("BÁO CÁO") && pdfText.contains("SỞ NỘI VỤ") && pdfText.contains("PHỤ LỤC"), "\(pdfText.prefix(400))")
                }
            }
        }
    }

    @Test(arguments: Engine.available)
    func theRollUpIsAnXLSXWithNumbersAndTheRule(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let saved = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
                "version": 0, "values": ["so-hoa-ho-so": ["tong/c3": "267", "tong/c4": "100", "tong/c6": "224"]]])
            #expect(saved.status == .ok, "\(saved.body.string.prefix(300))")
            let submitted = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "submit", "version": 1])
            #expect(submitted.status == .ok, "\(submitted.body.string.prefix(300))")
            let r = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)/rollup/so-hoa-ho-so/xlsx")
            #expect(r.status == .ok, "\(r.body.string.prefix(300))")
            let sheet = try Self.part(Data(buffer: r.body), "xl/worksheets/sheet1.xml")
            for text in ["TỔNG HỢP: KẾT QUẢ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Năm 2023 · Dòng: Tổng cộng", "Đơn vị",
                         "Số hóa kết quả giải quyết", "(3)", "(7)", "Tỉnh Hải Dương", "    Sở Nội vụ"] {
                #expect(Self.sheetRowsContaining(sheet, text), "the roll-up lacks “\(text)”")
            }
            #expect(sheet.contains("Các tỷ lệ được tính lại từ tổng của các thành phần"), "the rule sentence")
            // Numbers as numbers, the rate recomputed from the summed parts (224 / 267 = 83,9 %).
            #expect(sheet.contains("<v>267.0</v>") && sheet.contains("<v>83.9</v>") && sheet.contains("<v>37.5</v>"), "\(sheet.suffix(1500))")
            #expect(!sheet.contains(">83,9 %<"))
            for merge in ["A4:A5", "B4:B5", "C4:D4", "E4:F4", "A1:F1"] { #expect(sheet.contains("<mergeCell ref=\"\(merge)\"/>"), "merged \(merge)") }
            // Unit staff are refused it, like the roll-up page; the pages link to it.
            #expect(try await w.reporter.send(.GET, "/api/v1/report-periods/\(w.periodID)/rollup/so-hoa-ho-so/xlsx").status == .forbidden)
            let browser = Browser(app)
            #expect(try await browser.login("dieuphoi").status == .seeOther)
            #expect(try await browser.get("/reports/periods/\(w.periodID)").body.string.contains("/reports/periods/\(w.periodID)/rollup/so-hoa-ho-so/xlsx"))
            let page = try await browser.get("/reports/periods/\(w.periodID)/rollup/so-hoa-ho-so")
            #expect(page.body.string.contains("/reports/periods/\(w.periodID)/rollup/so-hoa-ho-so/xlsx"))
            #expect(page.body.string.contains("/reports/periods/\(w.periodID)/data-values/so-hoa-ho-so/csv"))
            #expect(try await browser.get("/reports/periods/\(w.periodID)/rollup/so-hoa-ho-so/xlsx").status == .ok)
        }
    }

    @Test(arguments: Engine.available)
    func theDataValuesCSVIsReadBackUnchangedByTheImport(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            _ = try await Self.fillSNV(w)
            let commune = try await PeriodicReportTests.submissionID(w, unit: "HNS-X1")
            let saved = try await w.communeReporter.send(.PUT, "/api/v1/report-submissions/\(commune)", json: [
                "version": 0, "values": ["tthc-ket-qua-giai-quyet": ["tong/c4": "12", "tong/c5": "539", "tong/c6": "0", "tong/c3": "551"]]])
            #expect(saved.status == .ok, "\(saved.body.string.prefix(300))")
            let r = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)/data-values/tthc-ket-qua-giai-quyet/csv")
            #expect(r.status == .ok, "\(r.body.string.prefix(300))")
            #expect(r.headers.contentType?.description.contains("text/csv") == true)
            let csv = Data(buffer: r.body)
            #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM")
            let lines = String(decoding: csv.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "dataelement,period,orgunit,categoryoptioncombo,value,comment")
            // One row per stored value: SNV's 10 figures and the commune's 4, units in code order.
            #expect(lines.count == 1 + 10 + 4, "\(lines)")
            #expect(lines.contains("c3,2023,SNV,tong,2.363,") && lines.contains("c5,2023,HNS-X1,tong,539,"), "\(lines)")
            #expect(lines[1].contains(",HNS-X1,"))

            // The import reads it back unchanged: into a second regime with the same units and period code…
            let regime = try await w.coordinator.send(.POST, "/api/v1/report-regimes", json: [
                "code": "cchc-ban-sao", "name": "Báo cáo CCHC (bản sao)", "ownerUnitCode": "HD",
                "unitKinds": ["department", "district", "commune"], "formCodes": ["tthc-ket-qua-giai-quyet"], "frequencies": ["year"]])
            let regimeID = try #require(regime.json["id"] as? String)
            let period = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(regimeID)/periods", json: [
                "code": "2023", "label": "Năm 2023", "frequency": "year", "startsOn": "15/12/2022", "endsOn": "14/12/2023", "deadline": Fixtures.day(30)])
            let periodID = try #require(period.json["id"] as? String)
            let imported = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(periodID)/import/tthc-ket-qua-giai-quyet",
                                                        bytes: csv)
            #expect(imported.status == .ok, "\(imported.body.string.prefix(400))")
            #expect(imported.json["rows"] as? Int == 14)
            // …whose export is the same file, byte for byte, and whose stored values are the same.
            let again = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(periodID)/data-values/tthc-ket-qua-giai-quyet/csv")
            #expect(Data(buffer: again.body) == csv)
            let first = try await ReportSubmissionModel.query(on: app.db).filter(\.$period.$id == UUID(uuidString: w.periodID)!).with(\.$unit).all()
            let second = try await ReportSubmissionModel.query(on: app.db).filter(\.$period.$id == UUID(uuidString: periodID)!).with(\.$unit).all()
            let before = Dictionary(uniqueKeysWithValues: first.map { ($0.unit.code, $0.values["tthc-ket-qua-giai-quyet"] ?? [:]) })
            let after = Dictionary(uniqueKeysWithValues: second.map { ($0.unit.code, $0.values["tthc-ket-qua-giai-quyet"] ?? [:]) })
            #expect(before == after)

            // Scoped like the roll-up: a unit's own staff are refused the whole period's values.
            let refused = try await w.reporter.send(.GET, "/api/v1/report-periods/\(w.periodID)/data-values/tthc-ket-qua-giai-quyet/csv")
            #expect(refused.status == .forbidden)
            #expect(try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)/data-values/bieu-la/csv").status == .notFound)
        }
    }
}

/// A converter whose LibreOffice fails.
struct FailingConverter: DocumentConverter {
    func pdf(fromDOCX docx: Data, name: String) async throws -> Data {
        throw PDFConverter.ConversionError.failed("mã 1")
    }
}
