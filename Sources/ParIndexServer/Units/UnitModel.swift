import Fluent
import Foundation
import ParIndexCore

package final class UnitModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    package static let schema = "units"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    @Field(key: "name") var name: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "kind") package var kind: String
    @OptionalParent(key: "parent_id") var parent: UnitModel?
    @Field(key: "active") var active: Bool
    /// Folded code + names, for accent-insensitive search in SQL (`son ham` finds `Sơn Hàm`).
    @Field(key: "search_text") var searchText: String
    /// Vietnamese collation key, so SQL `ORDER BY` gives Vietnamese order on both engines.
    @Field(key: "sort_key") var sortKey: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    package var unitKind: UnitKind { UnitKind(rawValue: kind) ?? .department }

    /// Copies a validated draft's own fields and refreshes the derived search/sort columns.
    package func apply(_ d: UnitRules.Draft, parentID: UUID?) {
        code = d.code
        name = d.name
        shortName = d.shortName
        kind = (d.kind ?? .department).rawValue
        $parent.id = parentID
        active = d.active
        searchText = VietnameseText.fold([code, name, shortName].joined(separator: " "))
        sortKey = VietnameseText.sortKeyString(name)
    }
}
