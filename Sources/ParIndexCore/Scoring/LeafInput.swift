import Foundation

/// What a unit (or the survey module, or an appraiser) enters for one leaf.
public enum LeafInput: Sendable, Hashable {
    /// The criterion does not apply to this unit: it leaves the unit's max.
    case notApplicable
    case yesNo(Bool)
    /// The id of the chosen ``ScoringLevel``.
    case level(String)
    case ratio(numerator: Double, denominator: Double)
    /// A raw value, e.g. for a normalised ratio.
    case value(Double)
    case count(Int)
    /// Points entered directly (manual, survey).
    case points(Double)
    /// Named values for a formula.
    case values([String: Double])
}
