import Fluent

/// Official survey results entered as figures (issue #12 item 2), one row per campaign, unit and criterion.
struct M022OfficialSurveyResults: AsyncMigration {
    var name: String { "M022OfficialSurveyResults" }
    func prepare(on db: any Database) async throws {
        try await db.schema(OfficialSurveyResultModel.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(CampaignModel.schema, "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, "id"))
            .field("leaf_code", .string, .required)
            .field("points", .double, .required)
            .field("index_percent", .double)
            .field("document_number", .string, .required)
            .field("document_date", .string, .required)
            .field("imported_by", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "campaign_id", "unit_id", "leaf_code")
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(OfficialSurveyResultModel.schema).delete()
    }
}
