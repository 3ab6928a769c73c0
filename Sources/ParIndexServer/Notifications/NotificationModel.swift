import Fluent
import Foundation

/// An in-app notification for one user. `key` makes time-based notices (a window opens, a
/// deadline is two days away) idempotent: the scheduler may run on several instances and
/// several times, and each user still gets each notice once.
final class NotificationModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "key") var key: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}

struct M012CreateNotifications: AsyncMigration {
    var name: String { "M012CreateNotifications" }
    func prepare(on db: any Database) async throws {
        try await db.schema(NotificationModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "user_id", "key")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(NotificationModel.schema).delete() }
}
