import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// The periodic-report pages (issue #14) and the shipped forms.
@Suite struct ReportPagesTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedFormsAreByteIdenticalToTheRepositoryFiles() throws {
        for name in ReportFormCatalog.bundledFiles + [ReportFormCatalog.outlineFile] {
            let repo = try Data(contentsOf: Self.repoRoot.appendingPathComponent("Forms/\(name)"))
            let bundled = try Data(contentsOf: URL(fileURLWithPath: Resources.directory + "Forms/" + name))
            #expect(bundled == repo, "Sources/ParIndexServer/Resources/Forms/\(name) differs from Forms/\(name): copy it again")
        }
        #expect(ReportFormCatalog.bundled.count == ReportFormCatalog.bundledFiles.count)
        #expect(ReportFormCatalog.outline.sections.first?.children.count == 7)
    }

    @Test(arguments: Engine.available)
    func aReporterEntersFiguresSeesErrorsBesideTheCellsAndKeepsWhatWasTyped(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/reports/submissions/\(snv)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Tình hình, kết quả giải quyết thủ tục hành chính"))
            #expect(page.body.string.contains("name=\"v|tthc-ket-qua-giai-quyet|tong/c3\""))
            var form = ["version": "0"]
            for (k, v) in PeriodicReportTests.seed003Of2023 { form["v|tthc-ket-qua-giai-quyet|\(k)"] = v }
            let saved = try await b.post("/reports/submissions/\(snv)", form: form)
            #expect(saved.status == .seeOther)
            let after = try await b.get("/reports/submissions/\(snv)")
            let html = after.body.string
            #expect(html.contains("Đã lưu báo cáo."))
            #expect(html.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463"))
            #expect(html.contains("class=\"num flagged\""))
            #expect(html.contains("value=\"2.363\""))
            // A refused save comes back with the error and the typed value, nothing saved.
            let refused = try await b.post("/reports/submissions/\(snv)", form: ["version": "1", "v|tthc-ket-qua-giai-quyet|tong/c4": "một nghìn"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("“một nghìn” không phải là số"))
            #expect(refused.body.string.contains("value=\"một nghìn\""))
            // The period page and the roll-up page render for the coordinator.
            let c = Browser(app)
            _ = try await c.login("dieuphoi")
            let period = try await c.get("/reports/periods/\(w.periodID)")
            #expect(period.status == .ok)
            #expect(period.body.string.contains("Chưa nộp:"))
            #expect(period.body.string.contains("Sở Nội vụ"))
            let rollUp = try await c.get("/reports/periods/\(w.periodID)/rollup/tthc-ket-qua-giai-quyet")
            #expect(rollUp.status == .ok)
            #expect(rollUp.body.string.contains("không lấy trung bình các tỷ lệ"))
            let regimes = try await c.get("/reports")
            #expect(regimes.body.string.contains("Báo cáo công tác CCHC định kỳ"))
        }
    }

    @Test(arguments: Engine.available)
    func theHomePageListsWhatIsDueAndTheNextPeriodStartsFromTheLastNarrative(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let home = try await b.get("/")
            #expect(home.body.string.contains("Báo cáo định kỳ cần làm"))
            #expect(home.body.string.contains("/reports/submissions/\(snv)"))
            #expect(home.body.string.contains("Chưa nộp · hạn nộp hết ngày"))
            // The unit writes its narrative, hands in; the next period's report offers it as the start.
            _ = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
                "version": 0, "narrative": ["tthc": "Đã ban hành kế hoạch kiểm soát TTHC năm."]])
            _ = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "submit", "version": 1])
            let next = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(w.regimeID)/periods", json: [
                "code": "2024", "label": "Năm 2024", "frequency": "year", "startsOn": "15/12/2023", "endsOn": "14/12/2024", "deadline": Fixtures.day(60)])
            #expect(next.status == .created, "\(next.body.string)")
            let w2 = PeriodicReportTests.World(app: app, p: w.p, coordinator: w.coordinator, reporter: w.reporter, districtHead: w.districtHead,
                                               communeReporter: w.communeReporter, regimeID: w.regimeID, periodID: next.json["id"] as? String ?? "")
            let snv2024 = try await PeriodicReportTests.submissionID(w2, unit: "SNV")
            let page = try await b.get("/reports/submissions/\(snv2024)")
            #expect(page.body.string.contains("chép từ báo cáo kỳ trước"))
            #expect(page.body.string.contains(">Đã ban hành kế hoạch kiểm soát TTHC năm.</textarea>"))
            // The coordinator's home lists the report waiting for a decision.
            let c = Browser(app)
            _ = try await c.login("dieuphoi")
            #expect(try await c.get("/").body.string.contains("Đã nộp, chờ tiếp nhận"))
        }
    }
}
