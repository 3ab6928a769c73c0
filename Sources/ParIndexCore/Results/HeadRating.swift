import Foundation

/// The head-of-unit rating (*mức độ hoàn thành nhiệm vụ của người đứng đầu*)
/// derived from the index.
public enum HeadRating: String, Sendable, Hashable, CaseIterable {
    case excellent
    case good
    case completed
    case notCompleted = "not_completed"

    public var labelVI: String {
        switch self {
        case .excellent: "Hoàn thành xuất sắc nhiệm vụ"
        case .good: "Hoàn thành tốt nhiệm vụ"
        case .completed: "Hoàn thành nhiệm vụ"
        case .notCompleted: "Không hoàn thành nhiệm vụ"
        }
    }
}

/// One row of the rating table: the index floor and the floor every field must reach.
public struct RatingRule: Sendable, Hashable {
    public var rating: HeadRating
    public var minIndexPercent: Double
    /// Every rated field must reach this; nil: no field condition.
    public var minFieldPercent: Double?

    public init(rating: HeadRating, minIndexPercent: Double, minFieldPercent: Double?) {
        self.rating = rating
        self.minIndexPercent = minIndexPercent
        self.minFieldPercent = minFieldPercent
    }
}

/// Rules tried in order; the first one a unit satisfies gives its rating.
public struct RatingRuleTable: Sendable, Hashable {
    public var rules: [RatingRule]
    public var fallback: HeadRating
    /// Fields whose percentages the floors apply to; nil: every scored top-level field.
    public var fieldCodes: [String]?
    /// The same chosen by tag in a framework file (resolved to ``fieldCodes``).
    public var fieldTags: [String]?

    public init(rules: [RatingRule], fallback: HeadRating = .notCompleted, fieldCodes: [String]? = nil, fieldTags: [String]? = nil) {
        self.rules = rules
        self.fallback = fallback
        self.fieldCodes = fieldCodes
        self.fieldTags = fieldTags
    }

    /// The first rule that can never give its rating: every unit it admits, an earlier rule
    /// (no stricter on the index and on the fields) already took. Returns (earlier, later) positions.
    public var unreachable: (earlier: Int, later: Int)? {
        for (j, later) in rules.enumerated() {
            for i in 0 ..< j where rules[i].minIndexPercent <= later.minIndexPercent
                && (rules[i].minFieldPercent ?? -.infinity) <= (later.minFieldPercent ?? -.infinity) {
                return (i, j)
            }
        }
        return nil
    }

    /// Seed 004, section IV (13/2016/QĐ-UBND, 29/2018/QĐ-UBND of Hải Dương):
    /// excellent ≥ 90 % and every field ≥ 80 %; good ≥ 80 % and every field ≥ 70 %;
    /// completed ≥ 65 % and no field < 50 %; otherwise not completed. Because rules
    /// apply in order, a unit at 80 – 90 % with a field under 70 % is "completed".
    public static let seed004 = RatingRuleTable(rules: [
        RatingRule(rating: .excellent, minIndexPercent: 90, minFieldPercent: 80),
        RatingRule(rating: .good, minIndexPercent: 80, minFieldPercent: 70),
        RatingRule(rating: .completed, minIndexPercent: 65, minFieldPercent: 50),
    ])

    /// - Parameter fieldPercents: the rated fields' percentages; a field entirely
    ///   not applicable (nil) sets no condition.
    public func rate(indexPercent: Double, fieldPercents: [Double?]) -> HeadRating {
        let weakest = fieldPercents.compactMap { $0 }.min()
        for rule in rules where indexPercent >= rule.minIndexPercent {
            if let floor = rule.minFieldPercent, let weakest, weakest < floor { continue }
            return rule.rating
        }
        return fallback
    }
}
