import Fluent
import SQLKit

/// Issue #20. `login_throttles`: one counter per (scope, subject), reserved by a single upsert
/// before each password check, so parallel guesses cannot all read "under the limit" at
/// once. `users.credentials_version`: bumped on a password change, reset or deactivation;
/// sessions remember the version they were opened with, so older ones stop working.
struct M015LoginThrottlesAndCredentialsVersion: AsyncMigration {
    var name: String { "M015LoginThrottlesAndCredentialsVersion" }

    func prepare(on db: any Database) async throws {
        try await db.schema(LoginThrottle.schema)
            .field("scope", .string, .required)
            .field("subject", .string, .required)
            .field("username", .string)
            .field("failures", .int, .required)
            // Seconds since 1970: compared in SQL, the same way on SQLite and PostgreSQL.
            .field("window_started", .double, .required)
            .unique(on: "scope", "subject")
            .create()
        try await createIndexes(on: db, ["CREATE INDEX login_throttles_username ON login_throttles (username)"])
        try await db.schema(UserModel.schema)
            .field("credentials_version", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(UserModel.schema).deleteField("credentials_version").update()
        try await db.schema(LoginThrottle.schema).delete()
    }
}
