import Foundation

/// Reads what a person typed into a self-assessment or appraisal form — strings in
/// Vietnamese notation (`45`, `71,5`, `2.476`) — into a ``LeafInput`` for the leaf's method,
/// with a Vietnamese message naming the field when something cannot be read.
public enum LeafInputForm {
    public struct FieldError: DomainError, Equatable {
        public var field: String
        public var messageVI: String
        public var code: String { "assessment.input_invalid" }
    }

    /// `fields` keys: `na` (checkbox for not applicable), `value`, `level`, `numerator`,
    /// `denominator`, `count`, `points`, and `v.NAME` for formula inputs.
    public static func parse(method: ScoringMethod, fields: [String: String]) throws(FieldError) -> LeafInput? {
        func text(_ k: String) -> String { (fields[k] ?? "").trimmingCharacters(in: .whitespaces) }
        func number(_ k: String, _ label: String) throws(FieldError) -> Double? {
            let t = text(k)
            if t.isEmpty { return nil }
            do { return try VietnameseNumber.parse(t) } catch {
                throw FieldError(field: k, messageVI: "\(label): “\(t)” không phải là số (ví dụ 45 hoặc 71,5).")
            }
        }
        if !text("na").isEmpty { return .notApplicable }
        switch method {
        case .yesNo:
            switch VietnameseText.fold(text("value")) {
            case "": return nil
            case "yes", "co", "true", "1": return .yesNo(true)
            case "no", "khong", "false", "0": return .yesNo(false)
            default: throw FieldError(field: "value", messageVI: "Chọn “Có” hoặc “Không”.")
            }
        case let .levels(levels):
            let id = text("level")
            if id.isEmpty { return nil }
            guard levels.contains(where: { $0.id == id }) else {
                throw FieldError(field: "level", messageVI: "Mức “\(id)” không có trong tiêu chí này.")
            }
            return .level(id)
        case .ratio, .ratioBands:
            let n = try number("numerator", "Tử số"), d = try number("denominator", "Mẫu số")
            if n == nil && d == nil { return nil }
            guard let n, let d else { throw FieldError(field: n == nil ? "numerator" : "denominator", messageVI: "Nhập đủ tử số và mẫu số.") }
            guard n >= 0, d >= 0 else { throw FieldError(field: "numerator", messageVI: "Tử số và mẫu số không được âm.") }
            return .ratio(numerator: n, denominator: d)
        case .normalizedRatio:
            guard let v = try number("value", "Giá trị") else { return nil }
            guard v >= 0 else { throw FieldError(field: "value", messageVI: "Giá trị không được âm.") }
            return .value(v)
        case .occurrences:
            guard let v = try number("count", "Số lần") else { return nil }
            guard v >= 0, v == v.rounded() else { throw FieldError(field: "count", messageVI: "Số lần phải là số nguyên không âm.") }
            return .count(Int(v))
        case .manual:
            guard let v = try number("points", "Điểm") else { return nil }
            return .points(v)
        case .survey:
            throw FieldError(field: "points", messageVI: "Tiêu chí này lấy điểm từ điều tra xã hội học, đơn vị không tự chấm.")
        case let .formula(f):
            var values: [String: Double] = [:]
            for name in f.inputs.map(\.name) {
                if let v = try number("v.\(name)", name) { values[name] = v }
            }
            return values.isEmpty ? nil : .values(values)
        }
    }
}
