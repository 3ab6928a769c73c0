import Fluent
import Foundation

/// A stored file, addressed by its SHA-256: the same bytes uploaded twice are stored once.
final class EvidenceFileModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    static let schema = "evidence_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int
    @Field(key: "file_type") var fileType: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A document offered as evidence (plan, decision, report…): its number, date, issuer and
/// title, the current file and the version it replaced. One document can support several
/// criteria (``EvidenceLinkModel``).
final class EvidenceDocumentModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    static let schema = "evidence_documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: AssessmentModel
    @Field(key: "document_number") var documentNumber: String
    /// The document's own date (not the upload date), as the evidence is cited: "Quyết định số 3396/QĐ-UBND ngày
    /// 15/12/2022" (seed 004 section I.4.1).
    @Field(key: "document_date") var documentDate: Date
    @Field(key: "issuer") var issuer: String
    @Field(key: "title") var title: String
    @Parent(key: "file_id") var file: EvidenceFileModel
    @Field(key: "filename") var filename: String
    /// The earlier version this one replaced (kept, never deleted).
    @OptionalField(key: "replaces_id") var replacesID: UUID?
    @Field(key: "superseded") var superseded: Bool
    @Field(key: "uploaded_by") var uploadedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class EvidenceLinkModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    static let schema = "evidence_links"

    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: EvidenceDocumentModel
    @Field(key: "leaf_code") var leafCode: String

    init() {}

    init(documentID: UUID, leafCode: String) {
        $document.id = documentID
        self.leafCode = leafCode
    }
}
