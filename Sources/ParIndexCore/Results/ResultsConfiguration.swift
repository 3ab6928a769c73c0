import Foundation

/// Seed 004, 2.2: a unit with administrative-procedure reform (field 3) or digital
/// government (field 7) under 75 % must hold a review (*kiểm điểm*).
public struct ReviewRule: Sendable, Hashable {
    public var fieldCodes: [String]
    public var thresholdPercent: Double

    public init(fieldCodes: [String], thresholdPercent: Double) {
        self.fieldCodes = fieldCodes
        self.thresholdPercent = thresholdPercent
    }

    public static let seed004 = ReviewRule(fieldCodes: ["3", "7"], thresholdPercent: 75)
}

/// Everything about results that a campaign configures rather than the framework.
public struct ResultsConfiguration: Sendable, Hashable {
    public var bands: BandTable
    public var rating: RatingRuleTable
    public var review: ReviewRule

    public init(bands: BandTable = .seed004, rating: RatingRuleTable = .seed004, review: ReviewRule = .seed004) {
        self.bands = bands
        self.rating = rating
        self.review = review
    }

    public static let seed004 = ResultsConfiguration()
}
