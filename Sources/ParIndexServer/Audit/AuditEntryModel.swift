import Fluent
import Foundation

/// One line of the append-only audit trail. Nothing in the application updates or deletes
/// these rows; there is no route that could.
final class AuditEntryModel: Model, @unchecked Sendable {
    // @unchecked: see UnitModel.
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "request_id") var requestID: String?

    init() {}
}
