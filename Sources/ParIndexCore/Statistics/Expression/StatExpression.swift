import Foundation

/// Which period a cell reference reads. Cross-period rules ("carried over this period =
/// pending at the end of the previous one", YEAR-ROUND §1) and outlier checks against the
/// same period last year need the other two.
public enum PeriodOffset: String, Sendable, Hashable, CaseIterable {
    case current
    case previous
    case lastYear = "last_year"
}

/// A cell named in a formula or rule: `c3` (this row), `c3[tong]` (row `tong`),
/// `previous(c11)`, `last_year(c3[tong])`.
public struct FormCellReference: Sendable, Hashable {
    public var column: String
    public var row: String?
    public var period: PeriodOffset

    public init(column: String, row: String? = nil, period: PeriodOffset = .current) {
        self.column = column
        self.row = row
        self.period = period
    }

    public var text: String {
        let base = row.map { "\(column)[\($0)]" } ?? column
        return period == .current ? base : "\(period.rawValue)(\(base))"
    }
}

public enum StatOperator: String, Sendable, Hashable {
    case add = "+", subtract = "−", multiply = "×", divide = "÷"

    var precedence: Int { self == .add || self == .subtract ? 1 : 2 }
}

/// The expression language of form files: numbers, cell references, + − × ÷ and
/// parentheses. Nothing else, so a civil servant can read every rule of a form
/// (DHIS2's expressions are the model, without its `#{uid.coc}` syntax).
public indirect enum StatExpression: Sendable, Hashable {
    case number(Double)
    case cell(FormCellReference)
    case negate(StatExpression)
    case binary(StatOperator, StatExpression, StatExpression)

    /// Every reference, left to right.
    public var references: [FormCellReference] {
        switch self {
        case .number: []
        case .cell(let r): [r]
        case .negate(let e): e.references
        case .binary(_, let l, let r): l.references + r.references
        }
    }

    /// The expression with each reference replaced by `render(ref)`: `1.146 + 1.123 + 194`.
    public func rendered(_ render: (FormCellReference) -> String) -> String {
        rendered(render, parentPrecedence: 0, rightSide: false)
    }

    private func rendered(_ render: (FormCellReference) -> String, parentPrecedence: Int, rightSide: Bool) -> String {
        switch self {
        case .number(let v): return StatNumberFormat.plain(v)
        case .cell(let r): return render(r)
        case .negate(let e): return "−" + e.rendered(render, parentPrecedence: 3, rightSide: false)
        case .binary(let op, let l, let r):
            let p = op.precedence
            let text = l.rendered(render, parentPrecedence: p, rightSide: false) + " \(op.rawValue) "
                + r.rendered(render, parentPrecedence: p, rightSide: true)
            // a − (b + c) and a ÷ (b × c) keep their parentheses.
            let needs = p < parentPrecedence || (p == parentPrecedence && rightSide)
            return needs ? "(\(text))" : text
        }
    }

    /// The formula as written in a form file, normalised: `c3 − (c4 + c5)`.
    public var text: String { rendered { $0.text } }

    public var isSingleReference: Bool {
        if case .cell = self { return true }
        return false
    }
}

/// Why an expression of a form file could not be read. Positions are 1-based
/// characters in the expression, so the editor can point at the spot.
public struct StatExpressionError: Error, Sendable, Hashable {
    public var position: Int
    public var detailVI: String

    public var messageVI: String { "vị trí \(position): \(detailVI)" }
}

/// Recursive descent over the characters, with a depth bound: form files are
/// human-edited and a runaway `((((…` must be an error, not a stack overflow.
public struct StatExpressionParser {
    static let maxDepth = 64
    static let maxLength = 4_000

    private let chars: [Character]
    private var pos = 0
    private var depth = 0

    public static func parse(_ text: String) throws(StatExpressionError) -> StatExpression {
        guard text.count <= maxLength else {
            throw StatExpressionError(position: 1, detailVI: "công thức quá dài (tối đa \(VietnameseNumber.format(maxLength)) ký tự)")
        }
        var p = StatExpressionParser(chars: Array(text))
        p.skipSpaces()
        guard p.pos < p.chars.count else { throw StatExpressionError(position: 1, detailVI: "công thức trống") }
        let e = try p.expression()
        p.skipSpaces()
        if p.pos < p.chars.count {
            throw StatExpressionError(position: p.pos + 1, detailVI: "thừa '\(p.chars[p.pos])'; cần + − × ÷ hoặc hết công thức")
        }
        return e
    }

    private init(chars: [Character]) { self.chars = chars }

    private mutating func skipSpaces() { while pos < chars.count, chars[pos].isWhitespace { pos += 1 } }

    private mutating func peekOperator(_ set: [Character: StatOperator]) -> StatOperator? {
        skipSpaces()
        guard pos < chars.count, let op = set[chars[pos]] else { return nil }
        pos += 1
        return op
    }

    static let additive: [Character: StatOperator] = ["+": .add, "-": .subtract, "−": .subtract, "–": .subtract]
    static let multiplicative: [Character: StatOperator] = ["*": .multiply, "×": .multiply, "/": .divide, "÷": .divide, ":": .divide]

    private mutating func expression() throws(StatExpressionError) -> StatExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw StatExpressionError(position: pos + 1, detailVI: "quá \(Self.maxDepth) mức ngoặc lồng nhau")
        }
        var left = try term()
        while let op = peekOperator(Self.additive) { left = .binary(op, left, try term()) }
        return left
    }

    private mutating func term() throws(StatExpressionError) -> StatExpression {
        var left = try factor()
        while let op = peekOperator(Self.multiplicative) { left = .binary(op, left, try factor()) }
        return left
    }

    private mutating func factor() throws(StatExpressionError) -> StatExpression {
        skipSpaces()
        guard pos < chars.count else {
            throw StatExpressionError(position: pos + 1, detailVI: "công thức kết thúc sớm; cần một số, một cột hoặc '('")
        }
        let c = chars[pos]
        if c == "-" || c == "−" || c == "–" {
            pos += 1
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw StatExpressionError(position: pos, detailVI: "quá nhiều dấu trừ liên tiếp") }
            return .negate(try factor())
        }
        if c == "(" {
            pos += 1
            let e = try expression()
            skipSpaces()
            guard pos < chars.count, chars[pos] == ")" else {
                throw StatExpressionError(position: pos + 1, detailVI: "thiếu dấu ')'")
            }
            pos += 1
            return e
        }
        if c.isASCII && c.isNumber { return try number() }
        if Self.isIdentifierStart(c) { return .cell(try reference()) }
        throw StatExpressionError(position: pos + 1, detailVI: "ký tự không hợp lệ '\(c)'")
    }

    private mutating func number() throws(StatExpressionError) -> StatExpression {
        let start = pos
        var text = ""
        var separators = 0
        while pos < chars.count, chars[pos].isASCII, chars[pos].isNumber || chars[pos] == "." || chars[pos] == "," {
            if chars[pos] == "." || chars[pos] == "," { separators += 1; text.append(".") } else { text.append(chars[pos]) }
            pos += 1
        }
        // Formulas have no thousands separators: `100`, `0.5` or `0,5`.
        guard separators <= 1, !text.hasSuffix("."), let v = Double(text), v.isFinite else {
            throw StatExpressionError(position: start + 1, detailVI: "số không hợp lệ '\(String(chars[start..<pos]))' (viết 100, 0,5 hoặc 0.5)")
        }
        return .number(v)
    }

    static func isIdentifierStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    static func isIdentifier(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    private mutating func identifier() -> String {
        let start = pos
        while pos < chars.count, Self.isIdentifier(chars[pos]) { pos += 1 }
        return String(chars[start..<pos])
    }

    private mutating func reference() throws(StatExpressionError) -> FormCellReference {
        let start = pos
        let name = identifier()
        skipSpaces()
        if pos < chars.count, chars[pos] == "(" {
            guard let period = PeriodOffset(rawValue: name), period != .current else {
                throw StatExpressionError(position: start + 1, detailVI: "hàm '\(name)' không được hỗ trợ; chỉ dùng previous(…) hoặc last_year(…)")
            }
            pos += 1
            skipSpaces()
            guard pos < chars.count, Self.isIdentifierStart(chars[pos]) else {
                throw StatExpressionError(position: pos + 1, detailVI: "\(name)(…) cần một cột, ví dụ \(name)(c11)")
            }
            var inner = try reference()
            guard inner.period == .current else {
                throw StatExpressionError(position: start + 1, detailVI: "không lồng previous/last_year vào nhau")
            }
            inner.period = period
            skipSpaces()
            guard pos < chars.count, chars[pos] == ")" else { throw StatExpressionError(position: pos + 1, detailVI: "thiếu dấu ')'") }
            pos += 1
            return inner
        }
        var ref = FormCellReference(column: name)
        if pos < chars.count, chars[pos] == "[" {
            pos += 1
            skipSpaces()
            let row = identifier()
            skipSpaces()
            guard !row.isEmpty, pos < chars.count, chars[pos] == "]" else {
                throw StatExpressionError(position: pos + 1, detailVI: "sau '[' cần mã dòng rồi ']', ví dụ c3[tong]")
            }
            pos += 1
            ref.row = row
        }
        return ref
    }
}
