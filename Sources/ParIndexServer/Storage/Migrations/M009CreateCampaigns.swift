import Fluent

struct M009CreateCampaigns: AsyncMigration {
    var name: String { "M009CreateCampaigns" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CampaignModel.schema)
            .id()
            .field("name", .string, .required)
            .field("year", .int, .required)
            .field("framework_id", .uuid, .required, .references(FrameworkVersionModel.schema, "id", onDelete: .restrict))
            .field("previous_campaign_id", .uuid, .references(CampaignModel.schema, "id", onDelete: .setNull))
            .field("schedule", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema(AssessmentModel.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(CampaignModel.schema, "id", onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("approved_at", .datetime)
            .field("approved_by", .string)
            .field("submitted_at", .datetime)
            .field("submitted_by", .string)
            .field("updated_at", .datetime)
            .unique(on: "campaign_id", "unit_id")
            .create()
        try await db.schema(AssessmentEntryModel.schema)
            .id()
            .field("assessment_id", .uuid, .required, .references(AssessmentModel.schema, "id", onDelete: .restrict))
            .field("leaf_code", .string, .required)
            .field("input", .string)
            .field("points", .double, .required)
            .field("explanation", .string, .required)
            .field("note", .string, .required)
            .field("version", .int, .required)
            .field("updated_by", .string)
            .field("updated_at", .datetime)
            .unique(on: "assessment_id", "leaf_code")
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(AssessmentEntryModel.schema).delete()
        try await db.schema(AssessmentModel.schema).delete()
        try await db.schema(CampaignModel.schema).delete()
    }
}

struct M010CreateEvidence: AsyncMigration {
    var name: String { "M010CreateEvidence" }
    func prepare(on db: any Database) async throws {
        try await db.schema(EvidenceFileModel.schema)
            .id()
            .field("sha256", .string, .required)
            .field("size", .int, .required)
            .field("file_type", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "sha256")
            .create()
        try await db.schema(EvidenceDocumentModel.schema)
            .id()
            .field("assessment_id", .uuid, .required, .references(AssessmentModel.schema, "id", onDelete: .restrict))
            .field("document_number", .string, .required)
            .field("document_date", .datetime, .required)
            .field("issuer", .string, .required)
            .field("title", .string, .required)
            .field("file_id", .uuid, .required, .references(EvidenceFileModel.schema, "id", onDelete: .restrict))
            .field("filename", .string, .required)
            .field("replaces_id", .uuid)
            .field("superseded", .bool, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema(EvidenceLinkModel.schema)
            .id()
            .field("document_id", .uuid, .required, .references(EvidenceDocumentModel.schema, "id", onDelete: .cascade))
            .field("leaf_code", .string, .required)
            .unique(on: "document_id", "leaf_code")
            .create()
        try await createIndexes(on: db, ["CREATE INDEX evidence_documents_assessment ON evidence_documents (assessment_id)"])
    }
    func revert(on db: any Database) async throws {
        try await db.schema(EvidenceLinkModel.schema).delete()
        try await db.schema(EvidenceDocumentModel.schema).delete()
        try await db.schema(EvidenceFileModel.schema).delete()
    }
}
