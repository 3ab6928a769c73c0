import Foundation

/// A unit of the tree a roll-up runs over, by parent link.
public struct RollUpUnit: Sendable, Hashable {
    public var code: String
    public var name: String
    public var parent: String?

    public init(code: String, name: String, parent: String?) {
        self.code = code
        self.name = name
        self.parent = parent
    }
}

/// One unit's aggregate for a period.
public struct RolledUpTotal: Sendable {
    public var unitCode: String
    /// Every entered cell summed over the unit's own report and all reports below it;
    /// computed cells recomputed from those sums.
    public var grid: FormGrid
    /// The reporting units whose figures make the total, in tree order (drill-down).
    public var contributors: [String]
}

/// Commune → district → province (→ ministry) totals, as DHIS2 aggregates: a unit's total is
/// its own data plus everything below it. Rates are recomputed from the summed parts, never
/// averaged (issue #14): 9/10 and 9/90 make 18/100 = 18 %, not (90 % + 10 %) / 2.
public struct RollUp: Sendable {
    public let form: CompiledForm
    public let units: [RollUpUnit]
    let children: [String: [String]]
    let order: [String]

    public init(form: CompiledForm, units: [RollUpUnit]) throws(StatisticsError) {
        self.form = form
        self.units = units
        let known = Set(units.map(\.code))
        var children: [String: [String]] = [:]
        for u in units { if let p = u.parent, known.contains(p) { children[p, default: []].append(u.code) } }
        // Parent links that loop would make a unit its own ancestor.
        let parent = Dictionary(units.map { ($0.code, $0.parent) }, uniquingKeysWith: { a, _ in a })
        for u in units {
            var seen: [String] = [u.code], p = parent[u.code] ?? nil
            while let cur = p, known.contains(cur) {
                if cur == u.code { throw .unitTreeCycle(seen + [cur]) }
                guard seen.count <= units.count else { break }
                seen.append(cur)
                p = parent[cur] ?? nil
            }
        }
        // Children before parents (post-order from the roots), iteratively.
        var order: [String] = []
        let roots = units.filter { $0.parent == nil || !known.contains($0.parent!) }.map(\.code)
        var stack: [(String, Bool)] = roots.reversed().map { ($0, false) }
        while let (code, expanded) = stack.popLast() {
            if expanded { order.append(code); continue }
            stack.append((code, true))
            for c in (children[code] ?? []).reversed() { stack.append((c, false)) }
        }
        self.children = children
        self.order = order
    }

    /// Totals of every unit that has a report at or below it. `reports` are the units' grids
    /// as ``CompiledForm/complete(_:)`` left them (a report's own total row included).
    public func totals(_ reports: [String: FormGrid]) -> [String: RolledUpTotal] {
        var out: [String: RolledUpTotal] = [:]
        let entered = form.form.columns.enumerated().filter { $0.element.isEntered && $0.element.type.isNumeric }.map(\.offset)
        for code in order {
            var grid = form.emptyGrid()
            var contributors: [String] = []
            var any = false
            func add(_ g: FormGrid) {
                any = true
                for r in 0..<form.height {
                    for c in entered {
                        let v = g.values[r * form.width + c]
                        guard !v.isNaN else { continue }
                        let i = r * form.width + c
                        grid.values[i] = grid.values[i].isNaN ? v : grid.values[i] + v
                    }
                }
            }
            if let own = reports[code] { add(own); contributors.append(code) }
            for child in children[code] ?? [] {
                guard let t = out[child] else { continue }
                add(t.grid)
                contributors += t.contributors
            }
            guard any else { continue }
            form.recomputeRates(&grid)
            out[code] = RolledUpTotal(unitCode: code, grid: grid, contributors: contributors)
        }
        return out
    }

    /// Drill-down: each reporting unit behind `unit`'s figure in `cell`, with its value.
    public func drillDown(_ unit: String, cell: CellKey, reports: [String: FormGrid],
                          totals: [String: RolledUpTotal]) -> [(unit: String, value: Double?)] {
        guard let r = form.rowIndex[cell.row], let c = form.columnIndex[cell.column], let t = totals[unit] else { return [] }
        return t.contributors.map { u in (u, reports[u].flatMap { $0[r, c] }) }
    }
}

/// A cell against the same period last year.
public struct CellComparison: Sendable, Hashable {
    public var cell: CellKey
    public var current: Double?
    public var lastYear: Double?

    public var change: Double? {
        guard let current, let lastYear else { return nil }
        return current - lastYear
    }

    /// Current ÷ last year (1,5 = up 50 %); nil when last year is missing or zero.
    public var ratio: Double? {
        guard let current, let lastYear, lastYear != 0 else { return nil }
        return current / lastYear
    }

    /// `2.363 (năm trước 1.170; tăng 1.193, gấp 2 lần)`.
    public var descriptionVI: String {
        let cur = current.map(StatNumberFormat.plain) ?? "—"
        guard let lastYear else { return "\(cur) (năm trước: không có số liệu)" }
        guard let change else { return "\(cur) (năm trước \(StatNumberFormat.plain(lastYear)))" }
        let dir = change > 0 ? "tăng \(StatNumberFormat.plain(change))" : change < 0 ? "giảm \(StatNumberFormat.plain(-change))" : "không đổi"
        let times = ratio.map { ", bằng \(VietnameseNumber.format($0 * 100, fractionDigits: 1)) %" } ?? ""
        return "\(cur) (năm trước \(StatNumberFormat.plain(lastYear)); \(dir)\(times))"
    }
}

extension CompiledForm {
    /// Every numeric cell of `current` against `lastYear` (both completed grids), row by row.
    public func compare(_ current: FormGrid, lastYear: FormGrid) -> [CellComparison] {
        var out: [CellComparison] = []
        for (r, row) in rows.enumerated() {
            for (c, col) in form.columns.enumerated() where col.source == .value && col.type.isNumeric {
                let a = current[r, c], b = lastYear[r, c]
                if a == nil && b == nil { continue }
                out.append(CellComparison(cell: CellKey(row: row.code, column: col.code), current: a, lastYear: b))
            }
        }
        return out
    }
}
