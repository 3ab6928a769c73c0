import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #12 item 1 through the server: the framework's results rules are the ones applied and
/// named, and last year's review flags reach this year's ranking ("không có sự chuyển biến sau
/// kiểm điểm", seed 004, 2.2), which the engine could compute but the server never fed it.
@Suite struct ResultsRulesServerTests {
    @Test(arguments: Engine.available)
    func lastYearsFlagsReachThisYearAndTheRulesAreNamed(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PublicationTests.world(app)
            let service = ResultsService(context: .system(app))
            let current = try #require(try await CampaignModel.query(on: app.db).filter(\.$id == UUID(uuidString: w.id)!).with(\.$framework).first())
            // Last year's campaign, published with Sở Nội vụ flagged on administrative procedures (field 3).
            let last = CampaignModel()
            last.name = "Chỉ số CCHC năm 2021"
            last.year = 2021
            last.$framework.id = current.$framework.id
            last.$ownerUnit.id = current.$ownerUnit.id
            last.scheduleJSON = "{}"
            try await last.create(on: app.db)
            var lastYear = try await service.compute(current)
            lastYear.campaignId = last.id!
            for i in lastYear.units.indices where lastYear.units[i].unitCode == "SNV" { lastYear.units[i].reviewFields = ["3"] }
            let snapshot = ResultSnapshotModel()
            snapshot.$campaign.id = last.id!
            snapshot.version = 1
            snapshot.resultsJSON = try ResultsService.encode(lastYear)
            snapshot.reason = ""
            snapshot.publishedBy = "fixture"
            snapshot.publishedAt = Date()
            try await snapshot.create(on: app.db)
            current.$previous.id = last.id
            try await current.save(on: app.db)

            // This year Sở Nội vụ scores nothing on field 3: flagged again, and said so.
            let snv = try #require(UUID(uuidString: w.base.snvAssessment))
            try await (app.db as! any SQLDatabase).raw("UPDATE assessment_entries SET input = NULL, points = 0 WHERE assessment_id = \(bind: snv) AND leaf_code LIKE '3.%'").run()
            let live = try await service.compute(current)
            let row = try #require(live.units.first { $0.unitCode == "SNV" })
            #expect(row.reviewFields.contains("3"))
            #expect(row.flaggedAgain)
            // The rules applied are the framework's own, in words, on the results page and through the API.
            #expect(live.rules?.first == "Quy tắc kết quả của bộ chỉ số.")
            #expect(live.rules?.contains { $0.hasPrefix("Phải kiểm điểm khi nhãn tthc hoặc nhãn digital dưới 75 % (các lĩnh vực: 3, 7)") } == true)
            #expect(live.bands?.map(\.colour) == ["#2e7d32", "#1565c0", "#ef8f00", "#c62828"])
            let api = try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)/results")
            #expect(api.status == .ok, "\(api.body.string.prefix(300))")
            #expect((api.json["rules"] as? [String])?.first == "Quy tắc kết quả của bộ chỉ số.")
            let browser = Browser(app)
            _ = try await browser.login("dieuphoi")
            let page = try await browser.get("/campaigns/\(w.id)/results")
            #expect(page.body.string.contains("Quy tắc tính kết quả đã áp dụng"), "\(page.status)")
            #expect(page.body.string.contains("không chuyển biến sau kiểm điểm"))
        }
    }

    /// A framework file's rules are shown on its page and through the API before any campaign uses them.
    @Test(arguments: Engine.available)
    func theFrameworkPageStatesItsResultsRules(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let fw = try await Fixtures.publishedFramework(app, yaml: SelfAssessmentTests.frameworkYAML)
            let admin = try await Fixtures.user(app, "quantri", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: admin))
            let detail = try await api.send(.GET, "/api/v1/frameworks/\(fw)")
            #expect(detail.status == .ok, "\(detail.body.string.prefix(300))")
            let rules = try #require(detail.json["resultsRules"] as? [String])
            #expect(rules.contains { $0.hasPrefix("Xếp nhóm theo chỉ số: Từ 90% trở lên (từ 90 %)") })
            #expect((detail.json["fieldTags"] as? [String: [String]])?["3"] == ["tthc"])
        }
    }

    /// Issue #12: a campaign may use its own rules until publication, which freezes them.
    @Test(arguments: Engine.available)
    func aCampaignsOwnRulesApplyUntilPublication(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PublicationTests.world(app)
            let path = "/api/v1/campaigns/\(w.id)/results-rules"
            let coordinator = w.base.coordinator
            let broken = try await coordinator.send(.PUT, path, json: [
                "rules": "results:\n  bands:\n    - {label: Nhóm B, min: 80}\n    - {label: Nhóm A, min: 90}\n  review: {tags: [khong_co], below: 75}\n",
                "reason": "Áp dụng phân nhóm của Bộ Nội vụ"])
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.body.string.contains("Dòng 4") && broken.body.string.contains("khong_co"), "\(broken.body.string.prefix(500))")
            let noReason = try await coordinator.send(.PUT, path, json: ["rules": ""])
            #expect(noReason.status == .unprocessableEntity)
            let rules = "results:\n  bands:\n    - {label: Nhóm A, min: 90}\n    - {label: Nhóm B, min: 80}\n    - {label: Nhóm C}\n"
            let saved = try await coordinator.send(.PUT, path, json: ["rules": rules, "reason": "Áp dụng phân nhóm của Bộ Nội vụ"])
            #expect(saved.status == .ok, "\(saved.body.string.prefix(300))")
            #expect(saved.json["resultsRules"] as? String == rules.trimmingCharacters(in: .whitespacesAndNewlines))
            let c = try #require(try await CampaignModel.query(on: app.db).filter(\.$id == UUID(uuidString: w.id)!).with(\.$framework).first())
            let live = try await ResultsService(context: .system(app)).compute(c)
            #expect(live.bands?.map(\.label) == ["Nhóm A", "Nhóm B", "Nhóm C"])
            #expect(live.units.filter(\.ranked).allSatisfy { ["Nhóm A", "Nhóm B", "Nhóm C"].contains($0.band ?? "") })
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "campaign.results_rules").count() == 1)
            // The campaign page edits them.
            let browser = Browser(app)
            _ = try await browser.login("dieuphoi")
            #expect(try await browser.get("/campaigns/\(w.id)").body.string.contains("Quy tắc kết quả riêng của đợt"))
            // Published: frozen with the numbers.
            try await PublicationFixtures.publishNow(app, w.id)
            let late = try await coordinator.send(.PUT, path, json: ["rules": "", "reason": "Quay lại quy tắc của bộ chỉ số"])
            #expect(late.status == .conflict, "\(late.body.string.prefix(300))")
        }
    }
}
