import Testing
@testable import ParIndexCore

@Suite("Formula language")
struct FormulaTests {
    private func eval(_ source: String, _ values: [String: Double] = [:]) throws -> Double {
        let formula = try Formula(source, inputs: values.keys.sorted().map { FormulaInput(name: $0, label: $0) })
        return try formula.evaluate(values)
    }

    @Test("arithmetic, precedence and functions", arguments: [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 / 4", 2.5),
        ("-2 + 5", 3.0),
        ("2 - -3", 5.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("round(0.125, 2)", 0.13),
        ("if(1 > 2, 10, 20)", 20.0),
        ("1 < 2 and 2 < 3", 1.0),
        ("1 > 2 || 0", 0.0),
        ("not 0", 1.0),
        ("!(1 == 1)", 0.0),
        ("3 >= 3", 1.0),
        ("3 != 3", 0.0),
        ("1 + 2 < 4", 1.0),
        ("IF(0, 1, MAX(4, 5))", 5.0),
    ])
    func evaluates(source: String, expected: Double) throws {
        #expect(abs(try eval(source) - expected) < 1e-12)
    }

    @Test func inputsResolveBySlot() throws {
        let v = try eval("if(received == 0, 2, min(ontime / received, 1) * 2)", ["received": 40, "ontime": 30])
        #expect(v == 1.5)
    }

    @Test func ifIsLazySoItGuardsADivision() throws {
        #expect(try eval("if(d == 0, 0, n / d)", ["d": 0, "n": 5]) == 0)
    }

    @Test func runtimeDivisionByZeroIsAnError() {
        #expect(throws: FormulaError.divisionByZero) { try eval("n / d", ["d": 0, "n": 5]) }
    }

    @Test func missingInputValueIsAnError() throws {
        let f = try Formula("a + b", inputs: [.init(name: "a", label: "A"), .init(name: "b", label: "B")])
        #expect(throws: FormulaError.missingInput("b")) { try f.evaluate(["a": 1]) }
    }

    @Test("parse errors carry positions", arguments: [
        ("1 +", FormulaError.unexpectedEnd(expected: "một số, tên dữ liệu hoặc '('", position: 4)),
        ("a + zz", .unknownInput("zz", position: 5)),
        ("sqrt(a)", .unknownFunction("sqrt", position: 1)),
        ("a / 0", .divisionByLiteralZero(position: 3)),
        ("a $ 2", .unexpectedCharacter("$", position: 3)),
        ("if(a, 1)", .wrongArgumentCount(function: "if", expected: "3", got: 2, position: 1)),
        ("round()", .wrongArgumentCount(function: "round", expected: "1 hoặc 2", got: 0, position: 1)),
        ("(a + 1", .unexpectedEnd(expected: "')'", position: 7)),
        ("a 1", .unexpectedToken("1", expected: "toán tử hoặc kết thúc công thức", position: 3)),
        ("1..2", .invalidNumber("1..2", position: 1)),
        ("", .emptyExpression),
    ])
    func parseErrors(source: String, expected: FormulaError) {
        #expect(throws: expected) { try Formula(source, inputs: [.init(name: "a", label: "A")]) }
    }

    @Test func parseErrorMessagesAreVietnameseAndPositioned() {
        do {
            _ = try Formula("a + b", inputs: [.init(name: "a", label: "A")])
            Issue.record("expected an error")
        } catch {
            #expect(error.position == 5)
            #expect(error.messageVI.contains("'b'"))
            #expect(error.code == "formula.unknown_input")
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let source = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(throws: FormulaError.tooComplex(limit: FormulaParser.maxDepth)) { try Formula(source, inputs: []) }
    }

    /// Issue #20: a formula `((((…` 100.000 deep is a clean error, whatever its shape.
    @Test func hundredThousandDeepIsACleanError() {
        for source in [String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
                       String(repeating: "-", count: 100_000) + "1",
                       String(repeating: "min(", count: 25_000),
                       String(repeating: "(", count: 1_000) + "1" + String(repeating: ")", count: 1_000),
                       String(repeating: "!", count: 1_999) + "1"] {
            #expect(throws: FormulaError.self) { try Formula(source, inputs: []) }
        }
    }

    @Test func tooFewSlotsIsAnErrorNotATrap() throws {
        let f = try Formula("a + b", inputs: [FormulaInput(name: "a", label: "A"), FormulaInput(name: "b", label: "B")])
        #expect(throws: FormulaError.missingInput("b")) { try f.evaluate(slots: [1]) }
        #expect(try f.evaluate(slots: [1, 2]) == 3)
    }

    @Test func overlongSourceIsRejected() {
        let source = Array(repeating: "1", count: 1_500).joined(separator: "+")
        #expect(throws: FormulaError.tooComplex(limit: FormulaLexer.maxLength)) { try Formula(source, inputs: []) }
    }

    @Test func nonFiniteResultIsAnError() throws {
        let f = try Formula("a * a", inputs: [.init(name: "a", label: "A")])
        #expect(throws: FormulaError.notFinite) { try f.evaluate(["a": 1e200]) }
    }

    @Test func vietnameseIdentifiersAreAllowed() throws {
        #expect(try eval("số_hồ_sơ * 2", ["số_hồ_sơ": 3]) == 6)
    }
}
