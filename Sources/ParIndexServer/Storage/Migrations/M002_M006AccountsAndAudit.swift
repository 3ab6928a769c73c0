import Fluent

struct M002CreateUsers: AsyncMigration {
    var name: String { "M002CreateUsers" }
    func prepare(on db: any Database) async throws {
        try await db.schema(UserModel.schema)
            .id()
            .field("username", .string, .required)
            .field("full_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("must_change_password", .bool, .required)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(UserModel.schema).delete() }
}

struct M003CreateRoleAssignments: AsyncMigration {
    var name: String { "M003CreateRoleAssignments" }
    func prepare(on db: any Database) async throws {
        try await db.schema(RoleAssignmentModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("unit_id", .uuid, .references(UnitModel.schema, "id", onDelete: .restrict))
            .field("include_descendants", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await createIndexes(on: db, ["CREATE INDEX role_assignments_user ON role_assignments (user_id)"])
    }
    func revert(on db: any Database) async throws { try await db.schema(RoleAssignmentModel.schema).delete() }
}

struct M004CreateAPITokens: AsyncMigration {
    var name: String { "M004CreateAPITokens" }
    func prepare(on db: any Database) async throws {
        try await db.schema(APITokenModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(APITokenModel.schema).delete() }
}

struct M005CreateLoginAttempts: AsyncMigration {
    var name: String { "M005CreateLoginAttempts" }
    func prepare(on db: any Database) async throws {
        try await db.schema(LoginAttemptModel.schema)
            .id()
            .field("username", .string, .required)
            .field("ip", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()
        try await createIndexes(on: db, ["CREATE INDEX login_attempts_user_at ON login_attempts (username, at)"])
    }
    func revert(on db: any Database) async throws { try await db.schema(LoginAttemptModel.schema).delete() }
}

struct M006CreateAuditEntries: AsyncMigration {
    var name: String { "M006CreateAuditEntries" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntryModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("unit_id", .uuid)
            .field("before", .string)
            .field("after", .string)
            .field("reason", .string)
            .field("request_id", .string)
            .create()
        try await createIndexes(on: db, [
            "CREATE INDEX audit_entries_at ON audit_entries (at)",
            "CREATE INDEX audit_entries_unit ON audit_entries (unit_id)",
            "CREATE INDEX audit_entries_actor ON audit_entries (actor_id)",
        ])
    }
    func revert(on db: any Database) async throws { try await db.schema(AuditEntryModel.schema).delete() }
}
