import Foundation

/// What an expression measures, to refuse rules that compare a count with a percent
/// (issue #14, "a rule whose two sides have different units").
enum ExpressionUnit: Hashable {
    case count, amount, percent, ratio

    init?(_ type: CellType) {
        switch type {
        case .count: self = .count
        case .amount: self = .amount
        case .percent: self = .percent
        case .text: return nil
        }
    }

    var labelVI: String {
        switch self {
        case .count: "số lượng"
        case .amount: "số tiền"
        case .percent: "tỷ lệ %"
        case .ratio: "tỷ số"
        }
    }

    /// `a ÷ b × 100` (a ratio) is what a percent column holds.
    static func compatible(_ a: ExpressionUnit?, _ b: ExpressionUnit?) -> Bool {
        guard let a, let b else { return true }
        return a == b || Set([a, b]) == [.percent, .ratio]
    }
}

/// Structural checks of a form; every problem with the line of its item.
public enum ReportFormValidator {
    public static func validate(_ form: ReportForm, sourceMap map: FormSourceMap = .init()) -> [FormError] {
        var errors: [FormError] = []
        func line(_ lines: [Int?], _ i: Int) -> Int? { i < lines.count ? lines[i] : nil }
        if form.columns.isEmpty { errors.append(.noColumns) }
        if form.rowSource == .fixed && form.rows.isEmpty { errors.append(.noRows) }
        for (key, value) in [("code", form.code), ("version", form.version)] {
            if let m = TextRules.check(value, .code, fieldVI: key == "code" ? "Mã biểu mẫu" : "Phiên bản", maxLength: 64).messageVI {
                errors.append(.invalidText(key: key, detailVI: m, line: 1))
            }
        }
        let columns = Dictionary(form.columns.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let rowCodes = Set(form.rows.map(\.code))
        let settingCodes = Set(form.settings.map(\.code))

        func duplicates<T>(_ items: [T], _ kindVI: String, _ lines: [Int?], _ code: (T) -> String) {
            var first: [String: Int?] = [:]
            for (i, item) in items.enumerated() {
                let c = code(item), l = line(lines, i)
                if let f = first[c] { errors.append(.duplicateCode(kindVI: kindVI, code: c, line: l, firstLine: f)) }
                else { first[c] = l }
            }
        }
        duplicates(form.columns, "cột", map.columns) { $0.code }
        duplicates(form.rows, "dòng", map.rows) { $0.code }
        duplicates(form.rules, "quy tắc", map.rules) { $0.code }
        duplicates(form.stated, "số liệu nêu", map.stated) { $0.code }
        duplicates(form.settings, "thiết lập", map.settings) { $0.code }
        var numbers: [Int: Int?] = [:]
        for (i, c) in form.columns.enumerated() {
            let l = line(map.columns, i)
            if let f = numbers[c.number] { errors.append(.duplicateColumnNumber(c.number, line: l, firstLine: f)) } else { numbers[c.number] = l }
            if let m = TextRules.check(c.code, .code, fieldVI: "Mã cột", maxLength: 32).messageVI {
                errors.append(.invalidText(key: "code", detailVI: m, line: l))
            } else if !c.code.allSatisfy(StatExpressionParser.isIdentifier) || !StatExpressionParser.isIdentifierStart(c.code.first!) {
                errors.append(.invalidValue(key: "code", text: c.code, expectedVI: "chữ, số và '_' không dấu, bắt đầu bằng chữ (ví dụ c3)", line: l))
            }
        }
        for (i, r) in form.rows.enumerated() {
            let l = line(map.rows, i)
            if r.code.isEmpty || !r.code.allSatisfy(StatExpressionParser.isIdentifier) {
                errors.append(.invalidValue(key: "code", text: r.code, expectedVI: "chữ, số và '_' không dấu (ví dụ tong)", line: l))
            }
            for s in r.sumOf where !rowCodes.contains(s) {
                errors.append(.unknownRow(s, whereVI: "Dòng tổng '\(r.code)'", line: l))
            }
        }

        // References of an expression: known columns, known rows (the file's own; supplied
        // per-field rows are unknown here, so a rule cannot name them), no period in formulas.
        func checkRefs(_ e: StatExpression, whereVI: String, allowPeriods: Bool, line l: Int?) -> Bool {
            var ok = true
            for ref in e.references {
                if columns[ref.column] == nil { errors.append(.unknownColumn(ref.column, whereVI: whereVI, line: l)); ok = false }
                if let row = ref.row, !rowCodes.contains(row) { errors.append(.unknownRow(row, whereVI: whereVI, line: l)); ok = false }
                if !allowPeriods && ref.period != .current { errors.append(.periodInFormula(whereVI: whereVI, line: l)); ok = false }
            }
            return ok
        }
        func unit(_ e: StatExpression, whereVI: String, line l: Int?) -> ExpressionUnit?? {
            do { return .some(try infer(e, columns)) } catch {
                errors.append(.invalidArithmetic(whereVI: whereVI, detailVI: error.detailVI, line: l))
                return nil
            }
        }

        for (i, c) in form.columns.enumerated() {
            guard let f = c.formula else { continue }
            let l = line(map.columns, i), w = "Công thức của cột '\(c.code)'"
            guard checkRefs(f, whereVI: w, allowPeriods: false, line: l) else { continue }
            if c.type == .text || c.source != .value {
                errors.append(.invalidValue(key: "formula", text: f.text, expectedVI: "công thức chỉ cho cột số liệu", line: l)); continue
            }
            if let u = unit(f, whereVI: w, line: l), !ExpressionUnit.compatible(u, ExpressionUnit(c.type)) {
                errors.append(.computedTypeMismatch(column: c.code, type: c.type, formulaUnit: u?.labelVI ?? "", line: l))
            }
        }
        errors += cycles(form, map)

        for (i, r) in form.rules.enumerated() {
            let l = line(map.rules, i), w = "Quy tắc '\(r.code)'"
            let refsOK = checkRefs(r.left, whereVI: w, allowPeriods: true, line: l)
                && checkRefs(r.right, whereVI: w, allowPeriods: true, line: l)
            if case .only(let rows) = r.rows {
                for row in rows where !rowCodes.contains(row) { errors.append(.unknownRow(row, whereVI: w, line: l)) }
            }
            if case .none = r.rows {
                for ref in r.left.references + r.right.references where ref.row == nil {
                    errors.append(.rowRequired(ruleCode: r.code, column: ref.column, line: l))
                }
            }
            if let s = r.setting, !settingCodes.contains(s) { errors.append(.unknownSetting(s, whereVI: w, line: l)) }
            guard refsOK, r.op != .compulsoryPair, r.op != .exclusivePair else { continue }
            if let lu = unit(r.left, whereVI: w + " (vế trái)", line: l), let ru = unit(r.right, whereVI: w + " (vế phải)", line: l),
               !ExpressionUnit.compatible(lu, ru) {
                errors.append(.unitMismatch(ruleCode: r.code, left: lu?.labelVI ?? "", right: ru?.labelVI ?? "", line: l))
            }
        }
        for (i, s) in form.stated.enumerated() {
            let l = line(map.stated, i), w = "Số liệu nêu '\(s.code)'"
            guard checkRefs(s.formula, whereVI: w, allowPeriods: false, line: l) else { continue }
            if s.type == .text { errors.append(.invalidValue(key: "type", text: "text", expectedVI: "count, amount hoặc percent", line: l)) }
            if let u = unit(s.formula, whereVI: w, line: l), !ExpressionUnit.compatible(u, ExpressionUnit(s.type)) {
                errors.append(.computedTypeMismatch(column: s.code, type: s.type, formulaUnit: u?.labelVI ?? "", line: l))
            }
        }
        for (i, o) in form.outliers.enumerated() {
            let l = line(map.outliers, i)
            for c in o.columns {
                guard let col = columns[c] else {
                    errors.append(.unknownColumn(c, whereVI: "Kiểm tra bất thường '\(o.code)'", line: l)); continue
                }
                if col.type == .text { errors.append(.invalidValue(key: "columns", text: c, expectedVI: "một cột số liệu", line: l)) }
            }
        }
        return errors
    }

    struct ArithmeticError: Error { var detailVI: String }

    static func infer(_ e: StatExpression, _ columns: [String: FormColumn]) throws(ArithmeticError) -> ExpressionUnit? {
        switch e {
        case .number: return nil
        case .cell(let r):
            guard let c = columns[r.column] else { return nil }
            guard let u = ExpressionUnit(c.type), c.source == .value else {
                throw ArithmeticError(detailVI: "cột '\(r.column)' không phải số liệu nên không tính toán hay so sánh số được")
            }
            return u
        case .negate(let x): return try infer(x, columns)
        case .binary(let op, let l, let r):
            let a = try infer(l, columns), b = try infer(r, columns)
            switch op {
            case .add, .subtract:
                guard ExpressionUnit.compatible(a, b) else {
                    throw ArithmeticError(detailVI: "không thể \(op == .add ? "cộng" : "trừ") \(a!.labelVI) với \(b!.labelVI) (\(e.text))")
                }
                return a ?? b
            case .multiply:
                guard let a else { return b }
                guard let b else { return a }
                return a == .ratio ? b : b == .ratio ? a : .amount
            case .divide:
                guard b != nil else { return a }
                return .ratio
            }
        }
    }

    /// Computed columns that depend on each other in a circle cannot be computed.
    static func cycles(_ form: ReportForm, _ map: FormSourceMap) -> [FormError] {
        let index = Dictionary(form.columns.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        var state = [Int](repeating: 0, count: form.columns.count) // 0 new, 1 on stack, 2 done
        var errors: [FormError] = []
        var stack: [String] = []
        func visit(_ i: Int) {
            state[i] = 1
            stack.append(form.columns[i].code)
            for ref in form.columns[i].formula?.references ?? [] {
                guard let j = index[ref.column], form.columns[j].formula != nil else { continue }
                if state[j] == 1 {
                    let start = stack.firstIndex(of: form.columns[j].code) ?? 0
                    let l = index[form.columns[j].code].flatMap { $0 < map.columns.count ? map.columns[$0] : nil }
                    errors.append(.cycle(Array(stack[start...]) + [form.columns[j].code], line: l))
                } else if state[j] == 0 { visit(j) }
            }
            stack.removeLast()
            state[i] = 2
        }
        for i in form.columns.indices where state[i] == 0 && form.columns[i].formula != nil { visit(i) }
        return errors
    }
}
