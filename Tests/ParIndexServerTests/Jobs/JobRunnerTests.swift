import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
@testable import ParIndexServer

/// The runner's schedule and purges, with the clock moved instead of waiting.
@Suite struct JobRunnerTests {
    @Test(arguments: Engine.available)
    func remindersQueueMailAndExpiredRowsArePurged(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let fake = FakeTransport()
            app.mailTransport = fake
            _ = try await SelfAssessmentTests.world(app, window: (-5, 1))
            let reporter = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first())
            reporter.email = "baocao@snv.gov.vn"
            try await reporter.save(on: app.db)
            let runner = JobRunner(app: app)
            let now = Date()
            let first = await runner.runOnce(now: now)
            #expect(first.ran == ["outbox", "reminders", "purge"])
            // The reminders ran after this tick's delivery: their mail goes out at the next tick.
            #expect(try await OutboxMessageModel.query(on: app.db).count() > 0)
            let second = await runner.runOnce(now: now.addingTimeInterval(10))
            #expect(second.ran == ["outbox"], "reminders every ten minutes, purges hourly")
            #expect(fake.sent.contains { $0.recipient == "baocao@snv.gov.vn" && $0.subject == "Sắp hết hạn tự đánh giá" })
            let sent = fake.sent.count
            _ = await runner.runOnce(now: now.addingTimeInterval(601))
            #expect(fake.sent.count == sent, "keyed: the same reminders are not sent again")

            // An old throttle row goes with the hourly purge.
            try await LoginThrottle.reserveForTest(app, now: now)
            #expect(try await Self.throttleRows(app) == 2)
            _ = await runner.runOnce(now: now.addingTimeInterval(2 * 3600))
            #expect(try await Self.throttleRows(app) == 0)
        }
    }
}

extension JobRunnerTests {
    static func throttleRows(_ app: Application) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM login_throttles").first(decoding: N.self)?.n ?? -1
    }
}

extension LoginThrottle {
    /// One failed password check recorded at `now`, as a login would.
    static func reserveForTest(_ app: Application, now: Date) async throws {
        _ = try await LoginThrottle(db: app.db, settings: app.settings).reserve(username: "ai-do", address: "192.0.2.9", now: now)
    }
}
