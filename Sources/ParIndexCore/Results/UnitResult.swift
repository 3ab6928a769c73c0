import Foundation

/// A field's (top-level node's) result for one unit.
public struct FieldResult: Sendable, Hashable {
    public var code: String
    public var title: String
    public var points: Double
    public var maxPoints: Double
    public var applicableMax: Double
    /// points ÷ applicable max × 100; nil when the whole field is not applicable.
    public var percent: Double?
}

/// A leaf whose input could not be used as given.
public struct LeafIssue: Sendable, Hashable {
    public var leafCode: String
    public var error: ScoringError
}

/// One unit's result in a campaign. All values are unrounded: format them for
/// display with ``VietnameseNumber``; rank on them as they are.
public struct UnitResult: Sendable, Hashable {
    public var unitID: UnitID
    public var name: String
    /// Points as scored (within the applicable max).
    public var rawPoints: Double
    /// Points as reported under the framework's not-applicable policy.
    public var totalPoints: Double
    /// The framework's total (100 in seed 004).
    public var maxPoints: Double
    /// The max left after not-applicable nodes (and surveys, when excluded from the denominator).
    public var applicableMax: Double
    public var indexPercent: Double
    public var fields: [FieldResult]
    public var band: BandRule?
    /// 1-based; units with equal index share a rank (1, 2, 2, 4).
    public var rank: Int
    public var previousRank: Int?
    /// Places moved up since the previous campaign (negative: down); nil for a new entrant.
    public var rankChange: Int?
    public var rating: HeadRating
    /// Fields under the review threshold (seed 004: 3 and 7 under 75 %).
    public var reviewFieldCodes: [String]
    /// Flagged this year after having been flagged (and reviewed) the year before.
    public var flaggedAgainAfterReview: Bool
    /// This year's flagged fields that were flagged last year too (through the crosswalk).
    public var repeatedReviewFieldCodes: [String]
    public var issues: [LeafIssue]
    /// The unit submitted its self-assessment (every unit does when the caller names no set).
    public var submitted: Bool = true
    /// The unit holds a place in the ranking: submitted, or scored 0 under ``UnsubmittedPolicy/zero``.
    /// An unranked unit has `rank` 0 and no rank change.
    public var ranked: Bool = true

    public var requiresReview: Bool { !reviewFieldCodes.isEmpty }

    public func field(_ code: String) -> FieldResult? { fields.first { $0.code == code } }
}

/// A node's result for one unit.
public struct NodeResult: Sendable, Hashable {
    public var code: String
    public var points: Double
    public var applicableMax: Double
    public var isNotApplicable: Bool { applicableMax == 0 }
    public var percent: Double? { applicableMax > 0 ? points / applicableMax * 100 : nil }
}

/// A whole campaign's results.
public struct CampaignResult: Sendable {
    public var frameworkID: String
    public var frameworkVersion: String
    /// In the order the submissions were given.
    public var units: [UnitResult]
    /// For each normalised-ratio leaf, the highest value among the units (needed to explain a unit alone).
    public var bestValues: [String: Double]
    let nodeCodes: [String]
    let nodeIndexByCode: [String: Int]
    /// units × (nodes + 1), unit-major; the last slot of each row is the whole framework.
    let nodePoints: [Double]
    let nodeApplicableMax: [Double]

    /// Units from first to last rank (ties in submission order), then the unranked ones.
    public var ranking: [UnitResult] {
        units.enumerated().sorted { ($0.element.ranked ? 0 : 1, $0.element.rank, $0.offset) < ($1.element.ranked ? 0 : 1, $1.element.rank, $1.offset) }
            .map(\.element)
    }

    /// Any node's points for a unit (by index in ``units``).
    public func node(_ code: String, unit: Int) -> NodeResult? {
        guard let i = nodeIndexByCode[code], units.indices.contains(unit) else { return nil }
        let stride = nodeCodes.count + 1
        return NodeResult(code: code, points: nodePoints[unit * stride + i],
                          applicableMax: nodeApplicableMax[unit * stride + i])
    }
}
