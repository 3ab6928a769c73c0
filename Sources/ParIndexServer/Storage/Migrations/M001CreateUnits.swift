import Fluent

struct M001CreateUnits: AsyncMigration {
    var name: String { "M001CreateUnits" }
    func prepare(on db: any Database) async throws {
        try await db.schema(UnitModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(UnitModel.schema, "id", onDelete: .restrict))
            .field("active", .bool, .required)
            .field("search_text", .string, .required)
            .field("sort_key", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await createIndexes(on: db, [
            "CREATE INDEX units_sort_key ON units (sort_key, code)",
            "CREATE INDEX units_parent ON units (parent_id)",
        ])
    }
    func revert(on db: any Database) async throws { try await db.schema(UnitModel.schema).delete() }
}
