import Foundation
import ParIndexCore
import Vapor

struct QuestionnaireDTO: Content {
    var id: UUID
    var formId: String
    var title: String
    var version: String
    var kind: String
    var kindLabel: String
    var source: String
    var targetMode: String
    var pointsFormula: String
    var alertThreshold: Double
    /// `70 %`, `72,5 %`.
    var alertThresholdDisplay: String
    var questionCount: Int
    var definition: Questionnaire
}

struct RespondentGroupDTO: Content {
    var code: String
    var name: String
    var formId: String
    var plannedBallots: Int
    var quotaPerUnit: Int
    var weight: Double

    enum CodingKeys: String, CodingKey {
        case code, name, formId, plannedBallots, quotaPerUnit, weight
        /// Vietnamese notation for pages and clients: `1.620`, `1,5` (written, never read).
        case plannedDisplay, quotaDisplay, weightDisplay
    }

    init(code: String, name: String, formId: String, plannedBallots: Int, quotaPerUnit: Int, weight: Double) {
        (self.code, self.name, self.formId) = (code, name, formId)
        (self.plannedBallots, self.quotaPerUnit, self.weight) = (plannedBallots, quotaPerUnit, weight)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), name: try c.decode(String.self, forKey: .name),
                  formId: try c.decode(String.self, forKey: .formId), plannedBallots: try c.decode(Int.self, forKey: .plannedBallots),
                  quotaPerUnit: try c.decode(Int.self, forKey: .quotaPerUnit), weight: try c.decode(Double.self, forKey: .weight))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(name, forKey: .name)
        try c.encode(formId, forKey: .formId)
        try c.encode(plannedBallots, forKey: .plannedBallots)
        try c.encode(quotaPerUnit, forKey: .quotaPerUnit)
        try c.encode(weight, forKey: .weight)
        try c.encode(VietnameseNumber.format(plannedBallots), forKey: .plannedDisplay)
        try c.encode(VietnameseNumber.format(quotaPerUnit), forKey: .quotaDisplay)
        try c.encode(VietnameseNumber.format(weight), forKey: .weightDisplay)
    }
}

struct BatchDTO: Content {
    var id: UUID
    var number: Int
    var questionnaireId: UUID
    var formId: String
    var receivedFrom: String
    var receivedBy: String
    var receivedOn: String
    var declaredCount: Int
    var sealed: Bool
    var status: String
    var statusLabel: String
    var enteredCount: Int
    var flaggedCount: Int
    var checksum: String?
    var note: String?
    var closedBy: String?
    var closedAt: String?

    /// Vietnamese notation for the pages: `1.620`.
    var declaredDisplay: String = ""
    var enteredDisplay: String = ""
    /// Send back to close the batch (`version` or `If-Match`); entering a ballot bumps it.
    var version: Int = 0
}

struct SurveyOverviewDTO: Content {
    var campaignId: UUID
    var campaignName: String
    var frozen: Bool
    var questionnaires: [QuestionnaireDTO]
    var groups: [RespondentGroupDTO]
    var batches: [BatchDTO]
}

struct BallotDTO: Content {
    var id: UUID
    var ballotNumber: String
    var group: String
    var unitCode: String
    var unitName: String
    var answers: [String]
    var flags: [String]
    var review: String
    var voided: Bool
    var enteredBy: String
    /// Send back with a correction or review (`version` or `If-Match`).
    var version: Int
}

/// Create a questionnaire from a standard template.
struct QuestionnaireInput: Content {
    var template: String
    var formId: String?
    var title: String?
    var alertThreshold: Double?
}

struct GroupInput: Content {
    /// Taken from the path in the API.
    var code: String?
    var name: String
    var formId: String
    var plannedBallots: Int
    var quotaPerUnit: Int
    var weight: Double?
}

/// The handover record of a sealed pack of ballots.
struct BatchInput: Content {
    var formId: String
    var receivedFrom: String
    var receivedBy: String
    /// `dd/mm/yyyy`.
    var receivedOn: String
    var declaredCount: Int
    var sealed: Bool?
}

/// One keyed ballot: one rating for a single-target questionnaire, one per rated unit otherwise.
struct BallotEntryInput: Content {
    struct Rating: Content {
        var unit: String
        /// Question code → choice code.
        var answers: [String: String]
    }
    var ballotNumber: String
    var group: String
    var ratings: [Rating]
}

struct BallotEntryResult: Content {
    var ballotNumber: String
    var rows: Int
    var flags: [String]
    var enteredCount: Int
    var declaredCount: Int
}

struct BallotImportSummary: Content {
    var dryRun: Bool
    var rows: Int
    var ballots: Int
    var flagged: Int
}

struct CloseBatchInput: Content {
    var note: String?
    /// The batch version the client saw (issue #19); or `If-Match`.
    var version: Int?
}

/// A correction to a ballot of a closed batch: new answers (question code → choice code) or a void.
struct BallotCorrectionInput: Content {
    var answers: [String: String]?
    var voided: Bool?
    var reason: String
    /// The ballot version the client saw (issue #19); or `If-Match`.
    var version: Int?
}

struct BallotReviewInput: Content {
    /// `accepted` or `rejected`.
    var decision: String
    var reason: String?
    /// The ballot version the client saw (issue #19); or `If-Match`.
    var version: Int?
}
