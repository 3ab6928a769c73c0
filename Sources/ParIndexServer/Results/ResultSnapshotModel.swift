import Fluent
import Foundation


/// A frozen copy of a campaign's results: the numbers published stay the same for ever.
/// A correction is a new version with a reason; earlier versions are kept.
final class ResultSnapshotModel: Model, @unchecked Sendable {
    // @unchecked: see AppraisalModel.
    static let schema = "result_snapshots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: CampaignModel
    @Field(key: "version") var version: Int
    @Field(key: "results") var resultsJSON: String
    @Field(key: "reason") var reason: String
    @Field(key: "published_by") var publishedBy: String
    @Field(key: "published_at") var publishedAt: Date

    init() {}
}
