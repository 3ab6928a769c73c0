import Foundation

extension CompiledForm {
    /// Validates one submission: fills totals and computed cells, then checks every rule
    /// instance, stated figure, outlier check and bound.
    ///
    /// `previous` and `lastYear` are the other periods' grids as ``complete(_:)`` left them
    /// (the evaluation's own `grid`); when absent their cells are missing, so cross-period
    /// rules are skipped under the default strategy.
    public func evaluate(_ values: FormGrid, previous: FormGrid? = nil, lastYear: FormGrid? = nil,
                         stated: [StatedValue] = [], bounds: [CellBound] = []) -> FormEvaluation {
        precondition(values.width == width && values.height == height, "grid of another form")
        var grid = values
        complete(&grid)
        let missingGrid = previous == nil || lastYear == nil ? emptyGrid().values : []
        let prev = previous?.values ?? missingGrid
        let ly = lastYear?.values ?? missingGrid
        var violations: [Violation] = []
        var evaluated = 0, skipped = 0
        var stack = [Double](repeating: 0, count: maxStack + 1)
        ops.withUnsafeBufferPointer { ops in
            grid.values.withUnsafeBufferPointer { cur in
                prev.withUnsafeBufferPointer { prev in
                    ly.withUnsafeBufferPointer { ly in
                        stack.withUnsafeMutableBufferPointer { stack in
                            let c = cur.baseAddress!, p = prev.baseAddress!, l = ly.baseAddress!, s = stack.baseAddress!
                            for (n, rule) in rules.enumerated() {
                                let a = Self.run(rule.left, ops, c, p, l, s)
                                let b = Self.run(rule.right, ops, c, p, l, s)
                                let failed: Bool
                                switch rule.op {
                                case .compulsoryPair:
                                    failed = a.hasValue != b.hasValue
                                case .exclusivePair:
                                    failed = a.hasValue && b.hasValue
                                default:
                                    if a.skips(rule.leftMissing) || b.skips(rule.rightMissing) { skipped += 1; continue }
                                    failed = !Self.holds(a.value, rule.op, b.value)
                                }
                                evaluated += 1
                                if failed {
                                    violations.append(ruleViolation(n, a.value, b.value, cur: cur, prev: prev, lastYear: ly))
                                }
                            }
                            for sv in stated {
                                let program = statedPrograms[sv.row][sv.target]
                                let r = Self.run(program, ops, c, p, l, s)
                                guard r.missing == 0, r.value.isFinite else { continue }
                                let computed = StatNumberFormat.round(r.value, decimals: sv.decimals)
                                if !Self.equal(computed, sv.value) {
                                    violations.append(statedViolation(sv, computed: r.value, cur: cur))
                                }
                            }
                        }
                    }
                }
            }
        }
        for (cell, check) in outlierCells {
            let v = grid.values[Int(cell)], last = ly[Int(cell)]
            guard !v.isNaN, !last.isNaN, last > 0, v >= 0 else { continue }
            let o = form.outliers[Int(check)]
            let ratio = v / last
            if ratio > o.factor || ratio < 1 / o.factor { violations.append(outlierViolation(Int(cell), o, v, last)) }
        }
        for b in bounds {
            let v = grid.values[b.cell]
            guard !v.isNaN else { continue }
            if let lo = b.min, v < lo { violations.append(boundViolation(b, v)) }
            else if let hi = b.max, v > hi { violations.append(boundViolation(b, v)) }
        }
        return FormEvaluation(grid: grid, violations: violations, rulesEvaluated: evaluated, rulesSkipped: skipped)
    }

    /// Fills total rows (sums of their rows; left as typed when all parts are missing) and computed cells
    /// (missing when a part is, or on division by zero): a rate is always recomputed from
    /// its parts, never summed or averaged.
    public func complete(_ grid: inout FormGrid) {
        grid.values.withUnsafeMutableBufferPointer { g in
            for t in totals {
                var sum = 0.0, any = false
                for s in t.sources where !g[Int(s)].isNaN { sum += g[Int(s)]; any = true }
                // All parts missing: keep what was typed (a unit that reports only its totals).
                if any { g[Int(t.cell)] = sum }
            }
        }
        recomputeRates(&grid)
    }

    /// Recomputes the computed cells only (roll-up sums every entered cell, totals included,
    /// then recomputes its rates from the summed parts).
    public func recomputeRates(_ grid: inout FormGrid) {
        var stack = [Double](repeating: 0, count: maxStack + 1)
        let missing = emptyGrid().values
        grid.values.withUnsafeMutableBufferPointer { g in
            ops.withUnsafeBufferPointer { ops in
                missing.withUnsafeBufferPointer { m in
                    stack.withUnsafeMutableBufferPointer { s in
                        for step in computed {
                            let r = Self.run(step.program, ops, UnsafePointer(g.baseAddress!), m.baseAddress!, m.baseAddress!, s.baseAddress!)
                            g[Int(step.cell)] = r.missing > 0 || !r.value.isFinite ? .nan : r.value
                        }
                    }
                }
            }
        }
    }

    struct SideResult {
        var value: Double
        var refs: Int32
        var missing: Int32

        /// DHIS2: a side "has a value" when any of its references does.
        var hasValue: Bool { refs == 0 || missing < refs }

        @inline(__always)
        func skips(_ strategy: MissingValueStrategy) -> Bool {
            if value.isNaN { return true } // division by zero: missing
            switch strategy {
            case .skipIfAnyValueMissing: return missing > 0
            case .skipIfAllValuesMissing: return refs > 0 && missing == refs
            case .neverSkip: return false
            }
        }
    }

    @inline(__always)
    static func run(_ p: CompiledProgram, _ ops: UnsafeBufferPointer<StatOp>, _ cur: UnsafePointer<Double>,
                    _ prev: UnsafePointer<Double>, _ ly: UnsafePointer<Double>, _ stack: UnsafeMutablePointer<Double>) -> SideResult {
        var sp = 0
        var refs: Int32 = 0, missing: Int32 = 0
        var i = Int(p.start)
        let end = Int(p.end)
        while i < end {
            let op = ops[i]
            switch op.kind {
            case .cell:
                let src = op.period == 0 ? cur : op.period == 1 ? prev : ly
                let v = src[Int(op.index)]
                refs += 1
                if v.isNaN { missing += 1; stack[sp] = 0 } else { stack[sp] = v }
                sp += 1
            case .constant:
                stack[sp] = op.constant; sp += 1
            case .add:
                sp -= 1; stack[sp - 1] += stack[sp]
            case .subtract:
                sp -= 1; stack[sp - 1] -= stack[sp]
            case .multiply:
                sp -= 1; stack[sp - 1] *= stack[sp]
            case .divide:
                sp -= 1
                let d = stack[sp]
                stack[sp - 1] = d == 0 ? .nan : stack[sp - 1] / d
            case .negate:
                stack[sp - 1] = -stack[sp - 1]
            }
            i += 1
        }
        return SideResult(value: stack[0], refs: refs, missing: missing)
    }

    @inline(__always)
    static func equal(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * Swift.max(1, abs(a), abs(b))
    }

    @inline(__always)
    static func holds(_ a: Double, _ op: RuleOperator, _ b: Double) -> Bool {
        switch op {
        case .equal: equal(a, b)
        case .notEqual: !equal(a, b)
        case .greater: a > b && !equal(a, b)
        case .greaterOrEqual: a > b || equal(a, b)
        case .less: a < b && !equal(a, b)
        case .lessOrEqual: a < b || equal(a, b)
        case .compulsoryPair, .exclusivePair: true
        }
    }
}

// MARK: - Messages (the cold path: only for failures)

extension CompiledForm {
    func cellValue(_ ref: FormCellReference, row: Int, cur: UnsafeBufferPointer<Double>, prev: UnsafeBufferPointer<Double>,
                   lastYear: UnsafeBufferPointer<Double>) -> Double {
        let r = ref.row.flatMap { rowIndex[$0] } ?? row
        let i = r * width + columnIndex[ref.column]!
        let v = switch ref.period {
        case .current: cur[i]
        case .previous: prev[i]
        case .lastYear: lastYear[i]
        }
        return v
    }

    func type(of e: StatExpression) -> CellType {
        let types = Set(e.references.compactMap { columnIndex[$0.column].map { form.columns[$0].type } })
        return types == [.percent] ? .percent : .count
    }

    /// `1.146 + 1.123 + 194 = 2.463`, or just `2.363` for a single cell.
    func renderSide(_ e: StatExpression, row: Int, value: Double, type: CellType? = nil, decimals: Int? = nil,
                    cur: UnsafeBufferPointer<Double>, prev: UnsafeBufferPointer<Double>, lastYear: UnsafeBufferPointer<Double>) -> String {
        let t = type ?? self.type(of: e)
        let result = StatNumberFormat.value(value, type: t, decimals: decimals)
        switch e {
        case .number, .cell: return result
        default:
            let body = e.rendered { ref in
                let v = cellValue(ref, row: row, cur: cur, prev: prev, lastYear: lastYear)
                let ct = columnIndex[ref.column].map { form.columns[$0].type } ?? .count
                return StatNumberFormat.value(v, type: ct)
            }
            return body + " = " + result
        }
    }

    func cells(_ exprs: [StatExpression], row: Int) -> [CellKey] {
        var out: [CellKey] = []
        for ref in exprs.flatMap(\.references) where ref.period == .current {
            let key = CellKey(row: ref.row ?? rows[row].code, column: ref.column)
            if !out.contains(key) { out.append(key) }
        }
        return out
    }

    func ruleViolation(_ n: Int, _ lv: Double, _ rv: Double, cur: UnsafeBufferPointer<Double>,
                       prev: UnsafeBufferPointer<Double>, lastYear: UnsafeBufferPointer<Double>) -> Violation {
        let inst = rules[n]
        let rule = form.rules[Int(inst.rule)]
        let row = Int(inst.row)
        let figures: String
        if rule.op == .compulsoryPair || rule.op == .exclusivePair {
            let what = rule.op == .compulsoryPair ? "phải cùng có hoặc cùng trống" : "không được cùng có số liệu"
            figures = "\(rule.left.text) và \(rule.right.text) \(what)"
        } else {
            let l = renderSide(rule.left, row: row, value: lv, cur: cur, prev: prev, lastYear: lastYear)
            let r = renderSide(rule.right, row: row, value: rv, cur: cur, prev: prev, lastYear: lastYear)
            figures = "\(l) \(rule.op.failedSymbol) \(r)"
        }
        let rowPart = rule.rows == .none ? "" : "Dòng “\(rows[row].label)”: "
        return Violation(kind: .rule, code: rule.code, row: rows[row].code, cells: cells([rule.left, rule.right], row: row),
                         left: lv.isNaN ? nil : lv, right: rv.isNaN ? nil : rv, importance: rule.importance,
                         figuresVI: figures, messageVI: "\(rowPart)\(rule.messageVI): \(figures).")
    }

    func statedViolation(_ sv: StatedValue, computed: Double, cur: UnsafeBufferPointer<Double>) -> Violation {
        let t = statedTargets[sv.target]
        let missing = emptyGrid().values
        let stated = StatNumberFormat.value(sv.value, type: t.type, decimals: sv.decimals)
        let figures = missing.withUnsafeBufferPointer { m in
            stated + " ≠ " + renderSide(t.formula, row: sv.row, value: computed, type: t.type, decimals: sv.decimals,
                                        cur: cur, prev: m, lastYear: m)
        }
        let calc = String(figures.drop { $0 != "≠" }.dropFirst(2))
        let message = "Dòng “\(rows[sv.row].label)”: “\(t.label)” được nêu là \(stated) nhưng tính từ các số liệu của biểu là \(calc) (\(figures))."
        return Violation(kind: .stated, code: t.code, row: rows[sv.row].code, cells: cells([t.formula], row: sv.row),
                         left: sv.value, right: computed, importance: t.importance, figuresVI: figures, messageVI: message)
    }

    func outlierViolation(_ cell: Int, _ o: OutlierCheck, _ v: Double, _ last: Double) -> Violation {
        let key = key(ofCell: cell)
        let col = form.columns[cell % width]
        let ratio = v / last
        let how = ratio > 1 ? "gấp \(VietnameseNumber.format(ratio, fractionDigits: 1)) lần"
                            : "chỉ bằng \(VietnameseNumber.format(ratio * 100, fractionDigits: 1)) %"
        let figures = "\(StatNumberFormat.value(v, type: col.type)) / \(StatNumberFormat.value(last, type: col.type))"
        let message = "Dòng “\(rows[cell / width].label)”, cột (\(col.number)) “\(col.label)”: \(StatNumberFormat.value(v, type: col.type)) "
            + "so với \(StatNumberFormat.value(last, type: col.type)) cùng kỳ năm trước, \(how) "
            + "(ngưỡng cảnh báo: gấp hoặc giảm quá \(StatNumberFormat.plain(o.factor)) lần); đề nghị kiểm tra lại."
        return Violation(kind: .outlier, code: o.code, row: key.row, cells: [key], left: v, right: last,
                         importance: o.importance, figuresVI: figures, messageVI: message)
    }

    func boundViolation(_ b: CellBound, _ v: Double) -> Violation {
        let key = key(ofCell: b.cell)
        let col = form.columns[b.cell % width]
        let f = { (x: Double) in StatNumberFormat.value(x, type: col.type) }
        let range = switch (b.min, b.max) {
        case let (lo?, hi?): "từ \(f(lo)) đến \(f(hi))"
        case let (lo?, nil): "từ \(f(lo)) trở lên"
        case let (nil, hi?): "tối đa \(f(hi))"
        case (nil, nil): ""
        }
        let message = "Dòng “\(rows[b.cell / width].label)”, cột (\(col.number)) “\(col.label)”: \(f(v)) nằm ngoài khoảng \(range) đã đặt cho đơn vị; đề nghị kiểm tra lại."
        return Violation(kind: .bounds, code: "bounds.\(col.code)", row: key.row, cells: [key], left: v, right: nil,
                         importance: .medium, figuresVI: "\(f(v)) ∉ [\(range)]", messageVI: message)
    }
}
