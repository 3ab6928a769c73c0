import Foundation

/// The outcome of scoring one leaf for one unit: the points and which part of
/// the rule applied. Kept free of text so a national campaign (1,6 million
/// leaves) allocates no strings; ``AppliedRule/textVI(maxPoints:)`` renders it
/// only when someone asks "why".
public struct LeafScore: Sendable, Hashable {
    public var points: Double
    public var isNotApplicable: Bool
    public var applied: AppliedRule
    public var issue: ScoringError?

    public init(points: Double, isNotApplicable: Bool = false, applied: AppliedRule, issue: ScoringError? = nil) {
        self.points = points
        self.isNotApplicable = isNotApplicable
        self.applied = applied
        self.issue = issue
    }

    static let notApplicable = LeafScore(points: 0, isNotApplicable: true, applied: .notApplicable)

    static func invalid(_ issue: ScoringError) -> LeafScore {
        LeafScore(points: 0, applied: issue == .missingInput ? .missing : .invalid, issue: issue)
    }
}

/// Which branch of a method's rule produced the points.
public enum AppliedRule: Sendable, Hashable {
    case notApplicable
    case missing
    case invalid
    case yes
    case no
    case level(ScoringLevel)
    /// The unit's ratio (may exceed 1; points are capped at max).
    case ratio(Double)
    case zeroDenominator(ZeroDenominatorRule)
    /// The band reached (nil: below every band) and the ratio.
    case band(RatioBand?, ratio: Double)
    case normalized(value: Double, best: Double)
    /// Count and the total deducted or added (after the cap).
    case occurrences(count: Int, amount: Double)
    /// Points entered by hand or by the survey module, before clamping.
    case points(Double)
    /// The formula's value before clamping into [0, max].
    case formula(Double)
}
