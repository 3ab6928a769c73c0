import Foundation

/// How a leaf criterion turns a unit's input into points. Every method's
/// Vietnamese rule text (``ScoringMethod/ruleTextVI(maxPoints:)``) is what users
/// read next to the criterion.
public enum ScoringMethod: Sendable, Hashable {
    /// "Có: điểm tối đa; Không: 0" (the most common pattern in real frameworks).
    case yesNo
    /// A choice among named levels, each with its points.
    case levels([ScoringLevel])
    /// numerator ÷ denominator × max, capped at max.
    case ratio(zeroDenominator: ZeroDenominatorRule)
    /// numerator ÷ denominator through threshold bands (e.g. 100 % → max, 80 – < 100 % → half, < 80 % → 0).
    case ratioBands([RatioBand], zeroDenominator: ZeroDenominatorRule)
    /// *Tỷ lệ chuẩn hóa*: unit's value ÷ highest value in the campaign × max.
    case normalizedRatio
    /// Points deducted from max, or added from 0, per counted occurrence.
    case occurrences(OccurrenceRule)
    /// Points granted by hand within [0, max] on a step (e.g. 0,25).
    case manual(step: Double)
    /// Filled in by the survey module (organisational survey, SIPAS); never self-scored.
    case survey(source: String)
    /// A formula over the node's named inputs.
    case formula(Formula)

    /// Stable identifier used in YAML files and APIs.
    public var kind: String {
        switch self {
        case .yesNo: "yes_no"
        case .levels: "levels"
        case .ratio: "ratio"
        case .ratioBands: "ratio_bands"
        case .normalizedRatio: "normalized_ratio"
        case .occurrences: "occurrences"
        case .manual: "manual"
        case .survey: "survey"
        case .formula: "formula"
        }
    }

    /// Units self-score every criterion except those measured by surveys (876/QĐ-BNV).
    public var isSelfScored: Bool {
        if case .survey = self { return false }
        return true
    }

    /// Needs every unit's input before any unit can be scored.
    public var needsCampaignContext: Bool {
        if case .normalizedRatio = self { return true }
        return false
    }
}

public struct ScoringLevel: Sendable, Hashable {
    public var id: String
    public var label: String
    public var points: Double

    public init(id: String, label: String, points: Double) {
        self.id = id
        self.label = label
        self.points = points
    }
}

/// A band of a ratio: at or above `minPercent` (and below the next band up), `points`.
/// Below the lowest band the criterion scores 0.
public struct RatioBand: Sendable, Hashable {
    public var minPercent: Double
    public var points: Double

    public init(minPercent: Double, points: Double) {
        self.minPercent = minPercent
        self.points = points
    }
}

/// What a ratio scores when its denominator is zero. Many provincial frameworks
/// write "trường hợp không phát sinh hồ sơ thì đạt điểm tối đa", others treat it
/// as not applicable; the framework chooses.
public enum ZeroDenominatorRule: String, Sendable, Hashable, CaseIterable {
    case fullPoints = "full_points"
    case zeroPoints = "zero_points"
    case notApplicable = "not_applicable"
}

public struct OccurrenceRule: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Start from max, subtract per occurrence (e.g. each late report −0,25).
        case deduct
        /// Start from 0, add per occurrence (e.g. each initiative +0,5).
        case add
    }
    public var mode: Mode
    public var pointsPerOccurrence: Double
    /// Largest total deducted or added; nil means the node's max.
    public var cap: Double?

    public init(mode: Mode, pointsPerOccurrence: Double, cap: Double? = nil) {
        self.mode = mode
        self.pointsPerOccurrence = pointsPerOccurrence
        self.cap = cap
    }
}
