import Foundation

/// A regime's outline (*đề cương*) as a coordinator types it in the regime page: one section
/// per line, `mã | tên mục | biểu mẫu, biểu mẫu` (the forms are optional), two spaces of
/// indent per level for sub-sections, `#` for comments. Same contract as the form files:
/// every problem with its line, nothing half-read.
public enum ReportOutlineText {
    /// Deep enough for "I. → 1. → a)"; a report deeper than that is not an outline people file.
    public static let maxDepth = 3
    public static let maxSections = 120

    public static func parse(_ text: String, knownForms: Set<String>) throws(FormValidationError) -> ReportOutline {
        var errors: [FormError] = []
        // (depth, section) in reading order; the tree is built from the depths afterwards.
        var flat: [(depth: Int, line: Int, section: OutlineSection)] = []
        var seen: [String: Int] = [:]
        for (i, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = i + 1
            let body = raw.trimmingCharacters(in: .whitespaces)
            if body.isEmpty || body.hasPrefix("#") { continue }
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 2 : 1) }
            let depth = indent / 2
            let parts = body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2, parts.count <= 3 else {
                errors.append(.invalidText(key: "outline", detailVI: "Mỗi mục ghi “mã | tên mục”, có thể thêm “| các biểu mẫu”; dòng này có \(parts.count) phần.", line: line))
                continue
            }
            let code = parts[0], title = parts[1]
            if code.isEmpty || code.count > 40 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) {
                errors.append(.invalidValue(key: "mã", text: code, expectedVI: "chữ không dấu, số, “_”, “.” hoặc “-” (tối đa 40 ký tự)", line: line))
            }
            if title.isEmpty || title.count > 300 || title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                errors.append(.invalidText(key: "tên mục", detailVI: "Tên mục phải có từ 1 đến 300 ký tự, không có ký tự điều khiển.", line: line))
            }
            if let first = seen[code] { errors.append(.duplicateCode(kindVI: "mục", code: code, line: line, firstLine: first)) }
            else { seen[code] = line }
            let forms = parts.count == 3 ? parts[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            for f in forms where !knownForms.contains(f) {
                errors.append(.invalidValue(key: "biểu mẫu", text: f, expectedVI: "mã một biểu mẫu của chế độ báo cáo (\(knownForms.sorted().joined(separator: ", ")))", line: line))
            }
            let parentDepth = flat.last?.depth ?? -1
            if depth > parentDepth + 1 {
                errors.append(.invalidText(key: "outline", detailVI: "Mục thụt vào sâu hơn một cấp so với mục trên nó (mỗi cấp thụt 2 dấu cách).", line: line))
            } else if depth >= maxDepth {
                errors.append(.invalidText(key: "outline", detailVI: "Đề cương có tối đa \(maxDepth) cấp mục.", line: line))
            }
            flat.append((depth, line, OutlineSection(code: code, title: title, formCodes: forms)))
        }
        if flat.isEmpty { errors.append(.invalidText(key: "outline", detailVI: "Đề cương phải có ít nhất một mục.", line: nil)) }
        if flat.count > maxSections {
            errors.append(.invalidText(key: "outline", detailVI: "Đề cương có \(flat.count) mục; tối đa \(maxSections).", line: flat[maxSections].line))
        }
        guard errors.isEmpty else { throw FormValidationError(errors: errors) }
        var index = 0
        func children(at depth: Int) -> [OutlineSection] {
            var out: [OutlineSection] = []
            while index < flat.count && flat[index].depth == depth {
                var s = flat[index].section
                index += 1
                s.children = children(at: depth + 1)
                out.append(s)
            }
            return out
        }
        return ReportOutline(sections: children(at: 0))
    }

    /// The text ``parse(_:knownForms:)`` reads back to the same outline.
    public static func render(_ outline: ReportOutline) -> String {
        var lines: [String] = []
        func walk(_ sections: [OutlineSection], _ depth: Int) {
            for s in sections {
                lines.append(String(repeating: "  ", count: depth) + "\(s.code) | \(s.title)" + (s.formCodes.isEmpty ? "" : " | " + s.formCodes.joined(separator: ", ")))
                walk(s.children, depth + 1)
            }
        }
        walk(outline.sections, 0)
        return lines.joined(separator: "\n")
    }
}

extension ReportOutline {
    /// Every section in reading order with its depth (0 at the top) and the number it is
    /// printed with, as reports number them: `I.`, `II.` at the top, `1.`, `2.` below, `a)` under those.
    public var flattened: [(section: OutlineSection, depth: Int, number: String)] {
        var out: [(OutlineSection, Int, String)] = []
        func walk(_ sections: [OutlineSection], _ depth: Int) {
            for (i, s) in sections.enumerated() {
                out.append((s, depth, Self.number(i + 1, depth: depth)))
                walk(s.children, depth + 1)
            }
        }
        walk(sections, 0)
        return out
    }

    static func number(_ n: Int, depth: Int) -> String {
        switch depth {
        case 0: RomanNumeral.format(n) + "."
        case 1: "\(n)."
        default: n <= 26 ? String(UnicodeScalar(UInt8(96 + n))) + ")" : "\(n))"
        }
    }

    /// The sections a unit writes text under: those without sub-sections (a heading with
    /// sub-sections is written through them).
    public var leaves: [OutlineSection] { flattened.map(\.section).filter(\.children.isEmpty) }

    /// Every form a section names, in outline order.
    public var formCodes: [String] { flattened.flatMap(\.section.formCodes) }
}

extension OutlineSection: Codable {
    enum CodingKeys: String, CodingKey { case code, title, forms, sections }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), title: try c.decode(String.self, forKey: .title),
                  formCodes: try c.decodeIfPresent([String].self, forKey: .forms) ?? [],
                  children: try c.decodeIfPresent([OutlineSection].self, forKey: .sections) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(title, forKey: .title)
        try c.encode(formCodes, forKey: .forms)
        try c.encode(children, forKey: .sections)
    }
}

extension ReportOutline: Codable {
    public init(from decoder: any Decoder) throws { self.init(sections: try [OutlineSection](from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try sections.encode(to: encoder) }
}

/// Roman numerals for the top sections of a report (`I.` … `XII.`).
enum RomanNumeral {
    static func format(_ n: Int) -> String {
        guard n > 0 && n < 4000 else { return String(n) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var rest = n, out = ""
        for (v, s) in table { while rest >= v { out += s; rest -= v } }
        return out
    }
}
