import Fluent
import Foundation

/// A correction of a published campaign (issue #19): opened with a reason by a holder of
/// `results.publish`, it lets the council and appraisers correct appraisals and explanations
/// until the republication that closes it writes the next snapshot version.
final class ResultCorrectionModel: Model, @unchecked Sendable {
    // @unchecked: see AppraisalModel.
    static let schema = "result_corrections"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: CampaignModel
    @Field(key: "reason") var reason: String
    @Field(key: "opened_by") var openedBy: String
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_by_version") var closedByVersion: Int?

    init() {}

    static func open(_ campaignID: UUID, on db: any Database) async throws -> ResultCorrectionModel? {
        try await query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$closedAt == nil).first()
    }
}
