import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct NotificationTests {
    @Test(arguments: Engine.available)
    func windowsAndDeadlinesNotifyTheUnitOnceAndAppraisalCommentsReachIt(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app, window: (-5, 1))
            let first = try await DeadlineNotices.run(on: app.db, now: Date())
            let again = try await DeadlineNotices.run(on: app.db, now: Date())
            #expect(first > 0)
            #expect(again == 0)
            let list = try await w.reporter.send(.GET, "/api/v1/notifications")
            let titles = ((try JSONSerialization.jsonObject(with: Data(list.body.string.utf8)) as? [[String: Any]]) ?? [])
                .compactMap { $0["title"] as? String }
            #expect(titles.contains("Tự đánh giá, chấm điểm đã mở"))
            #expect(titles.contains("Sắp hết hạn tự đánh giá"))
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/notifications")
            #expect(page.body.string.contains("Sắp hết hạn tự đánh giá"))
            #expect(page.body.string.contains("class=\"badge\""))
            #expect(try await w.reporter.send(.POST, "/api/v1/notifications/read", json: [:]).status == .noContent)
            let after = try await b.get("/notifications")
            #expect(!after.body.string.contains("class=\"badge\""))
            // Another unit's staff got nothing about SNV's deadline beyond their own.
            let sytID = try await Fixtures.user(app, "baocao.syt", roles: [(.unitReporter, w.province.syt)])
            _ = try await DeadlineNotices.run(on: app.db, now: Date())
            let syt = try await Notifier.list(for: sytID, on: app.db)
            #expect(syt.allSatisfy { !$0.link.contains(w.snvAssessment) })
        }
    }
}
