import Foundation

/// Vietnamese number notation: `.` groups thousands, `,` separates decimals
/// (`2.476` ballots, `71,5` points). Seeds and users write both; where a string is
/// unambiguous we also accept the international `71.5`.
public enum VietnameseNumber {
    public struct ParseError: DomainError, Equatable {
        public let text: String
        public var code: String { "number.invalid" }
        public var messageVI: String { "“\(text)” không phải là số hợp lệ (ví dụ: 71,5 hoặc 2.476)." }
    }

    /// Formats with `fractionDigits` decimals; `trimZeros` drops trailing zeros (`71,50` → `71,5`).
    public static func format(_ value: Double, fractionDigits: Int = 2, trimZeros: Bool = true) -> String {
        guard value.isFinite else { return "—" }
        let negative = value < 0
        let scaled = (abs(value) * pow(10, Double(fractionDigits))).rounded(.toNearestOrAwayFromZero)
        let digits = String(format: "%.0f", scaled)
        let padded = String(repeating: "0", count: max(0, fractionDigits + 1 - digits.count)) + digits
        let intPart = String(padded.dropLast(fractionDigits))
        var fracPart = String(padded.suffix(fractionDigits))
        if trimZeros { while fracPart.hasSuffix("0") { fracPart.removeLast() } }
        var result = groupThousands(intPart)
        if !fracPart.isEmpty { result += "," + fracPart }
        if negative && result.contains(where: { $0 != "0" && $0 != "," && $0 != "." }) { result = "-" + result }
        return result
    }

    /// Formats an integer count: `2476` → `2.476`.
    public static func format(_ value: Int) -> String {
        (value < 0 ? "-" : "") + groupThousands(String(value.magnitude))
    }

    /// Formats a share (0.8945 → `89,45 %`).
    public static func percent(_ ratio: Double, fractionDigits: Int = 2) -> String {
        format(ratio * 100, fractionDigits: fractionDigits, trimZeros: false) + " %"
    }

    /// Parses `71,5`, `2.476`, `1.234,5`, `71.5`, `-3`, ` 10 `.
    /// A single `.` followed by exactly three digits is read as a thousands separator
    /// (`2.476` = 2476), as Vietnamese users write it; any other lone `.` is a decimal point.
    public static func parse(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        guard !trimmed.isEmpty, let normalised = normalise(trimmed), let value = Double(normalised), value.isFinite else {
            throw ParseError(text: text)
        }
        return value
    }

    static func normalise(_ s: String) -> String? {
        var body = Substring(s)
        var sign = ""
        if body.first == "-" || body.first == "+" { sign = body.first == "-" ? "-" : ""; body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else { return nil }
        let commas = body.filter { $0 == "," }.count
        let dots = body.filter { $0 == "." }.count
        if commas > 1 { return nil }
        if commas == 1 {
            // `1.234,5`: dots must be thousands groups.
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty, !parts[1].contains("."),
                  let intPart = ungroup(parts[0]) else { return nil }
            return sign + intPart + "." + parts[1]
        }
        if dots == 0 { return sign + body }
        if dots == 1 {
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            return parts[1].count == 3 ? sign + parts[0] + parts[1] : sign + parts[0] + "." + parts[1]
        }
        return ungroup(body).map { sign + $0 }
    }

    /// `1.234.567` → `1234567`; nil when the groups are not of three digits.
    private static func ungroup(_ s: Substring) -> String? {
        let groups = s.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = groups.first, !first.isEmpty, first.count <= 3 || groups.count == 1 else { return nil }
        guard groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        return groups.joined()
    }

    private static func groupThousands(_ digits: String) -> String {
        var out: [Character] = []
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}
