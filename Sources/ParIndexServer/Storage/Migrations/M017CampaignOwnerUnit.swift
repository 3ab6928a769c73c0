import Fluent
import Foundation
import ParIndexCore
import SQLKit

/// Issue #19, item 4: every campaign belongs to a unit (`campaigns.owner_unit_id`); rights on
/// it come from roles scoped to that unit or above. Existing campaigns get the lowest unit
/// above all of their evaluated units, or else the installation's top unit.
struct M017CampaignOwnerUnit: AsyncMigration {
    var name: String { "M017CampaignOwnerUnit" }

    struct MissingOwner: Error, CustomStringConvertible {
        var campaign: UUID
        var description: String { "M017: campaign \(campaign) has no unit to own it (no units in the installation)" }
    }

    func prepare(on db: any Database) async throws {
        // Nullable in the ALTER (SQLite cannot add a NOT NULL column without a default); every
        // row is filled below and PostgreSQL then enforces NOT NULL.
        try await db.schema(CampaignModel.schema)
            .field("owner_unit_id", .uuid, .references(UnitModel.schema, "id", onDelete: .restrict))
            .update()
        try await createIndexes(on: db, ["CREATE INDEX campaigns_owner_unit ON campaigns (owner_unit_id)"])
        guard let sql = db as? any SQLDatabase else { return }
        try await Self.backfill(on: sql)
        if sql.dialect.name == "postgresql" {
            try await sql.raw("ALTER TABLE campaigns ALTER COLUMN owner_unit_id SET NOT NULL").run()
        }
    }

    /// Gives every campaign without an owner the lowest unit above all its evaluated units, or
    /// else the installation's top unit.
    static func backfill(on sql: any SQLDatabase) async throws {
        struct UnitRow: Decodable { var id: UUID; var parent_id: UUID?; var sort_key: String }
        struct AssessmentRow: Decodable { var campaign_id: UUID; var unit_id: UUID }
        struct CampaignRow: Decodable { var id: UUID }
        let units = try await sql.raw("SELECT id, parent_id, sort_key FROM units").all(decoding: UnitRow.self)
        let parent = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.parent_id) })
        func chain(_ id: UUID) -> [UUID] {
            var out = [id]
            while let p = parent[out.last!] ?? nil, !out.contains(p), out.count < 16 { out.append(p) }
            return out
        }
        // The top unit: the root with the largest subtree (the province), ties by name.
        let roots = units.filter { $0.parent_id == nil }
        let size = Dictionary(grouping: units.map { chain($0.id).last! }, by: { $0 }).mapValues(\.count)
        let top = roots.max { (size[$0.id] ?? 0, $1.sort_key) < (size[$1.id] ?? 0, $0.sort_key) }?.id
        let assessments = try await sql.raw("SELECT campaign_id, unit_id FROM assessments").all(decoding: AssessmentRow.self)
        let unitsOf = Dictionary(grouping: assessments, by: \.campaign_id).mapValues { $0.map(\.unit_id) }
        for c in try await sql.raw("SELECT id FROM campaigns WHERE owner_unit_id IS NULL").all(decoding: CampaignRow.self) {
            guard let owner = Ownership.defaultOwner(ofEvaluated: (unitsOf[c.id] ?? []).map(chain)) ?? top else { throw MissingOwner(campaign: c.id) }
            try await sql.update(CampaignModel.schema).set("owner_unit_id", to: owner).where("id", .equal, c.id).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await createIndexes(on: db, ["DROP INDEX campaigns_owner_unit"])
        try await db.schema(CampaignModel.schema).deleteField("owner_unit_id").update()
    }
}
