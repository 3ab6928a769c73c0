import Fluent
import Foundation
import NIOConcurrencyHelpers
import ParIndexCore
import Testing
import Vapor
@testable import ParIndexServer

/// A transport that records what it was handed, failing the first `failures` sends.
final class FakeTransport: MailTransport, @unchecked Sendable {
    // @unchecked: all state behind the lock.
    private let state = NIOLockedValueBox<(sent: [OutboundMail], failuresLeft: Int)>(([], 0))

    init(failures: Int = 0) { state.withLockedValue { $0.failuresLeft = failures } }

    var sent: [OutboundMail] { state.withLockedValue { $0.sent } }

    func send(_ mail: OutboundMail) async throws {
        await Task.yield()
        let fail = state.withLockedValue { s -> Bool in
            if s.failuresLeft > 0 { s.failuresLeft -= 1; return true }
            s.sent.append(mail)
            return false
        }
        if fail { throw SMTPClient.Failure(description: "connection refused (fake relay down)") }
    }
}

/// Issue #19, item 5: notifications and e-mail commit with the write that causes them and are
/// delivered afterwards, once, through outages and crashes.
@Suite struct OutboxTests {
    struct Rollback: Error {}

    /// Users with an address, and a notice for them.
    static func recipients(_ app: Application, count: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        for i in 0 ..< count {
            let id = try await Fixtures.user(app, "nguoinhan\(i)")
            let u = try #require(try await UserModel.find(id, on: app.db))
            u.email = "nguoinhan\(i)@snv.gov.vn"
            try await u.save(on: app.db)
            ids.append(id)
        }
        return ids
    }

    static func notice(_ key: String) -> Notifier.Notice {
        .init(key: key, title: "Đã công bố kết quả", body: "Đợt 2023 (phiên bản 1).", link: "/public")
    }

    static func rows(_ app: Application) async throws -> [OutboxMessageModel] {
        try await OutboxMessageModel.query(on: app.db).all()
    }

    @Test(arguments: Engine.available)
    func aRolledBackWriteLeavesNoNotificationAndNoMail(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let users = try await Self.recipients(app, count: 2)
            await #expect(throws: Rollback.self) {
                try await app.db.writeTransaction { db in
                    try await Notifier.send(Self.notice("k1"), to: users, on: db)
                    throw Rollback()
                }
            }
            #expect(try await NotificationModel.query(on: app.db).count() == 0)
            #expect(try await Self.rows(app).isEmpty)
            // The same write committed: both notifications and both e-mails, queued, not sent yet.
            let created = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("k1"), to: users, on: db) }
            #expect(created == 2)
            #expect(try await NotificationModel.query(on: app.db).count() == 2)
            let queued = try await Self.rows(app)
            #expect(queued.count == 2 && queued.allSatisfy { $0.status == "pending" && $0.attempts == 0 })
            // Sending the same notice again queues nothing more (keyed).
            _ = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("k1"), to: users, on: db) }
            #expect(try await Self.rows(app).count == 2)
        }
    }

    @Test(arguments: Engine.available)
    func aRelayOutageIsRetriedWithBackoffAndTheMailArrivesOnce(engine: Engine) async throws {
        // A real SMTP conversation: first nothing listens on the port (the relay is down), then a sink does.
        let port = Int.random(in: 40001...50000)
        let file = Fixtures.tempDirectory() + "/mail.txt"
        let settings = Settings.testing { $0.smtp = .init(host: "127.0.0.1", port: port, from: "cchc@snv.gov.vn") }
        try await withTestApp(engine, settings: settings) { app in
            let users = try await Self.recipients(app, count: 1)
            _ = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("k2"), to: users, on: db) }
            let runner = JobRunner(app: app)
            let t0 = Date()
            let down = await runner.runOnce(now: t0)
            #expect(down.outbox.retrying == 1 && down.outbox.delivered == 0)
            var row = try #require(try await Self.rows(app).first)
            #expect(row.status == "pending" && row.attempts == 1 && row.lastError?.contains("connect") == true)
            #expect(abs(row.nextAttemptAt - (t0.timeIntervalSince1970 + 60)) < 1, "first retry a minute later")

            let sink = try MailTests.startSink(port: port, file: file)
            defer { sink.terminate(); kill(sink.processIdentifier, SIGKILL) }
            try MailTests.waitForPort(port)
            let early = await runner.runOnce(now: t0.addingTimeInterval(30))
            #expect(early.outbox.delivered == 0, "not before the backoff")
            let up = await runner.runOnce(now: t0.addingTimeInterval(61))
            #expect(up.outbox.delivered == 1)
            _ = await runner.runOnce(now: t0.addingTimeInterval(3600))
            row = try #require(try await Self.rows(app).first)
            #expect(row.status == "delivered" && row.attempts == 2 && row.lastError == nil)
            let mail = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            #expect(mail.components(separatedBy: "RCPT:nguoinhan0@snv.gov.vn").count - 1 == 1, "delivered exactly once")
            #expect(mail.contains("Message-ID: " + Outbox.messageID("notice/k2/\(users[0])")))
        }
    }

    @Test(arguments: Engine.available)
    func aMessageThatKeepsFailingEndsFailedWithItsError(engine: Engine) async throws {
        let settings = Settings.testing { $0.outboxMaxAttempts = 3 }
        try await withTestApp(engine, settings: settings) { app in
            let fake = FakeTransport(failures: 100)
            app.mailTransport = fake
            let users = try await Self.recipients(app, count: 1)
            _ = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("k3"), to: users, on: db) }
            let runner = JobRunner(app: app)
            var t = Date()
            var last = JobRunner.Report()
            for _ in 0 ..< 5 {
                last = await runner.runOnce(now: t)
                t = t.addingTimeInterval(7 * 3600)
            }
            _ = last
            let row = try #require(try await Self.rows(app).first)
            #expect(row.status == "failed" && row.attempts == 3)
            #expect(row.lastError?.contains("fake relay down") == true)
            #expect(fake.sent.isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func aRunnerThatDiesAfterClaimingLeavesTheMailToTheNextOnceItsLeaseEnds(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let fake = FakeTransport()
            app.mailTransport = fake
            let users = try await Self.recipients(app, count: 3)
            _ = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("k4"), to: users, on: db) }
            let t0 = Date()
            // The "crash": a runner claims everything and is never heard of again.
            let policy = Outbox.Policy()
            let lost = try await Outbox.claim(limit: 10, now: t0, policy: policy, on: app.db)
            #expect(lost.count == 3)
            let restarted = JobRunner(app: app)
            let during = await restarted.runOnce(now: t0.addingTimeInterval(10))
            #expect(during.outbox.delivered == 0, "the lease still holds")
            let after = await restarted.runOnce(now: t0.addingTimeInterval(policy.lease + 1))
            #expect(after.outbox.delivered == 3)
            #expect(fake.sent.count == 3 && Set(fake.sent.map(\.recipient)).count == 3)
            // The dead runner, should it wake up, cannot mark what is no longer its own.
            #expect(try await Outbox.markDelivered(lost[0], now: t0, on: app.db) == false)
            _ = await restarted.runOnce(now: t0.addingTimeInterval(2 * policy.lease + 2))
            #expect(fake.sent.count == 3)
            #expect(try await Self.rows(app).allSatisfy { $0.status == "delivered" && $0.attempts == 2 })
        }
    }

    @Test(arguments: Engine.available)
    func runnersRacingDeliverEachMessageOnce(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let fake = FakeTransport()
            let users = try await Self.recipients(app, count: 6)
            for k in 0 ..< 10 {
                _ = try await app.db.writeTransaction { db in try await Notifier.send(Self.notice("race\(k)"), to: users, on: db) }
            }
            let now = Date()
            let policy = Outbox.Policy()
            // Four "instances" at once, small batches, so their claims interleave.
            let reports = try await withThrowingTaskGroup(of: Outbox.Report.self) { group in
                for _ in 0 ..< 4 {
                    group.addTask {
                        try await Outbox.deliver(now: now, transport: fake, policy: policy, on: app.db, logger: app.logger, batch: 3)
                    }
                }
                return try await group.reduce(into: [Outbox.Report]()) { $0.append($1) }
            }
            #expect(reports.map(\.delivered).reduce(0, +) == 60)
            #expect(fake.sent.count == 60)
            #expect(Set(fake.sent.map(\.messageID)).count == 60, "no message twice")
            #expect(try await Self.rows(app).allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
        }
    }
}
