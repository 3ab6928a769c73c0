import Fluent
import Foundation
import Logging
import SQLKit

/// One e-mail waiting in (or gone through) the outbox. Rows are written by ``Notifier/send``
/// inside the caller's write transaction and changed afterwards only by ``Outbox``.
final class OutboxMessageModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the task that loaded it (Fluent's documented usage).
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    /// A path on this server, prefixed with `PARINDEX_PUBLIC_URL` when the mail is sent.
    @Field(key: "link") var link: String
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Double
    @OptionalField(key: "claim_token") var claimToken: String?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Double
    @OptionalField(key: "delivered_at") var deliveredAt: Double?

    init() {}
}

/// The transactional outbox (issue #19, item 5).
///
/// Delivery is at-least-once. A message is claimed (status `sending`, a fresh claim token, a
/// lease until `next_attempt_at`) in one short transaction — `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL, so several instances never claim the same row; under the one SQLite writer
/// otherwise — then sent outside any transaction, then marked `delivered` only if the claim
/// token is still the runner's. A runner that dies after claiming leaves the row to be claimed
/// again when the lease runs out. The one window for a duplicate is a crash (or a lost reply)
/// after the relay accepted the message and before the row was marked: the copy that follows
/// carries the same `Message-ID` (derived from the dedupe key), so mail clients and relays that
/// deduplicate show it once; the row's `attempts` shows it happened. Closing that window would
/// need the relay to take part in a transaction, which SMTP cannot.
enum Outbox {
    enum Status: String, Sendable, CaseIterable {
        case pending, sending, delivered, failed
        /// No mail relay is configured: the message is kept (for the record) but not sent.
        case skipped
    }

    struct Policy: Sendable {
        /// Attempts before a message is given up as `failed` (`PARINDEX_OUTBOX_MAX_ATTEMPTS`).
        var maxAttempts: Int = 8
        /// How long a claim lasts before another runner may take the message again.
        var lease: TimeInterval = 300
        /// The first retry's delay; each later one doubles it.
        var firstRetry: TimeInterval = 60
        /// First retry after one minute, doubling, at most six hours apart: eight attempts span
        /// about four hours, enough to ride out a relay's maintenance window.
        func backoff(afterAttempt n: Int) -> TimeInterval { min(firstRetry * pow(2, Double(max(n - 1, 0))), 6 * 3600) }
    }

    /// A message a runner holds: deliver it, then report with ``markDelivered`` or ``markFailed``.
    struct Claimed: Sendable, Decodable {
        var id: UUID
        var recipient: String
        var subject: String
        var body: String
        var link: String
        var dedupe_key: String
        var attempts: Int
        var claim_token: String
    }

    struct Report: Sendable, Equatable {
        var delivered = 0
        var retrying = 0
        var failed = 0
        var skipped = 0
    }

    /// Queues one e-mail; a second message with the same `dedupeKey` is dropped in SQL
    /// (`ON CONFLICT DO NOTHING`), so a retried write or two instances never queue it twice.
    static func enqueueMail(to recipient: String, subject: String, body: String, link: String,
                            dedupeKey: String, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO outbox_messages (id, kind, recipient, subject, body, link, dedupe_key, status, attempts, next_attempt_at, created_at)
            VALUES (\(bind: UUID()), 'mail', \(bind: recipient), \(bind: subject), \(bind: body), \(bind: link), \(bind: dedupeKey),
                    'pending', 0, \(bind: now.timeIntervalSince1970), \(bind: now.timeIntervalSince1970))
            ON CONFLICT (dedupe_key) DO NOTHING
            """).run()
    }

    /// Claims up to `limit` due messages (pending and due, or sending with an expired lease).
    static func claim(limit: Int, now: Date, policy: Policy, on db: any Database) async throws -> [Claimed] {
        let token = UUID().uuidString
        let t = now.timeIntervalSince1970
        return try await db.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            return try await sql.raw("""
                UPDATE outbox_messages SET status = 'sending', claim_token = \(bind: token), attempts = attempts + 1,
                    next_attempt_at = \(bind: t + policy.lease)
                WHERE id IN (SELECT id FROM outbox_messages WHERE status IN ('pending', 'sending') AND next_attempt_at <= \(bind: t)
                             ORDER BY next_attempt_at LIMIT \(bind: limit)\(lock))
                RETURNING id, recipient, subject, body, link, dedupe_key, attempts, claim_token
                """).all(decoding: Claimed.self)
        }
    }

    /// Marks a claimed message delivered. False when the claim was lost (its lease ran out and
    /// another runner took it): the message then went out twice, which is logged.
    @discardableResult
    static func markDelivered(_ c: Claimed, now: Date, on db: any Database) async throws -> Bool {
        try await db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("""
                UPDATE outbox_messages SET status = 'delivered', delivered_at = \(bind: now.timeIntervalSince1970),
                    claim_token = NULL, last_error = NULL
                WHERE id = \(bind: c.id) AND claim_token = \(bind: c.claim_token) RETURNING id
                """).all().count == 1
        }
    }

    /// Records a failed attempt: retried after the policy's backoff, or `failed` for good.
    @discardableResult
    static func markFailed(_ c: Claimed, error: String, now: Date, policy: Policy, on db: any Database) async throws -> Status {
        let final = c.attempts >= policy.maxAttempts
        let status: Status = final ? .failed : .pending
        let next = now.timeIntervalSince1970 + (final ? 0 : policy.backoff(afterAttempt: c.attempts))
        try await db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("""
                UPDATE outbox_messages SET status = \(bind: status.rawValue), next_attempt_at = \(bind: next),
                    claim_token = NULL, last_error = \(bind: String(error.prefix(500)))
                WHERE id = \(bind: c.id) AND claim_token = \(bind: c.claim_token)
                """).run()
        }
        return status
    }

    /// Delivers every due message through `transport`, in batches, until none is due.
    /// Without a transport (no relay configured) due messages are marked `skipped`.
    static func deliver(now: Date, transport: (any MailTransport)?, policy: Policy, on db: any Database,
                        logger: Logger, batch: Int = 20) async throws -> Report {
        var report = Report()
        guard let transport else {
            report.skipped = try await db.writeTransaction { db in
                try await (db as! any SQLDatabase).raw("""
                    UPDATE outbox_messages SET status = 'skipped', last_error = 'SMTP chưa được cấu hình (PARINDEX_SMTP_HOST).'
                    WHERE status = 'pending' AND next_attempt_at <= \(bind: now.timeIntervalSince1970) RETURNING id
                    """).all().count
            }
            return report
        }
        // Bounded, so one tick cannot run for ever while new messages keep arriving.
        for _ in 0 ..< 50 {
            let claimed = try await claim(limit: batch, now: now, policy: policy, on: db)
            for c in claimed {
                do {
                    try await transport.send(OutboundMail(recipient: c.recipient, subject: c.subject, body: c.body,
                                                          link: c.link, messageID: messageID(c.dedupe_key)))
                    if try await markDelivered(c, now: now, on: db) { report.delivered += 1 } else {
                        logger.warning("Outbox: message \(c.id) was delivered after its claim expired (possible duplicate)")
                    }
                } catch {
                    let status = try await markFailed(c, error: String(describing: error), now: now, policy: policy, on: db)
                    if status == .failed {
                        report.failed += 1
                        logger.error("Outbox: e-mail to \(c.recipient) given up after \(c.attempts) attempts: \(error)")
                    } else {
                        report.retrying += 1
                        logger.warning("Outbox: e-mail to \(c.recipient) failed (attempt \(c.attempts)), retried later: \(error)")
                    }
                }
            }
            if claimed.count < batch { break }
        }
        return report
    }

    /// `Message-ID` of every copy of one message, so a duplicate after a crash is recognisable.
    static func messageID(_ dedupeKey: String) -> String {
        "<" + APITokens.hash(dedupeKey).prefix(32) + "@parindex>"
    }

    /// Forgets delivered and skipped messages after 30 days; failed ones stay for the record.
    static func purge(now: Date, on db: any Database) async throws -> Int {
        try await db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("""
                DELETE FROM outbox_messages WHERE status IN ('delivered', 'skipped')
                AND created_at < \(bind: now.timeIntervalSince1970 - 30 * 86_400) RETURNING id
                """).all().count
        }
    }
}
