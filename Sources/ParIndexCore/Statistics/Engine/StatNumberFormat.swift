import Foundation

/// Figures in violation messages, in Vietnamese notation (`2.363`, `83,9 %`), because the
/// message is read next to the official form, which writes them that way.
public enum StatNumberFormat {
    /// Integers grouped (`2.463`); others with up to two decimals (`0,5`).
    public static func plain(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        if v == v.rounded(), abs(v) < 1e15 { return VietnameseNumber.format(Int(v)) }
        return VietnameseNumber.format(v, fractionDigits: 2)
    }

    /// A cell value as its type is shown: a percent with one decimal (`83,9 %`) unless
    /// `decimals` says otherwise (the precision a unit stated it with).
    public static func value(_ v: Double, type: CellType, decimals: Int? = nil) -> String {
        guard v.isFinite else { return "—" }
        switch type {
        case .percent:
            return VietnameseNumber.format(v, fractionDigits: decimals ?? 1, trimZeros: false) + " %"
        default:
            if let decimals { return VietnameseNumber.format(v, fractionDigits: decimals, trimZeros: false) }
            return plain(v)
        }
    }

    /// Rounds half away from zero to `decimals`, as people round when they state a rate.
    static func round(_ v: Double, decimals: Int) -> Double {
        let f = pow(10, Double(decimals))
        return (v * f).rounded(.toNearestOrAwayFromZero) / f
    }
}
