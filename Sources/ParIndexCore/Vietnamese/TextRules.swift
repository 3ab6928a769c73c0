import Foundation

/// The one rule for text typed or imported by users (names, codes, free text).
///
/// Issue #20 found that limits counted grapheme clusters, so one letter followed by 100.000
/// combining marks passed a 255-character limit; and that NUL, U+FFFE/U+FFFF and bidi
/// overrides were accepted in names, U+FFFF making the XLSX, DOCX and PDF exports unreadable.
/// So: text is normalised to NFC (Vietnamese letters are then one scalar each, so the limit
/// still reads as "characters" to a Vietnamese user), limits count Unicode scalars, and
/// characters that are invisible or illegal in files are refused with a message naming the field.
public enum TextRules {
    public enum Kind: Sendable {
        /// One-line names and titles: no control character at all, no noncharacter, no bidi override
        /// (an override can make `Sở Tài chính` display as another unit's name in lists and reports).
        case name
        /// Codes: the same as names (their own character sets are checked by their owners).
        case code
        /// Reasons, notes, explanations: TAB, LF and CR allowed; bidi controls allowed because
        /// a quotation may need them and free text never identifies anything.
        case multiline
    }

    /// The cleaned value (NFC, trimmed) and, when the text is refused, why, in Vietnamese.
    public struct Checked: Sendable, Equatable {
        public var value: String
        public var messageVI: String?
        public var isValid: Bool { messageVI == nil }
    }

    /// Normalises `raw` and checks it. `fieldVI` is the field's Vietnamese label as it starts a
    /// sentence (`Tên đơn vị`); `maxLength` counts Unicode scalars of the NFC form.
    public static func check(_ raw: String, _ kind: Kind, fieldVI: String, maxLength: Int,
                             required: Bool = true) -> Checked {
        let value = normalise(raw)
        if value.isEmpty {
            return Checked(value: value, messageVI: required ? "\(fieldVI) không được để trống." : nil)
        }
        if let (scalar, position) = firstForbidden(value, kind) {
            return Checked(value: value, messageVI: "\(fieldVI) chứa \(describe(scalar)) ở vị trí thứ "
                           + "\(VietnameseNumber.format(position)); hãy xoá ký tự này.")
        }
        let length = value.unicodeScalars.count
        if length > maxLength {
            return Checked(value: value, messageVI: "\(fieldVI) dài quá \(VietnameseNumber.format(maxLength)) ký tự "
                           + "(hiện có \(VietnameseNumber.format(length)) ký tự).")
        }
        return Checked(value: value, messageVI: nil)
    }

    /// NFC, then trimmed: names lose surrounding spaces and line breaks, free text its surrounding blank lines.
    public static func normalise(_ raw: String) -> String {
        raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first refused scalar and its 1-based position among the scalars.
    static func firstForbidden(_ s: String, _ kind: Kind) -> (Unicode.Scalar, Int)? {
        for (i, scalar) in s.unicodeScalars.enumerated() where isForbidden(scalar, kind) {
            return (scalar, i + 1)
        }
        return nil
    }

    public static func isForbidden(_ scalar: Unicode.Scalar, _ kind: Kind) -> Bool {
        if isNoncharacter(scalar) { return true }
        if scalar.properties.generalCategory == .control {
            return !(kind == .multiline && (scalar == "\t" || scalar == "\n" || scalar == "\r"))
        }
        switch kind {
        case .name, .code:
            // Line and paragraph separators break a one-line field as LF would.
            return isBidiControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
        case .multiline:
            return false
        }
    }

    /// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE …).
    public static func isNoncharacter(_ scalar: Unicode.Scalar) -> Bool {
        (0xFDD0...0xFDEF).contains(scalar.value) || scalar.value & 0xFFFE == 0xFFFE
    }

    /// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    static func hex(_ scalar: Unicode.Scalar) -> String {
        let h = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        if isNoncharacter(scalar) { return "ký tự không hợp lệ \(hex(scalar))" }
        if isBidiControl(scalar) { return "ký tự điều khiển hướng chữ \(hex(scalar))" }
        if scalar == "\n" || scalar == "\r" || scalar.value == 0x2028 || scalar.value == 0x2029 {
            return "dấu xuống dòng (\(hex(scalar)))"
        }
        if scalar == "\t" { return "dấu tab (\(hex(scalar)))" }
        return "ký tự điều khiển \(hex(scalar))"
    }
}

extension TextRules.Checked {
    /// `(value, messageVI)`, for `let (name, problem) = TextRules.check(…).pair`.
    public var pair: (String, String?) { (value, messageVI) }
}
