import Fluent
import Foundation
import ParIndexCore

/// A campaign's questionnaire. The definition is stored whole (JSON of ``Questionnaire``) so a
/// year's ballots can always be re-read against the form they were entered on.
package final class QuestionnaireModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "survey_questionnaires"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "campaign_id") package var campaign: CampaignModel
    @Field(key: "form_id") var formID: String
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: String
    @Field(key: "definition") var definition: String
    /// Share satisfied (in %) under which a unit is listed as a low-satisfaction alert.
    @Field(key: "alert_threshold") package var alertThreshold: Double
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    package func questionnaire() throws -> Questionnaire {
        try JSONDecoder().decode(Questionnaire.self, from: Data(definition.utf8))
    }

    package func setQuestionnaire(_ q: Questionnaire) throws {
        formID = q.formID
        title = q.title
        kind = q.kind.rawValue
        definition = String(decoding: try JSONEncoder().encode(q), as: UTF8.self)
    }
}

/// A respondent group of the campaign's survey plan.
package final class RespondentGroupModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "survey_groups"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "campaign_id") package var campaign: CampaignModel
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @Field(key: "form_id") package var formID: String
    @Field(key: "planned_ballots") package var plannedBallots: Int
    @Field(key: "quota_per_unit") package var quotaPerUnit: Int
    @Field(key: "weight") package var weight: Double

    package init() {}

    var group: RespondentGroup {
        RespondentGroup(code: code, name: name, formID: formID, plannedBallots: plannedBallots,
                        quotaPerUnit: quotaPerUnit, weight: weight)
    }
}

/// A sealed pack of paper ballots as handed over (seed 004: the post office hands the sealed
/// ballots to the council through the Department of Home Affairs), and the ballots keyed from it.
package final class BallotBatchModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "survey_batches"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "campaign_id") package var campaign: CampaignModel
    @Parent(key: "questionnaire_id") package var questionnaire: QuestionnaireModel
    /// Sequence within the campaign (Lô số 1, 2, …).
    @Field(key: "number") package var number: Int
    @Field(key: "received_from") package var receivedFrom: String
    @Field(key: "received_by") package var receivedBy: String
    @Field(key: "received_on") package var receivedOn: Date
    @Field(key: "declared_count") package var declaredCount: Int
    @Field(key: "sealed") package var sealed: Bool
    @Field(key: "status") package var status: String
    /// SHA-256 of the batch's ballots in canonical order, fixed at closing and after each correction.
    @OptionalField(key: "checksum") package var checksum: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "closed_by") package var closedBy: String?
    @OptionalField(key: "closed_at") package var closedAt: Date?
    @Field(key: "created_by") package var createdBy: String
    /// Optimistic locking (issue #19): bumped by closing and by every ballot entered, imported or
    /// corrected in it, so a close names the count it saw.
    @Field(key: "version") package var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    var isClosed: Bool { status == "closed" }
}

/// One ballot's answers for one target unit (a ballot rating several units has one row per unit).
/// Answers are the choice codes in question order, comma-joined (`5,4,,3`; empty = no answer):
/// compact for a million ballots, and raw, so several formulas can run on them.
final class BallotModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "survey_ballots"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "batch_id") var batch: BallotBatchModel
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "questionnaire_id") var questionnaireID: UUID
    @Field(key: "form_version") var formVersion: String
    @Field(key: "ballot_no") var ballotNumber: String
    @Field(key: "group_code") var groupCode: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "answers") var answers: String
    /// ``BallotFlags`` raw value.
    @Field(key: "flags") var flags: Int
    /// `none`, `pending` (flagged), `accepted`, `rejected` (left out of the scores).
    @Field(key: "review") var review: String
    @Field(key: "voided") var voided: Bool
    @Field(key: "entered_by") var enteredBy: String
    /// Optimistic locking of corrections and reviews (issue #19).
    @Field(key: "version") package var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}
}

/// The tallies of a questionnaire's ballots in closed batches, recomputed when a batch closes or
/// a ballot is corrected; reports and results read these.
final class SurveyTallyModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "survey_tallies"

    @ID(key: .id) package var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Parent(key: "questionnaire_id") package var questionnaire: QuestionnaireModel
    @Field(key: "tallies") var tallies: String
    @Field(key: "ballots") var ballots: Int
    @Field(key: "computed_at") var computedAt: Date

    package init() {}
}
