import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The server's background work (issue #19, item 5), one tick at a time: deliver the outbox,
/// send reminders (a window opens, a deadline is two days away), purge expired sessions,
/// login throttles and old outbox rows. All time comes from ``Clock``, so tests call
/// ``runOnce(now:)`` with the time they want instead of sleeping.
///
/// Safe with several instances: outbox rows are claimed with `FOR UPDATE SKIP LOCKED`
/// (PostgreSQL) or under the one SQLite writer, reminders are keyed, purges are idempotent.
final class JobRunner: Sendable {
    struct Job: Sendable {
        var name: String
        /// Least time between two runs of this job; 0: every tick.
        var every: TimeInterval
        var run: @Sendable (Date) async throws -> String
    }

    struct Report: Sendable {
        var ran: [String] = []
        var outbox = Outbox.Report()
        var failures: [String] = []
    }

    let app: Application
    private let lastRun = NIOLockedValueBox<[String: Date]>([:])
    private let outboxReport = NIOLockedValueBox(Outbox.Report())

    init(app: Application) { self.app = app }

    var policy: Outbox.Policy {
        var p = Outbox.Policy()
        p.maxAttempts = app.settings.outboxMaxAttempts
        p.lease = app.settings.outboxLeaseSeconds
        p.firstRetry = app.settings.outboxFirstRetrySeconds
        return p
    }

    private var jobs: [Job] {
        let app = self.app
        let policy = self.policy
        return [
            Job(name: "outbox", every: 0) { [outboxReport] now in
                let r = try await Outbox.deliver(now: now, transport: app.mailTransport, policy: policy, on: app.db, logger: app.logger)
                outboxReport.withLockedValue { $0 = r }
                return "delivered \(r.delivered), retrying \(r.retrying), failed \(r.failed), skipped \(r.skipped)"
            },
            Job(name: "reminders", every: 600) { now in
                "notices \(try await DeadlineNotices.run(on: app.db, now: now))"
            },
            Job(name: "purge", every: 3600) { now in
                let sessions = try await DatabaseSessionDriver.purge(now: now, on: app.db)
                let throttles = try await Self.purgeThrottles(now: now, window: app.settings.loginThrottleWindow, on: app.db)
                let outbox = try await Outbox.purge(now: now, on: app.db)
                return "sessions \(sessions), throttles \(throttles), outbox \(outbox)"
            },
        ]
    }

    /// Runs every job that is due at `now` (all of them the first time). A failing job is
    /// logged and does not stop the others; it runs again at the next tick.
    @discardableResult
    func runOnce(now: Date? = nil) async -> Report {
        let now = now ?? app.clock.now()
        var report = Report()
        for job in jobs {
            let last = lastRun.withLockedValue { $0[job.name] }
            if let last, now.timeIntervalSince(last) < job.every { continue }
            lastRun.withLockedValue { $0[job.name] = now }
            do {
                let summary = try await job.run(now)
                report.ran.append(job.name)
                if job.name != "outbox" || !summary.hasPrefix("delivered 0, retrying 0, failed 0, skipped 0") {
                    app.logger.info("Job \(job.name): \(summary)")
                }
            } catch {
                report.failures.append(job.name)
                app.logger.error("Job \(job.name) failed: \(String(describing: error))")
            }
        }
        report.outbox = outboxReport.withLockedValue { $0 }
        outboxReport.withLockedValue { $0 = Outbox.Report() }
        return report
    }

    /// Throttle counters whose window ended long ago count for nothing (LoginThrottle restarts
    /// an old window), so their rows are just clutter.
    static func purgeThrottles(now: Date, window: TimeInterval, on db: any Database) async throws -> Int {
        try await db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("""
                DELETE FROM login_throttles WHERE window_started < \(bind: now.timeIntervalSince1970 - 2 * window) RETURNING scope
                """).all().count
        }
    }
}

/// Starts the runner with `serve` (when ``Settings/backgroundJobs``) and stops it on shutdown.
///
/// Vapor's lifecycle rather than swift-service-lifecycle: `serve` is Vapor's own command and
/// already runs its handlers at boot and shutdown (the old deadline-notice timer used it), so
/// the runner needs no new package and no rewrite of `parindex serve` into a service group.
/// Shutdown cancels the loop between ticks and waits for a tick in progress; a message claimed
/// by a process killed outright is claimed again when its lease ends.
struct JobRunnerLifecycle: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        let runner = JobRunner(app: app)
        let interval = app.settings.jobIntervalSeconds
        let task = Task {
            while !Task.isCancelled {
                await runner.runOnce()
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        app.storage[TaskKey.self] = task
    }

    func shutdownAsync(_ app: Application) async {
        guard let task = app.storage[TaskKey.self] else { return }
        task.cancel()
        await task.value
    }

    struct TaskKey: StorageKey { typealias Value = Task<Void, Never> }
}
