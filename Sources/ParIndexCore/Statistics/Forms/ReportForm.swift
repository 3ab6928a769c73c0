import Foundation

/// What a cell holds. A percent is never typed where the form can compute it from its
/// parts (issue #14: "a rate is computed, never typed").
public enum CellType: String, Sendable, Hashable, CaseIterable {
    case count, amount, percent, text

    public var labelVI: String {
        switch self {
        case .count: "số lượng"
        case .amount: "số tiền"
        case .percent: "tỷ lệ %"
        case .text: "văn bản"
        }
    }

    public var isNumeric: Bool { self != .text }
}

/// What fills a column that is not data: the row's number (STT) or its label.
public enum ColumnSource: String, Sendable, Hashable, CaseIterable {
    case value, rowNumber = "row_number", rowLabel = "row_label"
}

public struct FormColumn: Sendable, Hashable {
    public var code: String
    /// The printed column number, `(3)` under the header.
    public var number: Int
    public var label: String
    /// Grouped header above the label ("Số hồ sơ nhận giải quyết"), if any.
    public var group: String?
    /// A second header level ("Trong kỳ" above online / in person).
    public var subgroup: String?
    public var type: CellType
    public var source: ColumnSource
    /// A computed column: its cells are derived, never entered.
    public var formula: StatExpression?

    public init(code: String, number: Int, label: String, group: String? = nil, subgroup: String? = nil,
                type: CellType = .count, source: ColumnSource = .value, formula: StatExpression? = nil) {
        self.code = code
        self.number = number
        self.label = label
        self.group = group
        self.subgroup = subgroup
        self.type = type
        self.source = source
        self.formula = formula
    }

    public var isComputed: Bool { formula != nil }
    public var isEntered: Bool { formula == nil && source == .value }
}

public struct FormRow: Sendable, Hashable {
    public var code: String
    public var label: String
    /// A total row: each entered cell is the sum of `sumOf` rows (all other rows when empty);
    /// computed cells are recomputed from those sums, never summed themselves.
    public var isTotal: Bool
    public var sumOf: [String]

    public init(code: String, label: String, isTotal: Bool = false, sumOf: [String] = []) {
        self.code = code
        self.label = label
        self.isTotal = isTotal
        self.sumOf = sumOf
    }

    /// One row per unit level, as aggregate versions of form 06 group them.
    public static func unitLevels(_ kinds: [UnitKind]) -> [FormRow] {
        kinds.map { FormRow(code: $0.rawValue, label: $0.labelVI) }
    }
}

/// Where the rows of a form come from: written in the file, or one per field (lĩnh vực)
/// or per unit level, supplied when the form is bound to a unit (the fields differ by unit).
public enum RowSource: String, Sendable, Hashable, CaseIterable {
    case fixed, perField = "per_field", perUnitLevel = "per_unit_level"
}

/// DHIS2's validation-rule operators (YEAR-ROUND §2).
public enum RuleOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "≠", greater = ">", greaterOrEqual = "≥", less = "<", lessOrEqual = "≤"
    case compulsoryPair = "compulsory_pair", exclusivePair = "exclusive_pair"

    /// Spellings accepted in files: `==`, `!=`, `>=`, DHIS2's `equal_to`…
    public init?(text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "=", "==", "equal_to": self = .equal
        case "≠", "!=", "<>", "not_equal_to": self = .notEqual
        case ">", "greater_than": self = .greater
        case "≥", ">=", "greater_than_or_equal_to": self = .greaterOrEqual
        case "<", "less_than": self = .less
        case "≤", "<=", "less_than_or_equal_to": self = .lessOrEqual
        case "compulsory_pair", "compulsorypair": self = .compulsoryPair
        case "exclusive_pair", "exclusivepair": self = .exclusivePair
        default: return nil
        }
    }

    /// The symbol shown when the rule fails: `2.363 ≠ 2.463` for a failed `=`.
    var failedSymbol: String {
        switch self {
        case .equal: "≠"
        case .notEqual: "="
        case .greater: "≤"
        case .greaterOrEqual: "<"
        case .less: "≥"
        case .lessOrEqual: ">"
        case .compulsoryPair, .exclusivePair: "/"
        }
    }
}

/// DHIS2's missing-value strategies, per side.
public enum MissingValueStrategy: String, Sendable, Hashable, CaseIterable {
    case skipIfAnyValueMissing = "skip_if_any_value_missing"
    case skipIfAllValuesMissing = "skip_if_all_values_missing"
    /// Missing values count as 0.
    case neverSkip = "never_skip"
}

/// High blocks submission unless explained (issue #14); medium and low are warnings.
public enum Importance: String, Sendable, Hashable, CaseIterable, Comparable {
    case high, medium, low

    public var labelVI: String {
        switch self {
        case .high: "nghiêm trọng"
        case .medium: "cảnh báo"
        case .low: "lưu ý"
        }
    }

    private var rank: Int { self == .high ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Importance, b: Importance) -> Bool { a.rank < b.rank }
}

/// Which rows a rule applies to. `all` makes it a template: one line of the file, expanded
/// per row ("every row: c3 = c4 + c5 + c6"), instead of DHIS2's "hundreds of near-identical rules".
public enum RuleRows: Sendable, Hashable {
    case all
    /// Only these rows (unqualified references read the row the rule is expanded for).
    case only([String])
    /// Not row-scoped: every reference names its row (`c3[tong]`).
    case none
}

public struct ValidationRule: Sendable, Hashable {
    public var code: String
    public var left: StatExpression
    public var op: RuleOperator
    public var right: StatExpression
    public var leftMissing: MissingValueStrategy
    public var rightMissing: MissingValueStrategy
    public var importance: Importance
    public var messageVI: String
    public var rows: RuleRows
    /// The rule applies only when this form setting is on (c3 = c7 + c11 holds only where
    /// returned or withdrawn dossiers count as resolved, YEAR-ROUND §1).
    public var setting: String?

    public init(code: String, left: StatExpression, op: RuleOperator, right: StatExpression,
                leftMissing: MissingValueStrategy = .skipIfAnyValueMissing,
                rightMissing: MissingValueStrategy = .skipIfAnyValueMissing,
                importance: Importance = .medium, messageVI: String, rows: RuleRows = .all, setting: String? = nil) {
        self.code = code
        self.left = left
        self.op = op
        self.right = right
        self.leftMissing = leftMissing
        self.rightMissing = rightMissing
        self.importance = importance
        self.messageVI = messageVI
        self.rows = rows
        self.setting = setting
    }

    /// A rule that reads the previous period (DHIS2 cannot say this in one rule).
    public var isCrossPeriod: Bool {
        (left.references + right.references).contains { $0.period == .previous }
    }
}

/// A figure a unit states (in its narrative or an old spreadsheet) that the form can
/// compute: seed 003 states 224/267 as 82,4 % (it is 83,9 %) and 578 new dossiers while
/// online 73 + in person 508 = 581. The stated figure is checked, never stored.
public struct StatedFigure: Sendable, Hashable {
    public var code: String
    public var label: String
    public var type: CellType
    public var formula: StatExpression
    public var importance: Importance

    public init(code: String, label: String, type: CellType, formula: StatExpression, importance: Importance = .high) {
        self.code = code
        self.label = label
        self.type = type
        self.formula = formula
        self.importance = importance
    }
}

/// A warning when a cell moves more than `factor` times against the same period last year
/// (up or down), in the spirit of DHIS2's outlier analysis but readable by a clerk.
public struct OutlierCheck: Sendable, Hashable {
    public var code: String
    public var columns: [String]
    public var factor: Double
    public var importance: Importance

    public init(code: String, columns: [String], factor: Double, importance: Importance = .low) {
        self.code = code
        self.columns = columns
        self.factor = factor
        self.importance = importance
    }
}

public struct FormSetting: Sendable, Hashable {
    public var code: String
    public var label: String
    public var defaultValue: Bool

    public init(code: String, label: String, defaultValue: Bool = false) {
        self.code = code
        self.label = label
        self.defaultValue = defaultValue
    }
}

/// A data form (*biểu mẫu*), versioned like a framework: `code` + `version` identify it and
/// a published version is frozen, because submissions are validated against it.
public struct ReportForm: Sendable, Hashable {
    public var code: String
    public var version: String
    public var title: String
    public var legalBasis: String
    /// "hồ sơ", "thủ tục"…: printed under the title.
    public var unitOfCount: String
    public var columns: [FormColumn]
    public var rowSource: RowSource
    /// Fixed rows, and for dynamic sources the total row(s) that follow the supplied rows.
    public var rows: [FormRow]
    public var rules: [ValidationRule]
    public var stated: [StatedFigure]
    public var outliers: [OutlierCheck]
    public var settings: [FormSetting]

    public init(code: String, version: String, title: String, legalBasis: String = "", unitOfCount: String = "",
                columns: [FormColumn], rowSource: RowSource = .fixed, rows: [FormRow], rules: [ValidationRule] = [],
                stated: [StatedFigure] = [], outliers: [OutlierCheck] = [], settings: [FormSetting] = []) {
        self.code = code
        self.version = version
        self.title = title
        self.legalBasis = legalBasis
        self.unitOfCount = unitOfCount
        self.columns = columns
        self.rowSource = rowSource
        self.rows = rows
        self.rules = rules
        self.stated = stated
        self.outliers = outliers
        self.settings = settings
    }

    public func column(_ code: String) -> FormColumn? { columns.first { $0.code == code } }

    /// The rows of a form bound to a unit: fixed rows, or the supplied field / level rows
    /// followed by the form's own rows (the total).
    public func rows(supplied: [FormRow]) -> [FormRow] {
        rowSource == .fixed ? rows : supplied + rows
    }
}
