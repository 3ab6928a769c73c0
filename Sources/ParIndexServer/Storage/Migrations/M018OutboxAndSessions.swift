import Fluent
import SQLKit

/// Issue #19, items 5 and 6.
///
/// `outbox_messages`: e-mail written in the same transaction as the write that causes it and
/// delivered after commit by the job runner (``Outbox``), so a rolled-back write sends nothing
/// and a relay outage loses nothing. Times that SQL compares (`next_attempt_at`) are seconds
/// since 1970, the same way on SQLite and PostgreSQL (as in `login_throttles`).
///
/// `web_sessions`: browser sessions with an expiry the job runner can purge by (Vapor's
/// `_fluent_sessions` has none, so its rows lived for ever). Sessions still in the old table
/// are not carried over: their users sign in again once after the upgrade.
struct M018OutboxAndSessions: AsyncMigration {
    var name: String { "M018OutboxAndSessions" }

    func prepare(on db: any Database) async throws {
        try await db.schema(OutboxMessageModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("dedupe_key", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .double, .required)
            .field("claim_token", .string)
            .field("last_error", .string)
            .field("created_at", .double, .required)
            .field("delivered_at", .double)
            .unique(on: "dedupe_key")
            .create()
        try await createIndexes(on: db, ["CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at)"])
        try await db.schema(WebSessionModel.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("expires_at", .double, .required)
            .unique(on: "key")
            .create()
        try await createIndexes(on: db, ["CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)"])
        // The old table's rows are unreachable from now on: empty it rather than keep stale credentials.
        try await (db as! any SQLDatabase).raw("DELETE FROM _fluent_sessions").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(WebSessionModel.schema).delete()
        try await db.schema(OutboxMessageModel.schema).delete()
    }
}
