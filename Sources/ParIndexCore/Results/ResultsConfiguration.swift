import Foundation

/// Who must hold a review (*kiểm điểm*): a unit whose chosen fields fall under a threshold.
/// Seed 004, 2.2: administrative-procedure reform (field 3) or digital government (field 7)
/// under 75 %. A framework file chooses the fields by tag (`tthc`, `digital`), because the
/// fields are renumbered between frameworks (issue #12); the codes are resolved from the tags.
public struct ReviewRule: Sendable, Hashable {
    public var fieldCodes: [String]
    public var fieldTags: [String]
    public var thresholdPercent: Double

    public init(fieldCodes: [String] = [], fieldTags: [String] = [], thresholdPercent: Double) {
        self.fieldCodes = fieldCodes
        self.fieldTags = fieldTags
        self.thresholdPercent = thresholdPercent
    }

    public static let seed004 = ReviewRule(fieldCodes: ["3", "7"], thresholdPercent: 75)
}

/// Everything about results that is a method rather than arithmetic: the bands, the
/// head-of-unit rating table, the review rule, and the scale totals are shown on. A framework
/// carries its own (its `results:` block); without one, seed 004's (Hải Dương's) apply.
public struct ResultsConfiguration: Sendable, Hashable {
    public var bands: BandTable
    public var rating: RatingRuleTable
    public var review: ReviewRule
    /// Totals shown out of this many points (a framework of 70 with no survey part shown out
    /// of 100); nil: out of the framework's own total.
    public var totalScale: Double?
    /// True for a framework's own rules, false for seed 004's applied by default.
    public var isFrameworks: Bool

    public init(bands: BandTable = .seed004, rating: RatingRuleTable = .seed004, review: ReviewRule = .seed004,
                totalScale: Double? = nil, isFrameworks: Bool = false) {
        self.bands = bands
        self.rating = rating
        self.review = review
        self.totalScale = totalScale
        self.isFrameworks = isFrameworks
    }

    public static let seed004 = ResultsConfiguration()

    /// Field tags resolved to the framework's field codes (a rule written with tags names
    /// whichever fields carry them).
    public func resolved(for framework: Framework) -> ResultsConfiguration {
        func codes(_ tags: [String]) -> [String] {
            framework.nodes.filter { !Set($0.tags).isDisjoint(with: tags) }.map(\.code)
        }
        var out = self
        if !review.fieldTags.isEmpty { out.review.fieldCodes = codes(review.fieldTags) }
        if let tags = rating.fieldTags, !tags.isEmpty { out.rating.fieldCodes = codes(tags) }
        return out
    }

    /// The rules in words, for the results page and the annual report ("which rules were applied").
    public var descriptionVI: [String] {
        func pct(_ v: Double) -> String { VietnameseNumber.format(v, fractionDigits: 2) + " %" }
        var lines: [String] = [isFrameworks ? "Quy tắc kết quả của bộ chỉ số." : "Quy tắc kết quả mặc định (theo Báo cáo kết quả Chỉ số CCHC năm 2022 của tỉnh Hải Dương)."]
        let bandText = bands.bands.map { b in
            b.minPercent.isFinite ? "\(b.label) (từ \(pct(b.minPercent)))" : "\(b.label) (còn lại)"
        }
        lines.append("Xếp nhóm theo chỉ số: " + bandText.joined(separator: "; ") + ".")
        let rated = rating.fieldTags.map { "các lĩnh vực gắn nhãn " + $0.joined(separator: ", ") }
            ?? rating.fieldCodes.map { "các lĩnh vực " + $0.joined(separator: ", ") } ?? "mọi lĩnh vực tính điểm"
        let ruleText = rating.rules.map { r in
            "\(r.rating.labelVI): chỉ số từ \(pct(r.minIndexPercent))" + (r.minFieldPercent.map { ", \(rated) từ \(pct($0))" } ?? "")
        }
        lines.append("Xếp loại người đứng đầu (xét theo thứ tự): " + ruleText.joined(separator: "; ") + "; còn lại: \(rating.fallback.labelVI).")
        let fields = review.fieldTags.isEmpty ? review.fieldCodes.map { "lĩnh vực \($0)" } : review.fieldTags.map { "nhãn \($0)" }
        if !fields.isEmpty {
            lines.append("Phải kiểm điểm khi " + fields.joined(separator: " hoặc ") + " dưới \(pct(review.thresholdPercent))"
                         + (review.fieldTags.isEmpty ? "" : " (các lĩnh vực: \(review.fieldCodes.isEmpty ? "không có" : review.fieldCodes.joined(separator: ", ")))")
                         + "; bị nêu lại năm sau là “không có sự chuyển biến sau kiểm điểm”.")
        }
        if let totalScale { lines.append("Tổng điểm quy về thang \(VietnameseNumber.format(totalScale, fractionDigits: 2)) điểm.") }
        return lines
    }
}
