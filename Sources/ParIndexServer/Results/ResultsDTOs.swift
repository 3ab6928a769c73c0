import Foundation
import ParIndexCore
import Vapor

/// What publication freezes: enough to show the ranking, the score sheet summary and the
/// flags without recomputing anything.
struct PublishedResults: Content {
    struct Field: Content { var code: String; var title: String; var maxDisplay: String }
    struct UnitRow: Content {
        var unitId: UUID
        var unitCode: String
        var unitName: String
        var rank: Int
        var rankChange: Int?
        /// "tăng 3 bậc", "giảm 2 bậc", "không đổi", or "mới" for a unit new this year.
        var rankChangeText: String
        var totalPoints: Double
        var totalDisplay: String
        /// The unit's own claim before appraisal (self-scored inputs only).
        var claimedDisplay: String
        /// Per-field % of the claim, beside ``fieldPercents`` (what stands) for the council.
        var claimedFieldPercents: [String]?
        var maxDisplay: String
        var indexPercent: Double
        var indexDisplay: String
        var band: String?
        var rating: String
        var fieldPercents: [String]
        var reviewFields: [String]
        var flaggedAgain: Bool
    }
    var campaignId: UUID
    var campaignName: String
    var frameworkTitle: String
    var computedAt: Date
    var version: Int?
    var publishedAt: String?
    var reason: String?
    var fields: [Field]
    var units: [UnitRow]
}

extension PublishedResults.UnitRow {
    /// The figures behind the display strings a snapshot keeps (what was published is what
    /// was shown, to two decimals): the max points, and the per-field percentages with nil for
    /// a field where nothing applied ("—").
    var maxPoints: Double { (try? VietnameseNumber.parse(maxDisplay)) ?? 0 }
    var fieldPercentValues: [Double?] {
        fieldPercents.map { try? VietnameseNumber.parse($0.replacingOccurrences(of: " %", with: "")) }
    }
}
