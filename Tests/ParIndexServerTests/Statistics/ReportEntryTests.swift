import Fluent
import Foundation
import ParIndexCore
import ParIndexFixtures
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Entering a periodic report (issue #14 item 3): the check while typing, the filled form's own
/// XLSX back from Excel, and the regime's outline the narrative is written under (item 1).
@Suite struct ReportEntryTests {
    typealias World = PeriodicReportTests.World
    static let form = "tthc-ket-qua-giai-quyet"

    /// A sheet laid out as the exported form is (what a unit sends back after Excel), with the
    /// total row's cells given; `unit` and `period` as its header lines say.
    static func layout(unit: String = "Sở Nội vụ", period: String = "Năm 2023", total: [String]) throws -> Data {
        let numbers = (1...13).map { "(\($0))" }
        let rows: [[String]] = [
            ["Biểu mẫu 06, Thông tư số 01/2020/TT-VPCP", "", "", "", "", "", "Đơn vị báo cáo: \(unit)"],
            ["", "", "", "", "", "", "Đơn vị nhận báo cáo: Tỉnh Hải Dương"], [],
            ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"], ["Kỳ báo cáo: \(period)"], [], [],
            ["STT", "Lĩnh vực, đơn vị", "Số hồ sơ nhận giải quyết"], numbers,
            ["", "Tổng cộng"] + total, [], ["", "", "", "", "", "", "NGƯỜI LẬP BIỂU"],
        ]
        return try Workbooks.workbook([(form, Workbooks.sheetXML(rows))])
    }

    static func values(_ w: World, _ id: String) async throws -> [String: String] {
        let s = try await ReportSubmissionModel.find(UUID(uuidString: id), on: w.app.db)
        return try #require(s).values[form] ?? [:]
    }

    @Test(arguments: Engine.available)
    func theCheckWhileTypingShowsTheErrorAndSavesNothing(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let r = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/check", json: [
                "values": [Self.form: PeriodicReportTests.seed003Of2023.merging(["tong/c8": "hai"]) { $1 }]])
            #expect(r.status == .ok, "\(r.body.string.prefix(300))")
            #expect(r.body.string.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463"))
            #expect((r.json["blocking"] as? Int ?? 0) >= 1)
            // The bad cell is named, with its place, and the rest is still checked.
            let problems = try #require(r.json["problems"] as? [[String: Any]])
            #expect(problems.map { $0["field"] as? String } == ["values.\(Self.form).tong/c8"])
            #expect((problems.first?["message"] as? String)?.contains("cột (8) “Trước hạn”: “hai” không phải là số") == true)
            // The flagged cells come back for the page to mark.
            let sheet = try #require((r.json["forms"] as? [[String: Any]])?.first { $0["code"] as? String == Self.form })
            let cells = ((sheet["rows"] as? [[String: Any]]) ?? []).flatMap { ($0["cells"] as? [[String: Any]]) ?? [] }
            #expect(cells.contains { $0["key"] as? String == "tong/c3" && $0["flagged"] as? Bool == true })
            // Nothing was saved: the report is still empty at version 0.
            #expect(try await Self.values(w, snv).isEmpty)
            let after = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)")
            #expect(after.headers.first(name: .eTag) == "\"0\"")
            // A unit outside the reader's scope cannot probe another's report.
            let other = try await w.communeReporter.send(.POST, "/api/v1/report-submissions/\(snv)/check", json: ["values": [:]])
            #expect(other.status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func theFilledFormComesBackFromExcelAllOrNothing(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let path = "/api/v1/report-submissions/\(snv)/forms/\(Self.form)/import"
            // Seed 003's 2023 row as Sở Nội vụ would type it in Excel: numbers as numbers.
            let row = ["2363", "1146", "1123", "194", "2198", "", "2198", "0", "165", "165", "0"]
            let dry = try await w.reporter.send(.POST, path + "?dryRun=true", bytes: try Self.layout(total: row))
            #expect(dry.status == .ok, "\(dry.body.string.prefix(400))")
            #expect(dry.json["values"] as? Int == 10 && dry.json["changed"] as? Int == 10 && dry.json["dryRun"] as? Bool == true)
            #expect(try await Self.values(w, snv).isEmpty)

            let done = try await w.reporter.send(.POST, path + "?version=0", bytes: try Self.layout(total: row))
            #expect(done.status == .ok, "\(done.body.string.prefix(400))")
            let stored = try await Self.values(w, snv)
            #expect(stored["tong/c3"] == "2363.0" && stored["tong/c4"] == "1146.0" && stored["tong/c8"] == nil && stored.count == 10)
            // The import is a save: its rules ran, seed 003's error is shown.
            #expect(done.body.string.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463"))

            // The form exported from the report reads back unchanged.
            let exported = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)/forms/\(Self.form)/xlsx")
            let again = try await w.reporter.send(.POST, path + "?dryRun=true", bytes: Data(buffer: exported.body))
            #expect(again.status == .ok, "\(again.body.string.prefix(400))")
            #expect(again.json["values"] as? Int == 10 && again.json["changed"] as? Int == 0)

            // Every bad cell with its line and column; nothing stored.
            let bad = try await w.reporter.send(.POST, path + "?version=1",
                                                bytes: try Self.layout(total: ["2363", "nhiều", "-1", "194", "2198", "", "2198", "0", "1,5", "165", "0"]))
            #expect(bad.status == .unprocessableEntity)
            let rows = ((bad.json["rows"] as? [[String: Any]]) ?? []).map { "\($0["row"] ?? "") \($0["field"] ?? ""): \($0["messageVI"] ?? "")" }
            #expect(rows == ["10 (4) Trực tuyến: “nhiều” không phải là số (ví dụ 2.476 hoặc 82,4); cột này là số lượng.",
                             "10 (5) Trực tiếp, dịch vụ bưu chính: số đếm phải là số nguyên không âm, không phải “-1”.",
                             "10 (11) Tổng số: số đếm phải là số nguyên không âm, không phải “1,5”."])
            #expect(try await Self.values(w, snv) == stored)

            // Another unit's file, last year's file, a stale version: refused, nothing stored.
            let other = try await w.reporter.send(.POST, path + "?version=1", bytes: try Self.layout(unit: "Sở Tư pháp", total: row))
            #expect(other.status == .unprocessableEntity && other.body.string.contains("Tệp là biểu của đơn vị khác (“Sở Tư pháp”)"))
            let lastYear = try await w.reporter.send(.POST, path + "?version=1", bytes: try Self.layout(period: "Năm 2022", total: row))
            #expect(lastYear.body.string.contains("Tệp là biểu của kỳ “Năm 2022”, không phải của kỳ “Năm 2023”"))
            let stale = try await w.reporter.send(.POST, path + "?version=0", bytes: try Self.layout(total: ["1"] + row.dropFirst()))
            #expect(stale.status == .conflict)
            let csv = try await w.reporter.send(.POST, path + "?version=1", bytes: Data("cot,dong,ky\n".utf8))
            #expect(csv.status == .unprocessableEntity && csv.body.string.contains("không phải bảng tính Excel"))
            #expect(try await Self.values(w, snv) == stored)
            // Only the unit's own staff import its report.
            let outsider = try await w.communeReporter.send(.POST, path + "?version=1", bytes: try Self.layout(total: row))
            #expect(outsider.status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func aRegimesOwnOutlineShapesThePeriodsOpenedAfterIt(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            // A broken outline is refused with its lines.
            let broken = try await w.coordinator.send(.PUT, "/api/v1/report-regimes/\(w.regimeID)/outline", json: [
                "outline": "I | Kết quả\n    a | Quá sâu\nII | Biểu lạ | dich-vu-cong-truc-tuyen"])
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.body.string.contains("Dòng 2: Mục thụt vào sâu hơn một cấp"))
            #expect(broken.body.string.contains("Dòng 3: Giá trị \\\"dich-vu-cong-truc-tuyen\\\" của 'biểu mẫu' không hợp lệ"))
            let outline = """
            I | Kết quả thực hiện nhiệm vụ
              tuyen_truyen | Công tác tuyên truyền cải cách hành chính
              tthc | Kiểm soát thủ tục hành chính | tthc-ket-qua-giai-quyet
            II | Phương hướng kỳ tới
            """
            let updated = try await w.coordinator.send(.PUT, "/api/v1/report-regimes/\(w.regimeID)/outline", json: ["outline": outline])
            #expect(updated.status == .ok, "\(updated.body.string.prefix(400))")
            let sections = try #require(updated.json["outline"] as? [[String: Any]])
            #expect(sections.map { "\($0["number"] ?? "") \($0["title"] ?? "")" } == [
                "I. Kết quả thực hiện nhiệm vụ", "1. Công tác tuyên truyền cải cách hành chính", "2. Kiểm soát thủ tục hành chính", "II. Phương hướng kỳ tới"])
            #expect(updated.json["outlineText"] as? String == outline)
            // Only the regime's managers change it.
            let reporter = try await w.reporter.send(.PUT, "/api/v1/report-regimes/\(w.regimeID)/outline", json: ["outline": ""])
            #expect(reporter.status == .forbidden)

            // The period already open keeps the seven areas; the next one is written under the new outline.
            let snv2023 = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let old = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv2023)")
            #expect(((old.json["narrative"] as? [[String: Any]]) ?? []).count == 12)
            let next = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(w.regimeID)/periods", json: [
                "code": "2024", "label": "Năm 2024", "frequency": "year", "startsOn": "15/12/2023", "endsOn": "14/12/2024", "deadline": Fixtures.day(60)])
            let w2 = World(app: app, p: w.p, coordinator: w.coordinator, reporter: w.reporter, districtHead: w.districtHead,
                           communeReporter: w.communeReporter, regimeID: w.regimeID, periodID: next.json["id"] as? String ?? "")
            let snv2024 = try await PeriodicReportTests.submissionID(w2, unit: "SNV")
            let fresh = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv2024)")
            let narrative = try #require(fresh.json["narrative"] as? [[String: Any]])
            #expect(narrative.map { $0["code"] as? String } == ["tuyen_truyen", "tthc", "II"])
            #expect(narrative.first?["headings"] as? [String] == ["I. Kết quả thực hiện nhiệm vụ"])
            // Text goes under a section without sub-sections; a heading or an unknown code is refused.
            let heading = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv2024)", json: [
                "version": 0, "narrative": ["I": "x", "chi_dao": "y"]])
            #expect(heading.status == .unprocessableEntity && heading.body.string.contains("Đề cương của kỳ báo cáo không có mục “I” để viết nội dung."))
            let written = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv2024)", json: [
                "version": 0, "narrative": ["tuyen_truyen": "Đài truyền thanh xã đã phát 25 tin, bài về CCHC."]])
            #expect(written.status == .ok, "\(written.body.string.prefix(300))")
            // The document follows it: numbered headings, the text, the form under its section.
            let docx = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv2024)/document")
            let xml = try PeriodicReportExportTests.part(Data(buffer: docx.body), "word/document.xml")
            let text = xml.replacingOccurrences(of: "</w:p>", with: "\n").replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            let order = ["I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "1. Công tác tuyên truyền cải cách hành chính", "Đài truyền thanh xã đã phát 25 tin",
                         "2. Kiểm soát thủ tục hành chính", "Biểu: Tình hình, kết quả giải quyết thủ tục hành chính", "II. PHƯƠNG HƯỚNG KỲ TỚI",
                         "SỐ LIỆU KHÁC", "Biểu: Kết quả số hóa hồ sơ"]
            let positions = order.map { text.range(of: $0)?.lowerBound }
            #expect(!positions.contains(nil), "\(zip(order, positions).filter { $0.1 == nil }.map(\.0))")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            #expect(!text.contains("Cải cách thể chế"))
        }
    }

    @Test(arguments: Engine.available)
    func thePagesImportFilesEditTheOutlineAndKeepExplanations(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let unit = Browser(app)
            _ = try await unit.login("baocao.snv")
            let page = try await unit.get("/reports/submissions/\(snv)")
            #expect(page.body.string.contains("data-check=\"/api/v1/report-submissions/\(snv)/check\""))
            #expect(page.body.string.contains("/js/report-entry.js"))
            #expect(page.body.string.contains("<h3>I. Kết quả thực hiện công tác cải cách hành chính</h3><label>1. Công tác chỉ đạo"))
            // The filled form through the page: a dry run first, then for real.
            let row = ["2363", "1146", "1123", "194", "2198", "", "2198", "0", "165", "165", "0"]
            let dry = try await unit.upload("/reports/submissions/\(snv)/import", file: try Self.layout(total: row), filename: "bieu.xlsx",
                                            fields: ["formCode": Self.form, "version": "0", "dryRun": "1"])
            #expect(dry.status == .seeOther)
            #expect(try await unit.get("/reports/submissions/\(snv)").body.string.contains("Kiểm tra tệp xong, không có lỗi: 10 ô có số liệu, 10 ô thay đổi. Chưa có gì được lưu."))
            let bad = try await unit.upload("/reports/submissions/\(snv)/import", file: try Self.layout(total: ["x"] + row.dropFirst()),
                                            filename: "bieu.xlsx", fields: ["formCode": Self.form, "version": "0"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Dòng 10, cột “(3) Tổng số”: “x” không phải là số"))
            _ = try await unit.upload("/reports/submissions/\(snv)/import", file: try Self.layout(total: row), filename: "bieu.xlsx",
                                      fields: ["formCode": Self.form, "version": "0"])
            #expect(try await Self.values(w, snv).count == 10)
            // The serious error gets its explanation through the page, and the page shows it back.
            let s = try await w.reporter.send(.GET, "/api/v1/report-submissions/\(snv)")
            let key = try #require(((s.json["forms"] as? [[String: Any]]) ?? []).flatMap { ($0["violations"] as? [[String: Any]]) ?? [] }
                .first { ($0["figures"] as? String)?.contains("2.463") == true }?["key"] as? String)
            let explained = try await unit.post("/reports/submissions/\(snv)", form: ["version": "1", "e|\(key)": "Đang đối chiếu với Văn phòng."])
            #expect(explained.status == .seeOther, "\(explained.body.string.prefix(300))")
            #expect(try await unit.get("/reports/submissions/\(snv)").body.string.contains(">Đang đối chiếu với Văn phòng.</textarea>"))

            // The coordinator imports the period's DHIS2-shaped file and edits the outline from the pages.
            let coordinator = Browser(app)
            _ = try await coordinator.login("dieuphoi")
            _ = try await coordinator.get("/reports/periods/\(w.periodID)")
            let good = "cot,dong,ky,ma don vi,gia tri\nc3,tong,2023,SYT,120\n"
            let csv = good + "c3,tong,2023,KHONG_CO,1\n"
            let refused = try await coordinator.upload("/reports/periods/\(w.periodID)/import", file: Data(csv.utf8), filename: "so-lieu.csv",
                                                       fields: ["formCode": "so-hoa-ho-so"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Dòng 3, cột “don_vi”: Đơn vị “KHONG_CO” không thuộc danh sách đơn vị báo cáo"))
            let imported = try await coordinator.upload("/reports/periods/\(w.periodID)/import", file: Data(good.utf8),
                                                        filename: "so-lieu.csv", fields: ["formCode": "so-hoa-ho-so"])
            #expect(imported.status == .seeOther, "\(imported.body.string.prefix(400))")
            #expect(try await coordinator.get("/reports/periods/\(w.periodID)").body.string.contains("Đã nhập 1 giá trị của 1 đơn vị."))
            let regime = try await coordinator.get("/reports/regimes/\(w.regimeID)")
            #expect(regime.body.string.contains("Đề cương báo cáo") && regime.body.string.contains("tthc | Cải cách thủ tục hành chính"))
            let wrong = try await coordinator.post("/reports/regimes/\(w.regimeID)/outline", form: ["outline": "I | A\nI | B"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("Dòng 2: Mã mục &#39;I&#39; bị trùng"))
            #expect(wrong.body.string.contains("I | A\nI | B</textarea>"))
            let saved = try await coordinator.post("/reports/regimes/\(w.regimeID)/outline", form: ["outline": "I | Kết quả\nII | Kiến nghị"])
            #expect(saved.status == .seeOther)
            #expect(try await coordinator.get("/reports/regimes/\(w.regimeID)").body.string.contains("II. Kiến nghị"))
        }
    }
}
