import Foundation

/// A band of units by index percentage: at or above `minPercent`, below the next band up.
public struct BandRule: Sendable, Hashable {
    public var label: String
    public var minPercent: Double
    /// `#rrggbb` for charts and tables; nil: the shade for its threshold.
    public var colour: String?

    public init(label: String, minPercent: Double, colour: String? = nil) {
        self.label = label
        self.minPercent = minPercent
        self.colour = colour
    }
}

/// Bands and their labels are configuration: the national index uses A/B/C,
/// provinces use their own thresholds or words (Tốt / Khá / Trung bình / Yếu).
public struct BandTable: Sendable, Hashable {
    public var bands: [BandRule]

    public init(_ bands: [BandRule]) {
        self.bands = bands.sorted { $0.minPercent > $1.minPercent }
    }

    /// Seed 004, section III: ≥ 90 %, 80 – < 90 %, 70 – < 80 %, < 70 %.
    public static let seed004 = BandTable([
        BandRule(label: "Từ 90% trở lên", minPercent: 90),
        BandRule(label: "Từ 80% đến dưới 90%", minPercent: 80),
        BandRule(label: "Từ 70% đến dưới 80%", minPercent: 70),
        BandRule(label: "Dưới 70%", minPercent: -Double.infinity),
    ])

    /// Compared on the unrounded percentage: 89,999 % is not in the 90 % band.
    public func band(for percent: Double) -> BandRule? {
        bands.first { percent >= $0.minPercent }
    }
}
