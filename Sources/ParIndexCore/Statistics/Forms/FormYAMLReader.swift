import Foundation
import Yams

/// Lines of each item of a form file, for the validator's messages.
public struct FormSourceMap: Sendable, Hashable {
    public var columns: [Int?] = []
    public var rows: [Int?] = []
    public var rules: [Int?] = []
    public var stated: [Int?] = []
    public var outliers: [Int?] = []
    public var settings: [Int?] = []

    public init() {}
}

/// Reads and validates form files (`Forms/*.yaml`). Like framework files: forgiving in
/// notation, strict in structure, and every problem reported with its line at once.
public enum ReportFormYAML {
    /// The file's top-level mapping, read within the same bounds as framework files (deep
    /// nesting, alias bombs) before and after Yams. Shared by form and outline files.
    static func mapping(_ yaml: String) throws(FormValidationError) -> Node.Mapping {
        if case .malformedYAML(let d, let l)? = YAMLNesting.problem(in: yaml) {
            throw FormValidationError(errors: [.malformedYAML(detail: d, line: l)])
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            if case .malformedYAML(let d, let l) = FrameworkYAMLReader.malformed(error) {
                throw FormValidationError(errors: [.malformedYAML(detail: d, line: l)])
            }
            throw FormValidationError(errors: [.malformedYAML(detail: "\(error)", line: nil)])
        }
        if let root, case .malformedYAML(let d, let l)? = YAMLNesting.problem(in: root) {
            throw FormValidationError(errors: [.malformedYAML(detail: d, line: l)])
        }
        guard case .mapping(let m)? = root else {
            throw FormValidationError(errors: [.malformedYAML(detail: "tệp phải là một bảng khóa – giá trị", line: 1)])
        }
        return m
    }

    static let topKeys: Set<String> = ["code", "version", "title", "legal_basis", "unit_of_count", "rows_from",
                                       "columns", "rows", "rules", "stated", "outliers", "settings"]
    static let columnKeys: Set<String> = ["code", "number", "label", "group", "subgroup", "type", "source", "formula"]
    static let rowKeys: Set<String> = ["code", "label", "total", "sum_of"]
    static let ruleKeys: Set<String> = ["code", "left", "operator", "right", "missing", "left_missing", "right_missing",
                                        "importance", "message", "rows", "setting"]
    static let statedKeys: Set<String> = ["code", "label", "type", "formula", "importance"]
    static let outlierKeys: Set<String> = ["code", "columns", "factor", "importance"]
    static let settingKeys: Set<String> = ["code", "label", "default"]

    /// Reads and validates; throws every problem.
    public static func load(_ yaml: String) throws(FormValidationError) -> ReportForm {
        let (form, map) = try read(yaml)
        let errors = ReportFormValidator.validate(form, sourceMap: map)
        if !errors.isEmpty { throw FormValidationError(errors: errors) }
        return form
    }

    /// Parses without the structural checks of ``ReportFormValidator``.
    public static func read(_ yaml: String) throws(FormValidationError) -> (ReportForm, FormSourceMap) {
        let m = try Self.mapping(yaml)
        var r = FormReaderState()
        let form = r.readForm(m)
        guard r.errors.isEmpty, let form else { throw FormValidationError(errors: r.errors) }
        return (form, r.map)
    }
}

struct FormReaderState {
    var errors: [FormError] = []
    var map = FormSourceMap()

    static func line(_ node: Node?) -> Int? { node?.mark?.line }

    func text(_ node: Node?) -> String? {
        guard case .scalar(let s)? = node else { return nil }
        return s.string
    }

    mutating func checkKeys(_ m: Node.Mapping, _ allowed: Set<String>) {
        for key in m.keys {
            if let k = key.string, !allowed.contains(k) { errors.append(.unknownKey(k, line: Self.line(key))) }
        }
    }

    mutating func string(_ key: String, _ m: Node.Mapping, line: Int?, required: Bool = true) -> String? {
        guard let node = m[key] else {
            if required { errors.append(.missingKey(key, line: line)) }
            return nil
        }
        guard let s = text(node) else {
            errors.append(.invalidValue(key: key, text: "…", expectedVI: "một chuỗi", line: Self.line(node) ?? line))
            return nil
        }
        return s
    }

    mutating func number(_ key: String, _ m: Node.Mapping, line: Int?) -> Double? {
        guard let s = string(key, m, line: line) else { return nil }
        let t = s.trimmingCharacters(in: .whitespaces)
        if let v = Double(t), v.isFinite { return v }
        if let v = try? VietnameseNumber.parse(t), v.isFinite { return v }
        errors.append(.invalidValue(key: key, text: s, expectedVI: "một số (ví dụ 3 hoặc 1,5)", line: Self.line(m[key]) ?? line))
        return nil
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ m: Node.Mapping, line: Int?, default value: T) -> T
    where T.RawValue == String {
        guard let s = string(key, m, line: line, required: false) else { return value }
        guard let v = T(rawValue: s.trimmingCharacters(in: .whitespaces)) else {
            errors.append(.invalidValue(key: key, text: s, expectedVI: "một trong: " + T.allCases.map(\.rawValue).joined(separator: ", "),
                                        line: Self.line(m[key]) ?? line))
            return value
        }
        return v
    }

    mutating func bool(_ key: String, _ m: Node.Mapping, line: Int?) -> Bool {
        guard let node = m[key] else { return false }
        switch text(node)?.lowercased() {
        case "true", "yes", "có": return true
        case "false", "no", "không": return false
        default:
            errors.append(.invalidValue(key: key, text: text(node) ?? "…", expectedVI: "true hoặc false", line: Self.line(node) ?? line))
            return false
        }
    }

    mutating func strings(_ key: String, _ m: Node.Mapping, line: Int?) -> [String]? {
        guard let node = m[key] else { return nil }
        if let s = text(node) { return [s] }
        guard case .sequence(let seq) = node else {
            errors.append(.invalidValue(key: key, text: "…", expectedVI: "một danh sách", line: Self.line(node) ?? line))
            return nil
        }
        return seq.compactMap { text($0) }
    }

    mutating func expression(_ key: String, _ m: Node.Mapping, line: Int?, required: Bool = true) -> StatExpression? {
        guard let s = string(key, m, line: line, required: required) else { return nil }
        do { return try StatExpressionParser.parse(s) } catch {
            errors.append(.expression(key: key, error, line: Self.line(m[key]) ?? line))
            return nil
        }
    }

    /// Items of a list key as mappings with their lines.
    mutating func items(_ key: String, _ m: Node.Mapping, required: Bool) -> [(Node.Mapping, Int?)] {
        guard let node = m[key] else {
            if required { errors.append(.missingKey(key, line: 1)) }
            return []
        }
        guard case .sequence(let seq) = node else {
            errors.append(.invalidValue(key: key, text: "…", expectedVI: "một danh sách", line: Self.line(node)))
            return []
        }
        var out: [(Node.Mapping, Int?)] = []
        for item in seq {
            guard case .mapping(let im) = item else {
                errors.append(.invalidValue(key: key, text: text(item) ?? "…", expectedVI: "một bảng khóa – giá trị", line: Self.line(item)))
                continue
            }
            out.append((im, Self.line(item)))
        }
        return out
    }

    mutating func readForm(_ m: Node.Mapping) -> ReportForm? {
        checkKeys(m, ReportFormYAML.topKeys)
        let code = string("code", m, line: 1)
        let version = string("version", m, line: 1)
        let title = string("title", m, line: 1)
        let legal = string("legal_basis", m, line: 1, required: false) ?? ""
        let unitOfCount = string("unit_of_count", m, line: 1, required: false) ?? ""
        let rowSource = choice("rows_from", m, line: 1, default: RowSource.fixed)
        var settings: [FormSetting] = []
        for (sm, l) in items("settings", m, required: false) {
            checkKeys(sm, ReportFormYAML.settingKeys)
            map.settings.append(l)
            if let c = string("code", sm, line: l), let label = string("label", sm, line: l) {
                settings.append(FormSetting(code: c, label: label, defaultValue: bool("default", sm, line: l)))
            }
        }
        var columns: [FormColumn] = []
        for (cm, l) in items("columns", m, required: true) {
            checkKeys(cm, ReportFormYAML.columnKeys)
            let c = string("code", cm, line: l)
            let n = number("number", cm, line: l)
            let label = string("label", cm, line: l)
            let type = choice("type", cm, line: l, default: CellType.count)
            let source = choice("source", cm, line: l, default: ColumnSource.value)
            let formula = expression("formula", cm, line: l, required: false)
            if let n, n != n.rounded() || n < 1 || n > 1_000 {
                errors.append(.invalidValue(key: "number", text: StatNumberFormat.plain(n), expectedVI: "một số nguyên từ 1", line: l))
            }
            if let c, let n, let label {
                map.columns.append(l)
                columns.append(FormColumn(code: c, number: Int(n), label: label, group: string("group", cm, line: l, required: false),
                                          subgroup: string("subgroup", cm, line: l, required: false),
                                          type: type, source: source, formula: formula))
            }
        }
        var rows: [FormRow] = []
        for (rm, l) in items("rows", m, required: rowSource == .fixed) {
            checkKeys(rm, ReportFormYAML.rowKeys)
            if let c = string("code", rm, line: l), let label = string("label", rm, line: l) {
                map.rows.append(l)
                rows.append(FormRow(code: c, label: label, isTotal: bool("total", rm, line: l),
                                    sumOf: strings("sum_of", rm, line: l) ?? []))
            }
        }
        var rules: [ValidationRule] = []
        for (rm, l) in items("rules", m, required: false) {
            checkKeys(rm, ReportFormYAML.ruleKeys)
            if let rule = readRule(rm, line: l) {
                map.rules.append(l)
                rules.append(rule)
            }
        }
        var stated: [StatedFigure] = []
        for (sm, l) in items("stated", m, required: false) {
            checkKeys(sm, ReportFormYAML.statedKeys)
            let c = string("code", sm, line: l), label = string("label", sm, line: l)
            let type = choice("type", sm, line: l, default: CellType.count)
            let f = expression("formula", sm, line: l)
            let imp = choice("importance", sm, line: l, default: Importance.high)
            if let c, let label, let f {
                map.stated.append(l)
                stated.append(StatedFigure(code: c, label: label, type: type, formula: f, importance: imp))
            }
        }
        var outliers: [OutlierCheck] = []
        for (om, l) in items("outliers", m, required: false) {
            checkKeys(om, ReportFormYAML.outlierKeys)
            let c = string("code", om, line: l)
            let cols = strings("columns", om, line: l)
            let factor = number("factor", om, line: l)
            let imp = choice("importance", om, line: l, default: Importance.low)
            if let factor, factor <= 1 {
                errors.append(.invalidValue(key: "factor", text: StatNumberFormat.plain(factor), expectedVI: "một số lớn hơn 1 (ví dụ 3)", line: l))
            }
            if cols == nil { errors.append(.missingKey("columns", line: l)) }
            if let c, let cols, let factor {
                map.outliers.append(l)
                outliers.append(OutlierCheck(code: c, columns: cols, factor: factor, importance: imp))
            }
        }
        guard let code, let version, let title else { return nil }
        return ReportForm(code: code, version: version, title: title, legalBasis: legal, unitOfCount: unitOfCount,
                          columns: columns, rowSource: rowSource, rows: rows, rules: rules, stated: stated,
                          outliers: outliers, settings: settings)
    }

    mutating func readRule(_ m: Node.Mapping, line l: Int?) -> ValidationRule? {
        let code = string("code", m, line: l)
        let left = expression("left", m, line: l)
        let right = expression("right", m, line: l)
        var op: RuleOperator?
        if let t = string("operator", m, line: l) {
            op = RuleOperator(text: t)
            if op == nil { errors.append(.badOperator(t, line: Self.line(m["operator"]) ?? l)) }
        }
        let both = choice("missing", m, line: l, default: MissingValueStrategy.skipIfAnyValueMissing)
        let lm = m["left_missing"] == nil ? both : choice("left_missing", m, line: l, default: both)
        let rm = m["right_missing"] == nil ? both : choice("right_missing", m, line: l, default: both)
        let importance = choice("importance", m, line: l, default: Importance.medium)
        let message = string("message", m, line: l)
        var rows = RuleRows.all
        if let node = m["rows"] {
            switch text(node) {
            case "all"?: rows = .all
            case "none"?: rows = .none
            default:
                if let list = strings("rows", m, line: l) { rows = .only(list) }
            }
        }
        let setting = string("setting", m, line: l, required: false)
        guard let code, let left, let right, let op, let message else { return nil }
        return ValidationRule(code: code, left: left, op: op, right: right, leftMissing: lm, rightMissing: rm,
                              importance: importance, messageVI: message, rows: rows, setting: setting)
    }
}
