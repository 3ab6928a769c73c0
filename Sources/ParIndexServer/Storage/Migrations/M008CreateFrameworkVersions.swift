import Fluent

struct M008CreateFrameworkVersions: AsyncMigration {
    var name: String { "M008CreateFrameworkVersions" }
    func prepare(on db: any Database) async throws {
        try await db.schema(FrameworkVersionModel.schema)
            .id()
            .field("code", .string, .required)
            .field("unit_kind", .string, .required)
            .field("year", .int, .required)
            .field("version", .string, .required)
            .field("title", .string, .required)
            .field("yaml", .string, .required)
            .field("sha256", .string, .required)
            .field("node_count", .int, .required)
            .field("leaf_count", .int, .required)
            .field("total_max", .double, .required)
            .field("status", .string, .required)
            .field("published_at", .datetime)
            .field("published_by", .string)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .unique(on: "unit_kind", "year", "version")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(FrameworkVersionModel.schema).delete() }
}
