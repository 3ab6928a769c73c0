import Foundation

/// One problem in a form file, always with its line when read from a file, so the author
/// fixes the file in one pass (as framework files do).
public enum FormError: DomainError, Hashable {
    case malformedYAML(detail: String, line: Int?)
    case missingKey(String, line: Int?)
    case unknownKey(String, line: Int?)
    case invalidValue(key: String, text: String, expectedVI: String, line: Int?)
    case invalidText(key: String, detailVI: String, line: Int?)
    case duplicateCode(kindVI: String, code: String, line: Int?, firstLine: Int?)
    case duplicateColumnNumber(Int, line: Int?, firstLine: Int?)
    case badOperator(String, line: Int?)
    case expression(key: String, StatExpressionError, line: Int?)
    case unknownColumn(String, whereVI: String, line: Int?)
    case unknownRow(String, whereVI: String, line: Int?)
    case unknownSetting(String, whereVI: String, line: Int?)
    /// The two sides of a rule measure different things (count vs percent).
    case unitMismatch(ruleCode: String, left: String, right: String, line: Int?)
    /// An expression adds things that cannot be added, or computes on a text cell.
    case invalidArithmetic(whereVI: String, detailVI: String, line: Int?)
    case computedTypeMismatch(column: String, type: CellType, formulaUnit: String, line: Int?)
    case cycle([String], line: Int?)
    case periodInFormula(whereVI: String, line: Int?)
    case rowRequired(ruleCode: String, column: String, line: Int?)
    case noColumns, noRows

    public var line: Int? {
        switch self {
        case .malformedYAML(_, let l), .missingKey(_, let l), .unknownKey(_, let l), .invalidValue(_, _, _, let l),
             .invalidText(_, _, let l), .duplicateCode(_, _, let l, _), .duplicateColumnNumber(_, let l, _),
             .badOperator(_, let l), .expression(_, _, let l), .unknownColumn(_, _, let l), .unknownRow(_, _, let l),
             .unknownSetting(_, _, let l), .unitMismatch(_, _, _, let l), .invalidArithmetic(_, _, let l),
             .computedTypeMismatch(_, _, _, let l), .cycle(_, let l), .periodInFormula(_, let l), .rowRequired(_, _, let l):
            l
        case .noColumns, .noRows: nil
        }
    }

    public var code: String {
        switch self {
        case .malformedYAML: "form.malformed_yaml"
        case .missingKey: "form.missing_key"
        case .unknownKey: "form.unknown_key"
        case .invalidValue: "form.invalid_value"
        case .invalidText: "form.invalid_text"
        case .duplicateCode: "form.duplicate_code"
        case .duplicateColumnNumber: "form.duplicate_column_number"
        case .badOperator: "form.bad_operator"
        case .expression: "form.expression"
        case .unknownColumn: "form.unknown_column"
        case .unknownRow: "form.unknown_row"
        case .unknownSetting: "form.unknown_setting"
        case .unitMismatch: "form.unit_mismatch"
        case .invalidArithmetic: "form.invalid_arithmetic"
        case .computedTypeMismatch: "form.computed_type_mismatch"
        case .cycle: "form.cycle"
        case .periodInFormula: "form.period_in_formula"
        case .rowRequired: "form.row_required"
        case .noColumns: "form.no_columns"
        case .noRows: "form.no_rows"
        }
    }

    public var messageVI: String { (line.map { "Dòng \($0): " } ?? "Biểu mẫu: ") + detailVI }

    public var detailVI: String {
        switch self {
        case .malformedYAML(let d, _): "Tệp YAML không hợp lệ: \(d)"
        case .missingKey(let k, _): "Thiếu khóa bắt buộc '\(k)'."
        case .unknownKey(let k, _): "Khóa '\(k)' không được hỗ trợ (có thể gõ sai)."
        case .invalidValue(let k, let t, let e, _): "Giá trị \"\(t)\" của '\(k)' không hợp lệ; cần \(e)."
        case .invalidText(_, let d, _): d
        case .duplicateCode(let kind, let c, _, let first):
            "Mã \(kind) '\(c)' bị trùng" + (first.map { " (đã dùng ở dòng \($0))" } ?? "") + "."
        case .duplicateColumnNumber(let n, _, let first):
            "Số thứ tự cột (\(n)) bị trùng" + (first.map { " (đã dùng ở dòng \($0))" } ?? "") + "."
        case .badOperator(let t, _):
            "Phép so sánh \"\(t)\" không hợp lệ; dùng một trong: =, ≠, >, ≥, <, ≤, compulsory_pair, exclusive_pair."
        case .expression(let k, let e, _): "Công thức '\(k)' sai ở \(e.messageVI)."
        case .unknownColumn(let c, let w, _): "\(w) dùng cột '\(c)' không có trong biểu mẫu."
        case .unknownRow(let r, let w, _): "\(w) dùng dòng '\(r)' không có trong biểu mẫu."
        case .unknownSetting(let s, let w, _): "\(w) phụ thuộc thiết lập '\(s)' không được khai báo trong 'settings'."
        case .unitMismatch(let r, let l, let rt, _):
            "Quy tắc '\(r)' so sánh hai vế khác đơn vị: vế trái là \(l), vế phải là \(rt)."
        case .invalidArithmetic(let w, let d, _): "\(w): \(d)"
        case .computedTypeMismatch(let c, let t, let u, _):
            "Cột '\(c)' kiểu \(t.labelVI) nhưng công thức của nó cho ra \(u)."
        case .cycle(let path, _):
            "Các cột tính toán phụ thuộc vòng tròn: \(path.joined(separator: " → ")); không thể tính được."
        case .periodInFormula(let w, _):
            "\(w) không được dùng số liệu kỳ trước hoặc cùng kỳ năm trước (previous/last_year); chỉ quy tắc kiểm tra mới được."
        case .rowRequired(let r, let c, _):
            "Quy tắc '\(r)' không gắn với dòng (rows: none) nên tham chiếu '\(c)' phải ghi rõ dòng, ví dụ \(c)[tong]."
        case .noColumns: "Biểu mẫu chưa có cột nào."
        case .noRows: "Biểu mẫu có dòng cố định (rows_from: fixed) nhưng chưa khai báo dòng nào."
        }
    }
}

/// Every problem of a form file at once; nothing is used while any remains.
public struct FormValidationError: DomainError, Hashable {
    public var errors: [FormError]

    public init(errors: [FormError]) { self.errors = errors }

    public var code: String { "form.invalid" }

    public var messageVI: String {
        "Biểu mẫu có \(VietnameseNumber.format(errors.count)) lỗi:\n" + errors.map { "- " + $0.messageVI }.joined(separator: "\n")
    }
}
