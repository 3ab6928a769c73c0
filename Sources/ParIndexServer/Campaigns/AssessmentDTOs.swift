import Foundation
import ParIndexCore
import Vapor

struct AssessmentGridDTO: Content {
    var id: UUID
    var campaignId: UUID
    var campaignName: String
    var unitId: UUID
    var unitCode: String
    var unitName: String
    var status: String
    var statusLabel: String
    /// Send back with approve/submit: a stale version is refused as a conflict.
    var version: Int
    var deadline: String?
    var isOpen: Bool
    var closedMessage: String?
    var filled: Int
    var total: Int
    var claimedPoints: Double
    var claimedDisplay: String
    var rows: [AssessmentRowDTO]
    var documents: [EvidenceDocumentDTO]
    /// The explanation window is open for this unit now.
    var explanationOpen: Bool
}

extension AssessmentGridDTO {
    /// The criterion `leaf` shows what was typed into it rather than what is saved, so a
    /// refused save loses no keystroke (issue #19). The version stays the stored one: after a
    /// conflict the next save is made against what is now saved.
    mutating func keepTyped(_ typed: [String: String], leaf: String) {
        guard let i = rows.firstIndex(where: { $0.code == leaf }) else { return }
        var row = rows[i]
        for (k, v) in typed where !["version", "clear", "explanation", "note"].contains(k) && !k.hasPrefix("v.") { row.form[k] = v }
        row.form["na"] = typed["na"] == "1" ? "1" : nil
        if let level = typed["level"] { row.levels = row.levels?.map { var l = $0; l.selected = l.id == level; return l } }
        row.formulaInputs = row.formulaInputs?.map { var f = $0; f.value = typed["v.\(f.name)"] ?? f.value; return f }
        if let e = typed["explanation"] { row.explanation = e }
        rows[i] = row
    }
}

struct AssessmentRowDTO: Content {
    var code: String
    var title: String
    var depth: Int
    var isLeaf: Bool
    var selfScored: Bool
    var maxPoints: Double
    var maxDisplay: String
    var methodKind: String?
    var methodName: String?
    var ruleText: String?
    var guidance: String
    var evidenceAsked: [String]
    var allowsNotApplicable: Bool
    var levels: [LevelOptionDTO]?
    var formulaInputs: [FormulaFieldDTO]?
    var input: LeafInput?
    /// The input as a person reads it (`45/50`, the level's label, `Có`).
    var inputDisplay: String
    /// Prefill for the form, in Vietnamese notation.
    var form: [String: String]
    var points: Double?
    var pointsDisplay: String
    var explanation: String
    var note: String
    var version: Int
    var warnings: [String]
    var evidence: [EvidenceRefDTO]
    /// The round-1 appraisal as the unit sees it ("2 điểm — lý do"), once it exists.
    var appraisalComment: String?
    /// Whether the round-1 result differs from the claim, so the unit may explain.
    var explanationRequested: Bool
    var unitExplanation: String?
}

struct LevelOptionDTO: Content {
    var id: String
    var label: String
    var pointsDisplay: String
    var selected: Bool
}

struct FormulaFieldDTO: Content {
    var name: String
    var label: String
    var value: String
}

struct EvidenceRefDTO: Content {
    var id: UUID
    var documentNumber: String
    var title: String
}

struct EvidenceDocumentDTO: Content {
    var id: UUID
    var documentNumber: String
    var documentDate: String
    var issuer: String
    var title: String
    var filename: String
    var fileType: String
    var size: Int
    var sha256: String
    var leafCodes: [String]
    var replacesId: UUID?
    var uploadedBy: String
    var uploadedAt: String?
}

/// Saving one leaf through the API: the input as JSON (see `LeafInput`), or `fields` as a
/// form would send them (`numerator`, `points`… in Vietnamese notation).
/// A save of one criterion. Only `clear: true` empties it; a save with neither `input` nor
/// any filled `fields` keeps the input and changes the explanation or note only (issue #20).
struct EntryInput: Content {
    var input: LeafInput?
    var fields: [String: String]?
    var clear: Bool?
    var explanation: String?
    var note: String?
    /// The version the client last saw; a different current version is a conflict.
    var version: Int?

    /// Whether the body asks for any change at all.
    var savesSomething: Bool {
        input != nil || fields != nil || clear == true || explanation != nil || note != nil
    }
}

struct TransitionInput: Content {
    var version: Int?
    var reason: String?
}

struct PreviewDTO: Content {
    var points: Double?
    var pointsDisplay: String
    /// Why the typed value cannot be scored, in Vietnamese.
    var message: String?
}
