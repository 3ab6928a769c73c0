import Fluent
import Foundation
import ParIndexCore

/// One index campaign: a set of units evaluated against one published framework version,
/// with phase windows (seed 004: self-assessment 25/12 – 24:00 10/01, appraisal 11/01 – 16/01).
package final class CampaignModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    package static let schema = "campaigns"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Field(key: "year") package var year: Int
    @Parent(key: "framework_id") package var framework: FrameworkVersionModel
    @OptionalParent(key: "previous_campaign_id") package var previous: CampaignModel?
    /// The unit that runs the campaign (issue #19): coordinator, council and appraiser rights
    /// on it come from roles scoped to this unit or above (``CampaignAccess``).
    @Parent(key: "owner_unit_id") package var ownerUnit: UnitModel
    /// ``CampaignSchedule`` as JSON: the windows and per-unit reopenings.
    @Field(key: "schedule") var scheduleJSON: String
    /// Issue #19: ``UnsubmittedPolicy`` (`exclude`, the default, or `zero`).
    @OptionalField(key: "unsubmitted_policy") var unsubmittedPolicyRaw: String?
    /// Issue #12: the campaign's own `results:` block (YAML), set before publication; nil: the framework's rules.
    @OptionalField(key: "results_rules") var resultsRulesYAML: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    /// The rules this campaign's results are computed with: its own block, else the framework's.
    func resultsRules(for framework: Framework) -> ResultsConfiguration? {
        resultsRulesYAML.flatMap { try? FrameworkYAML.resultsRules($0, for: framework) }
    }

    var unsubmittedPolicy: UnsubmittedPolicy {
        get { unsubmittedPolicyRaw.flatMap(UnsubmittedPolicy.init(rawValue:)) ?? .exclude }
        set { unsubmittedPolicyRaw = newValue.rawValue }
    }

    package var schedule: CampaignSchedule {
        get { (try? JSONDecoder().decode(CampaignSchedule.self, from: Data(scheduleJSON.utf8))) ?? CampaignSchedule() }
        set { scheduleJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self) }
    }
}

/// One unit's self-assessment within a campaign. `version` guards the status against two
/// people acting at once (optimistic locking).
package final class AssessmentModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "assessments"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "campaign_id") package var campaign: CampaignModel
    @Parent(key: "unit_id") package var unit: UnitModel
    @Field(key: "status") package var status: String
    @Field(key: "version") package var version: Int
    @OptionalField(key: "approved_at") package var approvedAt: Date?
    @OptionalField(key: "approved_by") package var approvedBy: String?
    @OptionalField(key: "submitted_at") package var submittedAt: Date?
    @OptionalField(key: "submitted_by") package var submittedBy: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    package init(campaignID: UUID, unitID: UUID) {
        $campaign.id = campaignID
        $unit.id = unitID
        status = AssessmentStatus.draft.rawValue
        version = 0
    }

    var assessmentStatus: AssessmentStatus { AssessmentStatus(rawValue: status) ?? .draft }
}

/// What the unit claims for one leaf: the input, the points it yields (computed by the
/// engine on save), an explanation and a note. `version` makes a stale save a conflict.
package final class AssessmentEntryModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "assessment_entries"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "assessment_id") package var assessment: AssessmentModel
    @Field(key: "leaf_code") var leafCode: String
    @OptionalField(key: "input") var inputJSON: String?
    @Field(key: "points") package var points: Double
    @Field(key: "explanation") package var explanation: String
    @Field(key: "note") var note: String
    @Field(key: "version") package var version: Int
    @OptionalField(key: "updated_by") package var updatedBy: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    package init(assessmentID: UUID, leafCode: String) {
        $assessment.id = assessmentID
        self.leafCode = leafCode
        points = 0
        explanation = ""
        note = ""
        version = 0
    }

    package var input: LeafInput? {
        get { inputJSON.flatMap { try? JSONDecoder().decode(LeafInput.self, from: Data($0.utf8)) } }
        set { inputJSON = newValue.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) } }
    }
}
