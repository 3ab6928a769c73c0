import Foundation

/// One step of a compiled expression (postfix). 16 bytes, read in a tight loop.
@usableFromInline
struct StatOp: Sendable, Hashable {
    @usableFromInline enum Kind: UInt8, Sendable { case cell, constant, add, subtract, multiply, divide, negate }
    @usableFromInline var kind: Kind
    /// For `.cell`: 0 current, 1 previous period, 2 same period last year.
    @usableFromInline var period: UInt8
    @usableFromInline var index: Int32
    @usableFromInline var constant: Double
}

/// A compiled expression: a slice of the shared op array, and the source for messages.
struct CompiledProgram: Sendable, Hashable {
    var start: Int32
    var end: Int32
    /// The row unqualified references read.
    var row: Int
}

struct RuleInstance: Sendable, Hashable {
    var rule: Int32
    var row: Int32
    var left: CompiledProgram
    var right: CompiledProgram
    var op: RuleOperator
    var leftMissing: MissingValueStrategy
    var rightMissing: MissingValueStrategy
}

struct ComputedStep: Sendable, Hashable {
    var cell: Int32
    var program: CompiledProgram
}

struct TotalStep: Sendable, Hashable {
    var cell: Int32
    var sources: [Int32]
}

/// Where a statement can be checked: a stated figure's formula, or a computed column's.
struct StatedTarget: Sendable, Hashable {
    var code: String
    var label: String
    var type: CellType
    var importance: Importance
    var formula: StatExpression
}

/// A form bound to its rows and settings, with every formula, total and rule (templates
/// expanded per row) compiled to flat postfix programs over cell indices.
public struct CompiledForm: Sendable {
    public let form: ReportForm
    public let rows: [FormRow]
    public let settings: Set<String>
    public let rowIndex: [String: Int]
    public let columnIndex: [String: Int]
    public var width: Int { form.columns.count }
    public var height: Int { rows.count }

    let ops: [StatOp]
    let maxStack: Int
    let totals: [TotalStep]
    let computed: [ComputedStep]
    let rules: [RuleInstance]
    let statedTargets: [StatedTarget]
    let statedIndex: [String: Int]
    /// Per row, per stated target: the compiled formula.
    let statedPrograms: [[CompiledProgram]]
    let outlierCells: [(cell: Int32, check: Int32)]

    /// Rule instances after template expansion: what "rules evaluated" counts.
    public var ruleInstanceCount: Int { rules.count }

    /// Binds `form` to `suppliedRows` (its per-field or per-level rows; ignored for fixed
    /// rows) and the settings that are on (the form's defaults when nil).
    public init(_ form: ReportForm, rows suppliedRows: [FormRow] = [], settings: Set<String>? = nil) throws(FormValidationError) {
        var errors = ReportFormValidator.validate(form)
        let rows = form.rows(supplied: suppliedRows)
        var seen: Set<String> = []
        for r in rows where !seen.insert(r.code).inserted {
            errors.append(.duplicateCode(kindVI: "dòng", code: r.code, line: nil, firstLine: nil))
        }
        if rows.isEmpty { errors.append(.noRows) }
        if !errors.isEmpty { throw FormValidationError(errors: errors) }
        self.form = form
        self.rows = rows
        self.settings = settings ?? Set(form.settings.filter(\.defaultValue).map(\.code))
        let rowIndex = Dictionary(rows.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        let columnIndex = Dictionary(form.columns.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.rowIndex = rowIndex
        self.columnIndex = columnIndex
        let width = form.columns.count

        var ops: [StatOp] = []
        var maxStack = 1
        func compile(_ e: StatExpression, row: Int) -> CompiledProgram {
            let start = ops.count
            var depth = 0
            func emit(_ e: StatExpression) {
                switch e {
                case .number(let v):
                    ops.append(StatOp(kind: .constant, period: 0, index: 0, constant: v)); depth += 1
                case .cell(let ref):
                    let r = ref.row.flatMap { rowIndex[$0] } ?? row
                    let c = columnIndex[ref.column]!
                    let p: UInt8 = ref.period == .current ? 0 : ref.period == .previous ? 1 : 2
                    ops.append(StatOp(kind: .cell, period: p, index: Int32(r * width + c), constant: 0)); depth += 1
                case .negate(let x):
                    emit(x); ops.append(StatOp(kind: .negate, period: 0, index: 0, constant: 0))
                case .binary(let op, let l, let r):
                    emit(l); emit(r)
                    let k: StatOp.Kind = switch op {
                    case .add: .add
                    case .subtract: .subtract
                    case .multiply: .multiply
                    case .divide: .divide
                    }
                    ops.append(StatOp(kind: k, period: 0, index: 0, constant: 0)); depth -= 1
                }
                maxStack = max(maxStack, depth)
            }
            emit(e)
            return CompiledProgram(start: Int32(start), end: Int32(ops.count), row: row)
        }

        // Totals: a total row sums the rows below it when there are any; a unit that reports
        // only its totals (seed 003's Sở Nội vụ) types the total row itself.
        var totals: [TotalStep] = []
        for (ri, row) in rows.enumerated() where row.isTotal {
            let sources = row.sumOf.isEmpty
                ? rows.indices.filter { !rows[$0].isTotal }
                : row.sumOf.compactMap { rowIndex[$0] }
            guard !sources.isEmpty else { continue }
            for (ci, col) in form.columns.enumerated() where col.isEntered && col.type.isNumeric {
                totals.append(TotalStep(cell: Int32(ri * width + ci), sources: sources.map { Int32($0 * width + ci) }))
            }
        }
        // Computed columns in dependency order (the validator refused cycles).
        var order: [Int] = []
        var placed = Set<Int>()
        func place(_ ci: Int) {
            guard !placed.contains(ci), let f = form.columns[ci].formula else { return }
            placed.insert(ci)
            for ref in f.references { if let d = columnIndex[ref.column] { place(d) } }
            order.append(ci)
        }
        form.columns.indices.forEach(place)
        var computed: [ComputedStep] = []
        for ci in order {
            for ri in rows.indices {
                computed.append(ComputedStep(cell: Int32(ri * width + ci), program: compile(form.columns[ci].formula!, row: ri)))
            }
        }
        var instances: [RuleInstance] = []
        for (i, rule) in form.rules.enumerated() {
            if let s = rule.setting, !self.settings.contains(s) { continue }
            let targetRows: [Int] = switch rule.rows {
            case .all: Array(rows.indices)
            case .only(let codes): codes.compactMap { rowIndex[$0] }
            case .none: [0]
            }
            for ri in targetRows {
                instances.append(RuleInstance(rule: Int32(i), row: Int32(ri), left: compile(rule.left, row: ri),
                                              right: compile(rule.right, row: ri), op: rule.op,
                                              leftMissing: rule.leftMissing, rightMissing: rule.rightMissing))
            }
        }
        var targets = form.stated.map { StatedTarget(code: $0.code, label: $0.label, type: $0.type, importance: $0.importance, formula: $0.formula) }
        for c in form.columns where c.formula != nil {
            targets.append(StatedTarget(code: c.code, label: c.label, type: c.type, importance: .high, formula: c.formula!))
        }
        self.statedTargets = targets
        self.statedIndex = Dictionary(targets.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.statedPrograms = rows.indices.map { ri in targets.map { compile($0.formula, row: ri) } }
        var outliers: [(Int32, Int32)] = []
        for (oi, o) in form.outliers.enumerated() {
            for ri in rows.indices { for c in o.columns { if let ci = columnIndex[c] { outliers.append((Int32(ri * width + ci), Int32(oi))) } } }
        }
        self.outlierCells = outliers
        self.ops = ops
        self.maxStack = maxStack
        self.totals = totals
        self.computed = computed
        self.rules = instances
    }

    public func emptyGrid() -> FormGrid { FormGrid(width: width, height: height) }

    /// Lays out a submission's values. Unknown rows or columns, text in a number cell and a
    /// value typed into a computed cell are refused (a rate is computed, never typed: state
    /// it with ``stated(row:code:text:)`` to have it checked).
    public func grid(_ values: [CellKey: CellValue]) throws(StatisticsError) -> FormGrid {
        do { return try grid(values.lazy.map { $0 }) } catch {
            // Dictionary order is random: report the first bad cell in a stable order.
            return try grid(values.sorted { $0.key < $1.key })
        }
    }

    private func grid<S: Sequence>(_ values: S) throws(StatisticsError) -> FormGrid where S.Element == (key: CellKey, value: CellValue) {
        var g = emptyGrid()
        for (key, value) in values {
            guard let r = rowIndex[key.row] else { throw .unknownRow(key.row) }
            guard let c = columnIndex[key.column] else { throw .unknownColumn(key.column) }
            let col = form.columns[c]
            guard col.isEntered else { throw .computedCellTyped(column: key.column, row: key.row) }
            switch value {
            case .number(let d):
                guard col.type.isNumeric else { throw .numberInTextCell(column: key.column, row: key.row) }
                g.values[r * width + c] = d.doubleValue
            case .text(let t):
                guard col.type == .text else { throw .textInNumberCell(column: key.column, row: key.row, text: t) }
                g.texts[r * width + c] = t
            }
        }
        return g
    }

    /// A figure the unit stated for `code` (a stated figure or a computed column) in `row`;
    /// the precision it was stated with is kept (`82,4` is compared to one decimal).
    public func stated(row: String, code: String, text: String) throws(StatisticsError) -> StatedValue {
        guard let r = rowIndex[row] else { throw .unknownRow(row) }
        guard let t = statedIndex[code] else { throw .unknownColumn(code) }
        let cleaned = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        guard let v = try? VietnameseNumber.parse(cleaned) else { throw .notANumber(text) }
        let decimals: Int
        if let comma = cleaned.firstIndex(of: ",") {
            decimals = cleaned.distance(from: comma, to: cleaned.endIndex) - 1
        } else if let dot = cleaned.lastIndex(of: "."), cleaned.distance(from: dot, to: cleaned.endIndex) - 1 != 3 {
            decimals = cleaned.distance(from: dot, to: cleaned.endIndex) - 1
        } else { decimals = 0 }
        return StatedValue(row: r, target: t, value: v, decimals: decimals)
    }

    /// A per-unit bound on a cell (DHIS2's min–max values), checked as a warning.
    public func bound(row: String, column: String, min: Double?, max: Double?) throws(StatisticsError) -> CellBound {
        guard let r = rowIndex[row] else { throw .unknownRow(row) }
        guard let c = columnIndex[column] else { throw .unknownColumn(column) }
        return CellBound(cell: r * width + c, min: min, max: max)
    }

    public func key(ofCell cell: Int) -> CellKey { CellKey(row: rows[cell / width].code, column: form.columns[cell % width].code) }
}

/// A figure stated by the unit, to compare with what the form computes.
public struct StatedValue: Sendable, Hashable {
    public var row: Int
    public var target: Int
    public var value: Double
    public var decimals: Int
}

public struct CellBound: Sendable, Hashable {
    public var cell: Int
    public var min: Double?
    public var max: Double?
}
