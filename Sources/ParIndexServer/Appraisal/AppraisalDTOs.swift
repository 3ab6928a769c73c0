import Foundation
import ParIndexCore
import Vapor

struct AssignAppraiserInput: Content {
    var username: String
    /// A field (`3`) or criterion (`3.2`) code: the appraiser appraises every leaf below it.
    var nodeCode: String
    var reason: String?
}

struct AppraiserAssignmentDTO: Content {
    var id: UUID
    var username: String
    var nodeCode: String
    var nodeTitle: String
}

struct StageValueDTO: Content {
    var stage: String
    var input: LeafInput?
    var inputDisplay: String
    var points: Double
    var pointsDisplay: String
    var reason: String
    var appraiser: String
    var version: Int
}

/// One leaf of one unit in an appraiser's queue: the claim, its evidence, every stage so far.
struct AppraisalRowDTO: Content {
    var assessmentId: UUID
    var unitCode: String
    var unitName: String
    var leafCode: String
    var title: String
    var maxDisplay: String
    var methodKind: String?
    var ruleText: String?
    var claimed: LeafInput?
    var claimedDisplay: String
    var claimedPointsDisplay: String
    var unitNote: String
    var evidence: [EvidenceRefDTO]
    var round1: StageValueDTO?
    var explanation: String?
    var round2: StageValueDTO?
    var council: StageValueDTO?
    var standingPointsDisplay: String
    /// Prefill for the next stage's form, in Vietnamese notation.
    var form: [String: String]
    var levels: [LevelOptionDTO]?
    /// A formula criterion's named inputs, each with its prefilled value (issue #12 item 5).
    var formulaInputs: [FormulaInputValueDTO]?
    /// Whether the unit may be appraised "not applicable" on this criterion.
    var allowsNotApplicable: Bool
}

struct FormulaInputValueDTO: Content {
    var name: String
    var label: String
    var value: String
}

struct AppraisalInput: Content {
    var stage: String
    var input: LeafInput?
    var fields: [String: String]?
    var reason: String?
    var version: Int?
}

struct ExplanationInput: Content {
    var text: String
}
