import Fluent
import SQLKit

/// Issue #19: a campaign says what happens to units that never submitted (`unsubmitted_policy`:
/// `exclude` — the default, also for existing campaigns — or `zero`), and a published
/// campaign's corrections are recorded (who opened one, why, and which republication closed it).
///
/// Existing snapshots are left as stored: ``ResultsService/decode(_:)`` reads both the old
/// shape (display strings, parsed once on read) and the new one, so nothing is recomputed.
struct M016UnsubmittedPolicyAndCorrections: AsyncMigration {
    var name: String { "M016UnsubmittedPolicyAndCorrections" }

    func prepare(on db: any Database) async throws {
        try await db.schema(CampaignModel.schema)
            .field("unsubmitted_policy", .string, .sql(.default(UnsubmittedPolicyDefault.value)))
            .update()
        try await db.schema(ResultCorrectionModel.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(CampaignModel.schema, "id", onDelete: .restrict))
            .field("reason", .string, .required)
            .field("opened_by", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("closed_by_version", .int)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ResultCorrectionModel.schema).delete()
        try await db.schema(CampaignModel.schema).deleteField("unsubmitted_policy").update()
    }
}

private enum UnsubmittedPolicyDefault {
    static let value = "exclude"
}
