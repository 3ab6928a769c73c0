import Foundation

/// A named input of a formula node, e.g. `received` "Số hồ sơ tiếp nhận".
public struct FormulaInput: Sendable, Hashable {
    public var name: String
    public var label: String

    public init(name: String, label: String) {
        self.name = name
        self.label = label
    }
}

/// A formula leaf's rule: declared inputs, the source text (kept for display and
/// export) and its AST, parsed once when the framework is loaded.
public struct Formula: Sendable, Hashable {
    public let source: String
    public let inputs: [FormulaInput]
    public let expression: FormulaExpression

    public init(_ source: String, inputs: [FormulaInput]) throws(FormulaError) {
        self.source = source
        self.inputs = inputs
        self.expression = try FormulaParser.parse(source, inputs: inputs.map(\.name))
    }

    /// Evaluates with values given by input name; every declared input must be present.
    public func evaluate(_ values: [String: Double]) throws(FormulaError) -> Double {
        var slots = [Double](repeating: 0, count: inputs.count)
        for (i, input) in inputs.enumerated() {
            guard let v = values[input.name] else { throw .missingInput(input.name) }
            slots[i] = v
        }
        return try evaluate(slots: slots)
    }

    /// Evaluates with values in the order of `inputs`.
    public func evaluate(slots: [Double]) throws(FormulaError) -> Double {
        // A short array would index past its end in the expression.
        if slots.count < inputs.count { throw .missingInput(inputs[slots.count].name) }
        let value = try expression.evaluate(slots)
        guard value.isFinite else { throw .notFinite }
        return value
    }
}
