import Fluent
import Foundation
import ParIndexCore

/// The input an appraiser (or the council) accepts for one leaf at one stage, with the
/// points the engine gives it and the reason. `version` makes concurrent edits a conflict.
package final class AppraisalModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    package static let schema = "appraisals"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "assessment_id") package var assessment: AssessmentModel
    @Field(key: "leaf_code") package var leafCode: String
    @Field(key: "stage") package var stage: String
    @Field(key: "input") var inputJSON: String
    @Field(key: "points") package var points: Double
    @Field(key: "reason") package var reason: String
    @Field(key: "appraiser") package var appraiser: String
    @Field(key: "version") package var version: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    package var input: LeafInput? {
        get { try? JSONDecoder().decode(LeafInput.self, from: Data(inputJSON.utf8)) }
        set { inputJSON = newValue.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) } ?? "null" }
    }

    var appraisalStage: AppraisalStage { AppraisalStage(rawValue: stage) ?? .round1 }
}

/// The unit's answer to a round-1 appraisal comment (explanation window; once per leaf).
package final class ExplanationModel: Model, @unchecked Sendable {
    // @unchecked: see AppraisalModel.
    package static let schema = "explanations"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "assessment_id") package var assessment: AssessmentModel
    @Field(key: "leaf_code") package var leafCode: String
    @Field(key: "text") package var text: String
    @Field(key: "author") package var author: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}
}

/// Which appraiser appraises which part of the framework in a campaign.
final class AppraiserAssignmentModel: Model, @unchecked Sendable {
    // @unchecked: see AppraisalModel.
    package static let schema = "appraiser_assignments"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "campaign_id") package var campaign: CampaignModel
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "node_code") var nodeCode: String

    package init() {}
}
