import Fluent
import Foundation

/// A stored file, addressed by its SHA-256: the same bytes uploaded twice are stored once.
package final class EvidenceFileModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "evidence_files"

    @ID(key: .id) package var id: UUID?
    @Field(key: "sha256") package var sha256: String
    @Field(key: "size") package var size: Int
    @Field(key: "file_type") package var fileType: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}
}

/// A document offered as evidence (plan, decision, report…): its number, date, issuer and
/// title, the current file and the version it replaced. One document can support several
/// criteria (``EvidenceLinkModel``).
package final class EvidenceDocumentModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "evidence_documents"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "assessment_id") package var assessment: AssessmentModel
    @Field(key: "document_number") package var documentNumber: String
    /// The document's own date (not the upload date), as the evidence is cited: "Quyết định số 3396/QĐ-UBND ngày
    /// 15/12/2022" (seed 004 section I.4.1).
    @Field(key: "document_date") package var documentDate: Date
    @Field(key: "issuer") package var issuer: String
    @Field(key: "title") package var title: String
    @Parent(key: "file_id") package var file: EvidenceFileModel
    @Field(key: "filename") package var filename: String
    /// The earlier version this one replaced (kept, never deleted).
    @OptionalField(key: "replaces_id") package var replacesID: UUID?
    @Field(key: "superseded") package var superseded: Bool
    @Field(key: "uploaded_by") package var uploadedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}
}

package final class EvidenceLinkModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "evidence_links"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "document_id") var document: EvidenceDocumentModel
    @Field(key: "leaf_code") var leafCode: String

    package init() {}

    package init(documentID: UUID, leafCode: String) {
        $document.id = documentID
        self.leafCode = leafCode
    }
}
