import Foundation

/// The parsed form of a formula: built once at framework load and evaluated for
/// every unit. Inputs are resolved to slots at parse time, so evaluation never
/// looks a name up and can reach nothing but the node's own declared inputs.
public indirect enum FormulaExpression: Sendable, Hashable {
    case number(Double)
    case input(slot: Int)
    case negate(FormulaExpression)
    case not(FormulaExpression)
    case binary(FormulaOperator, FormulaExpression, FormulaExpression)
    case minimum([FormulaExpression])
    case maximum([FormulaExpression])
    case round(FormulaExpression, digits: FormulaExpression?)
    case conditional(FormulaExpression, then: FormulaExpression, else: FormulaExpression)
}

public enum FormulaOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case equal = "==", notEqual = "!="
    case and = "and", or = "or"
}

extension FormulaExpression {
    /// Evaluates with `slots[i]` holding the value of the i-th declared input.
    /// Booleans are 1 and 0; `if`, `and` and `or` evaluate lazily so that
    /// `if(d == 0, 0, n / d)` guards a division.
    public func evaluate(_ slots: [Double]) throws(FormulaError) -> Double {
        switch self {
        case .number(let v): return v
        case .input(let slot): return slots[slot]
        case .negate(let e): return -(try e.evaluate(slots))
        case .not(let e): return try e.evaluate(slots) == 0 ? 1 : 0
        case .binary(let op, let l, let r): return try Self.apply(op, l, r, slots)
        case .minimum(let args):
            var best = try args[0].evaluate(slots)
            for a in args.dropFirst() { best = Swift.min(best, try a.evaluate(slots)) }
            return best
        case .maximum(let args):
            var best = try args[0].evaluate(slots)
            for a in args.dropFirst() { best = Swift.max(best, try a.evaluate(slots)) }
            return best
        case .round(let e, let digits):
            let value = try e.evaluate(slots)
            let d = try digits?.evaluate(slots) ?? 0
            let scale = Foundation.pow(10, d.rounded())
            // Vietnamese administrative rounding is half away from zero (0,125 → 0,13).
            return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
        case .conditional(let c, let t, let f):
            return try c.evaluate(slots) != 0 ? t.evaluate(slots) : f.evaluate(slots)
        }
    }

    private static func apply(_ op: FormulaOperator, _ l: FormulaExpression, _ r: FormulaExpression,
                              _ slots: [Double]) throws(FormulaError) -> Double {
        let a = try l.evaluate(slots)
        switch op {
        case .and: return a != 0 ? (try r.evaluate(slots) != 0 ? 1 : 0) : 0
        case .or: return a != 0 ? 1 : (try r.evaluate(slots) != 0 ? 1 : 0)
        default: break
        }
        let b = try r.evaluate(slots)
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide:
            guard b != 0 else { throw .divisionByZero }
            return a / b
        case .less: return a < b ? 1 : 0
        case .lessOrEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterOrEqual: return a >= b ? 1 : 0
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .and, .or: return 0 // handled above
        }
    }
}
