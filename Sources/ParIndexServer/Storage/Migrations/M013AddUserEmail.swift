import Fluent

/// E-mail addresses for notification mail (optional; in-app notifications need none).
struct M013AddUserEmail: AsyncMigration {
    var name: String { "M013AddUserEmail" }
    func prepare(on db: any Database) async throws {
        try await db.schema(UserModel.schema).field("email", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(UserModel.schema).deleteField("email").update()
    }
}
