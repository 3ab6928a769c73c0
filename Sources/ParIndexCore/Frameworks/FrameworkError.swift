import Foundation

/// Where in a framework file a problem is: the node, its field and the line.
public struct FrameworkLocation: Sendable, Hashable {
    public var nodeCode: String?
    public var fieldCode: String?
    public var line: Int?

    public init(nodeCode: String? = nil, fieldCode: String? = nil, line: Int? = nil) {
        self.nodeCode = nodeCode
        self.fieldCode = fieldCode
        self.line = line
    }

    /// "Dòng 12, tiêu chí 3.2.1 (lĩnh vực 3)".
    public var descriptionVI: String {
        var parts: [String] = []
        if let line { parts.append("Dòng \(line)") }
        if let nodeCode {
            var node = "tiêu chí \(nodeCode)"
            if let fieldCode, fieldCode != nodeCode { node += " (lĩnh vực \(fieldCode))" }
            if nodeCode == fieldCode { node = "lĩnh vực \(nodeCode)" }
            parts.append(node)
        }
        return parts.isEmpty ? "Bộ chỉ số" : parts.joined(separator: ", ")
    }
}

/// One problem in a framework file or value.
public enum FrameworkError: DomainError, Hashable {
    case malformedYAML(detail: String, line: Int?)
    case missingKey(String, FrameworkLocation)
    case unknownKey(String, FrameworkLocation)
    case notANumber(key: String, text: String, FrameworkLocation)
    case invalidValue(key: String, text: String, expected: String, FrameworkLocation)
    /// A code or title refused by ``TextRules`` (control characters, noncharacters, bidi overrides, length).
    case invalidText(key: String, detailVI: String, FrameworkLocation)
    case unknownMethod(String, FrameworkLocation)
    case duplicateCode(String, FrameworkLocation, firstLine: Int?)
    case childrenDoNotSum(expected: Double, actual: Double, FrameworkLocation)
    case methodCannotReachMax(reachable: Double, max: Double, FrameworkLocation)
    case pointsOutOfRange(key: String, value: Double, max: Double, FrameworkLocation)
    case leafWithoutMethod(FrameworkLocation)
    case methodOnBranch(FrameworkLocation)
    case invalidMethod(detailVI: String, FrameworkLocation)
    case formula(FormulaError, FrameworkLocation)
    case compositionDoesNotSum(part: String, expected: Double, actual: Double)
    case compositionUnknownNode(part: String, code: String)
    case compositionTotal(expected: Double, actual: Double)

    public var location: FrameworkLocation? {
        switch self {
        case .malformedYAML(_, let line): FrameworkLocation(line: line)
        case .missingKey(_, let l), .unknownKey(_, let l), .notANumber(_, _, let l), .invalidValue(_, _, _, let l), .invalidText(_, _, let l),
             .unknownMethod(_, let l), .duplicateCode(_, let l, _), .childrenDoNotSum(_, _, let l),
             .methodCannotReachMax(_, _, let l), .pointsOutOfRange(_, _, _, let l), .leafWithoutMethod(let l),
             .methodOnBranch(let l), .invalidMethod(_, let l), .formula(_, let l):
            l
        case .compositionDoesNotSum, .compositionUnknownNode, .compositionTotal: nil
        }
    }

    public var code: String {
        switch self {
        case .malformedYAML: "framework.malformed_yaml"
        case .missingKey: "framework.missing_key"
        case .unknownKey: "framework.unknown_key"
        case .notANumber: "framework.not_a_number"
        case .invalidValue: "framework.invalid_value"
        case .invalidText: "framework.invalid_text"
        case .unknownMethod: "framework.unknown_method"
        case .duplicateCode: "framework.duplicate_code"
        case .childrenDoNotSum: "framework.children_do_not_sum"
        case .methodCannotReachMax: "framework.method_cannot_reach_max"
        case .pointsOutOfRange: "framework.points_out_of_range"
        case .leafWithoutMethod: "framework.leaf_without_method"
        case .methodOnBranch: "framework.method_on_branch"
        case .invalidMethod: "framework.invalid_method"
        case .formula(let e, _): "framework.\(e.code)"
        case .compositionDoesNotSum: "framework.composition_does_not_sum"
        case .compositionUnknownNode: "framework.composition_unknown_node"
        case .compositionTotal: "framework.composition_total"
        }
    }

    public var messageVI: String {
        let at = location?.descriptionVI ?? "Bộ chỉ số"
        return "\(at): \(detailVI)"
    }

    /// The message without its location.
    public var detailVI: String {
        switch self {
        case .malformedYAML(let d, _): "Tệp YAML không hợp lệ: \(d)"
        case .missingKey(let k, _): "Thiếu khóa bắt buộc '\(k)'."
        case .unknownKey(let k, _): "Khóa '\(k)' không được hỗ trợ (có thể gõ sai)."
        case .notANumber(let k, let t, _): "'\(k)' phải là số (ví dụ 71,5), nhưng có \"\(t)\"."
        case .invalidValue(let k, let t, let e, _): "Giá trị \"\(t)\" của '\(k)' không hợp lệ; cần \(e)."
        case .unknownMethod(let m, _):
            "Phương pháp chấm '\(m)' không tồn tại; dùng một trong: \(FrameworkYAMLKeys.methodKinds.joined(separator: ", "))."
        case .duplicateCode(let c, _, let first):
            "Mã '\(c)' bị trùng" + (first.map { " (đã dùng ở dòng \($0))" } ?? "") + "."
        case .childrenDoNotSum(let e, let a, _):
            "Tổng điểm tối đa của các tiêu chí con là \(viNumber(a)), khác điểm tối đa \(viNumber(e)) của tiêu chí."
        case .methodCannotReachMax(let r, let m, _):
            "Phương pháp chấm chỉ đạt tối đa \(viNumber(r)) điểm, không đạt được điểm tối đa \(viNumber(m))."
        case .pointsOutOfRange(let k, let v, let m, _):
            "Điểm '\(k)' = \(viNumber(v)) nằm ngoài khoảng từ 0 đến \(viNumber(m))."
        case .leafWithoutMethod: "Tiêu chí không có tiêu chí con thì phải có phương pháp chấm ('method')."
        case .methodOnBranch: "Tiêu chí có tiêu chí con không được có phương pháp chấm riêng."
        case .invalidMethod(let d, _): d
        case .invalidText(_, let d, _): d
        case .formula(let e, _): "Công thức: \(e.messageVI)"
        case .compositionDoesNotSum(let p, let e, let a):
            "Phần \"\(p)\" khai báo \(viNumber(e)) điểm nhưng các tiêu chí của nó cộng lại \(viNumber(a)) điểm."
        case .compositionUnknownNode(let p, let c): "Phần \"\(p)\" tham chiếu mã '\(c)' không có trong bộ chỉ số."
        case .compositionTotal(let e, let a):
            "Các phần của cơ cấu điểm cộng lại \(viNumber(a)) điểm, khác tổng điểm \(viNumber(e)) của bộ chỉ số."
        }
    }
}

/// Every problem found in a framework, reported together so the author can
/// fix the file in one pass. Nothing is imported while any remains.
public struct FrameworkValidationError: DomainError, Hashable {
    public var errors: [FrameworkError]

    public init(errors: [FrameworkError]) { self.errors = errors }

    public var code: String { "framework.invalid" }

    public var messageVI: String {
        "Bộ chỉ số có \(errors.count) lỗi:\n" + errors.map { "- " + $0.messageVI }.joined(separator: "\n")
    }
}
