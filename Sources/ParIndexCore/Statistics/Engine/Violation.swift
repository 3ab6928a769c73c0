import Foundation

/// One failed check of a submission, shown beside its cells.
public struct Violation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A validation rule of the form.
        case rule
        /// A figure the unit stated differs from the one computed from its parts.
        case stated
        /// A cell moved more than the allowed factor against the same period last year.
        case outlier
        /// A cell outside the unit's min–max bounds.
        case bounds
    }

    public var kind: Kind
    /// The rule, stated figure or outlier check.
    public var code: String
    public var row: String
    public var cells: [CellKey]
    public var left: Double?
    public var right: Double?
    public var importance: Importance
    /// The figures as the seed writes them: `2.363 ≠ 1.146 + 1.123 + 194 = 2.463`.
    public var figuresVI: String
    public var messageVI: String

    /// Stable within a form version: explanations (giải trình) are keyed by it.
    public var key: String { "\(kind.rawValue):\(code)@\(row)" }

    public var blocksSubmission: Bool { importance == .high }
}

public struct FormEvaluation: Sendable {
    /// The submission's values with totals and computed cells filled in.
    public var grid: FormGrid
    public var violations: [Violation]
    /// Rule instances evaluated (skipped by the missing-value strategy not counted).
    public var rulesEvaluated: Int
    public var rulesSkipped: Int

    public var blocking: [Violation] { violations.filter(\.blocksSubmission) }
}
