import Foundation

/// Recursive-descent parser for the safe formula language.
///
/// Grammar (lowest precedence first):
///     or      := and (("or" | "||") and)*
///     and     := compare (("and" | "&&") compare)*
///     compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
///     sum     := product (("+" | "-") product)*
///     product := unary (("*" | "/") unary)*
///     unary   := ("-" | "!" | "not") unary | primary
///     primary := number | input | call | "(" or ")"
///     call    := ("min" | "max") "(" or ("," or)* ")" | "round" "(" or ("," or)? ")"
///              | "if" "(" or "," or "," or ")"
/// Names resolve to the node's declared inputs only: there is nothing else to reach.
struct FormulaParser {
    static let maxDepth = 64
    private let tokens: [FormulaToken]
    private let inputs: [String: Int]
    private var index = 0
    private var depth = 0

    static func parse(_ text: String, inputs: [String]) throws(FormulaError) -> FormulaExpression {
        let tokens = try FormulaLexer.tokenize(text)
        if case .end = tokens[0].kind { throw .emptyExpression }
        var slots: [String: Int] = [:]
        for (i, name) in inputs.enumerated() where slots[name] == nil { slots[name] = i }
        var parser = FormulaParser(tokens: tokens, inputs: slots)
        let expression = try parser.parseOr()
        let last = parser.current
        guard case .end = last.kind else {
            throw .unexpectedToken(last.display, expected: "toán tử hoặc kết thúc công thức", position: last.position)
        }
        return expression
    }

    private init(tokens: [FormulaToken], inputs: [String: Int]) {
        self.tokens = tokens
        self.inputs = inputs
    }

    private var current: FormulaToken { tokens[index] }

    private mutating func accept(_ symbol: String) -> Bool {
        if case .symbol(let s) = current.kind, s == symbol { index += 1; return true }
        return false
    }

    private mutating func acceptWord(_ word: String) -> Bool {
        if case .identifier(let s) = current.kind, s.lowercased() == word { index += 1; return true }
        return false
    }

    private mutating func expect(_ symbol: String) throws(FormulaError) {
        guard accept(symbol) else { throw unexpected(expected: "'\(symbol)'") }
    }

    private func unexpected(expected: String) -> FormulaError {
        if case .end = current.kind { return .unexpectedEnd(expected: expected, position: current.position) }
        return .unexpectedToken(current.display, expected: expected, position: current.position)
    }

    private mutating func parseOr() throws(FormulaError) -> FormulaExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw .tooComplex(limit: Self.maxDepth) }
        var left = try parseAnd()
        while accept("||") || acceptWord("or") { left = .binary(.or, left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(FormulaError) -> FormulaExpression {
        var left = try parseCompare()
        while accept("&&") || acceptWord("and") { left = .binary(.and, left, try parseCompare()) }
        return left
    }

    private mutating func parseCompare() throws(FormulaError) -> FormulaExpression {
        let left = try parseSum()
        for op in [FormulaOperator.lessOrEqual, .greaterOrEqual, .equal, .notEqual, .less, .greater]
        where accept(op.rawValue) {
            return .binary(op, left, try parseSum())
        }
        return left
    }

    private mutating func parseSum() throws(FormulaError) -> FormulaExpression {
        var left = try parseProduct()
        while true {
            if accept("+") { left = .binary(.add, left, try parseProduct()) }
            else if accept("-") { left = .binary(.subtract, left, try parseProduct()) }
            else { return left }
        }
    }

    private mutating func parseProduct() throws(FormulaError) -> FormulaExpression {
        var left = try parseUnary()
        while true {
            if accept("*") { left = .binary(.multiply, left, try parseUnary()) }
            else if case .symbol("/") = current.kind {
                let position = current.position
                index += 1
                let right = try parseUnary()
                // A literal zero divisor can never be right: reject it at load time.
                if case .number(0) = right { throw .divisionByLiteralZero(position: position) }
                left = .binary(.divide, left, right)
            } else { return left }
        }
    }

    private mutating func parseUnary() throws(FormulaError) -> FormulaExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw .tooComplex(limit: Self.maxDepth) }
        if accept("-") { return .negate(try parseUnary()) }
        if accept("!") || acceptWord("not") { return .not(try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(FormulaError) -> FormulaExpression {
        let token = current
        switch token.kind {
        case .number(let v):
            index += 1
            return .number(v)
        case .identifier(let name):
            index += 1
            if accept("(") { return try parseCall(name, position: token.position) }
            guard let slot = inputs[name] else { throw .unknownInput(name, position: token.position) }
            return .input(slot: slot)
        case .symbol("("):
            index += 1
            let inner = try parseOr()
            try expect(")")
            return inner
        default:
            throw unexpected(expected: "một số, tên dữ liệu hoặc '('")
        }
    }

    private mutating func parseCall(_ name: String, position: Int) throws(FormulaError) -> FormulaExpression {
        var args: [FormulaExpression] = []
        if !accept(")") {
            repeat { args.append(try parseOr()) } while accept(",")
            try expect(")")
        }
        func count(_ ok: Bool, _ expected: String) throws(FormulaError) {
            if !ok { throw .wrongArgumentCount(function: name, expected: expected, got: args.count, position: position) }
        }
        switch name.lowercased() {
        case "min":
            try count(!args.isEmpty, "ít nhất 1")
            return .minimum(args)
        case "max":
            try count(!args.isEmpty, "ít nhất 1")
            return .maximum(args)
        case "round":
            try count((1...2).contains(args.count), "1 hoặc 2")
            return .round(args[0], digits: args.count == 2 ? args[1] : nil)
        case "if":
            try count(args.count == 3, "3")
            return .conditional(args[0], then: args[1], else: args[2])
        default:
            throw .unknownFunction(name, position: position)
        }
    }
}
