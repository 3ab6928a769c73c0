import Fluent

/// A campaign's own results rules (issue #12), as the `results:` block's YAML; empty: the framework's.
struct M023CampaignResultsRules: AsyncMigration {
    var name: String { "M023CampaignResultsRules" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CampaignModel.schema).field("results_rules", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CampaignModel.schema).deleteField("results_rules").update()
    }
}
