import Foundation

/// One lexical token of a formula with its 1-based character position.
struct FormulaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case identifier(String)
        case symbol(String)
        case end
    }
    let kind: Kind
    let position: Int
    /// The token as written, for error messages.
    var text: String = ""

    var display: String {
        switch kind {
        case .number: text
        case .identifier(let s), .symbol(let s): s
        case .end: "kết thúc"
        }
    }
}

/// Splits a formula into tokens. Decimals use a dot because the comma separates
/// function arguments (`min(a, 0.5)`), as in spreadsheet formulas.
enum FormulaLexer {
    static let maxLength = 2_000
    private static let twoCharSymbols: Set<String> = ["<=", ">=", "==", "!=", "&&", "||"]
    private static let oneCharSymbols: Set<Character> = ["+", "-", "*", "/", "(", ")", ",", "<", ">", "!"]

    static func tokenize(_ text: String) throws(FormulaError) -> [FormulaToken] {
        let chars = Array(text)
        guard chars.count <= maxLength else { throw .tooComplex(limit: maxLength) }
        var tokens: [FormulaToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isASCII && (c.isNumber || c == ".") {
                let start = i
                while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
                let literal = String(chars[start..<i])
                guard let value = Double(literal) else { throw .invalidNumber(literal, position: start + 1) }
                tokens.append(.init(kind: .number(value), position: start + 1, text: literal))
            } else if c.isLetter || c == "_" {
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                tokens.append(.init(kind: .identifier(String(chars[start..<i])), position: start + 1))
            } else if i + 1 < chars.count, twoCharSymbols.contains(String(chars[i...i + 1])) {
                tokens.append(.init(kind: .symbol(String(chars[i...i + 1])), position: i + 1))
                i += 2
            } else if oneCharSymbols.contains(c) {
                tokens.append(.init(kind: .symbol(String(c)), position: i + 1))
                i += 1
            } else {
                throw .unexpectedCharacter(c, position: i + 1)
            }
        }
        tokens.append(.init(kind: .end, position: chars.count + 1))
        return tokens
    }
}
