import Foundation

/// Accent-insensitive search and Vietnamese alphabetical order.
///
/// Search: `son ham` must find `Sơn Hàm`, `DUONG` must find `Dương`. Folding removes
/// diacritics and maps `đ` to `d`, which Unicode decomposition alone does not do.
///
/// Order: the Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
/// and tone marks order after the base letter (none, grave, hook, tilde, acute, dot below).
/// A plain byte or locale-less compare puts `Đ` after `Z`; we build an explicit key.
public enum VietnameseText {
    /// Lowercase, diacritic-free, whitespace-collapsed form used for search.
    public static func fold(_ s: String) -> String {
        let lowered = s.lowercased().replacingOccurrences(of: "đ", with: "d")
        var scalars = String.UnicodeScalarView()
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars
        where !(0x0300...0x036F).contains(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// True when every word of `query` occurs (accent- and case-insensitively) in `text`.
    public static func matches(_ text: String, query: String) -> Bool {
        let haystack = fold(text)
        return fold(query).split(separator: " ").allSatisfy { haystack.contains($0) }
    }

    private static let baseOrder: [Character] = Array("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    private static let rank: [Character: Int] = Dictionary(uniqueKeysWithValues: baseOrder.enumerated().map { ($1, $0) })
    // Combining tone marks in the traditional order: none, huyền, hỏi, ngã, sắc, nặng.
    private static let tones: [Unicode.Scalar: Int] = [
        "\u{0300}": 1, "\u{0309}": 2, "\u{0303}": 3, "\u{0301}": 4, "\u{0323}": 5,
    ]
    // Marks that make a distinct letter (ă â ê ô ơ ư) rather than a tone.
    private static let letterMarks: Set<Unicode.Scalar> = ["\u{0306}", "\u{0302}", "\u{031B}"]

    /// A key whose lexicographic order is Vietnamese alphabetical order: letters first,
    /// then tones as a tie-breaker, then the original string.
    public static func sortKey(_ s: String) -> [Int] {
        var primary: [Int] = []
        var secondary: [Int] = []
        for ch in s.lowercased() {
            let scalars = Array(String(ch).decomposedStringWithCanonicalMapping.unicodeScalars)
            guard let first = scalars.first else { continue }
            var letter = String(first)
            var tone = 0
            for mark in scalars.dropFirst() {
                if letterMarks.contains(mark) { letter.unicodeScalars.append(mark) }
                else if let t = tones[mark] { tone = t }
            }
            let composed = Character(letter.precomposedStringWithCanonicalMapping)
            if let r = rank[composed] {
                primary.append(1000 + r * 10)
            } else if composed.isNumber, let v = composed.wholeNumberValue {
                primary.append(100 + v)
            } else if composed.isWhitespace {
                primary.append(0)
            } else {
                primary.append(2000 + Int(first.value))
            }
            secondary.append(tone)
        }
        return primary + [-1] + secondary
    }

    public static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        let ka = sortKey(a), kb = sortKey(b)
        if ka == kb { return a < b }
        return ka.lexicographicallyPrecedes(kb)
    }
}

extension Sequence {
    /// Sorts by a Vietnamese string key, computing each key once.
    public func sortedVietnamese(by key: (Element) -> String) -> [Element] {
        map { (VietnameseText.sortKey(key($0)), key($0), $0) }
            .sorted { l, r in l.0 == r.0 ? l.1 < r.1 : l.0.lexicographicallyPrecedes(r.0) }
            .map { $0.2 }
    }
}

extension VietnameseText {
    /// ``sortKey(_:)`` as a string of lowercase hex digits whose byte order (and any
    /// database collation's order, since it has only `0-9a-f`) is Vietnamese order, so a
    /// database can sort by it.
    public static func sortKeyString(_ s: String) -> String {
        sortKey(s).map { v in
            let clamped = max(0, min(0xFFFF, v + 1)) // -1 separator becomes 0000
            let hex = String(clamped, radix: 16)
            return String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }
}
