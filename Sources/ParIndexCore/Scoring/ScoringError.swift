import Foundation

/// Why an input could not be scored as given. The engine still produces a
/// result (0 points, or the value clamped into range) and records the error in
/// the explanation, so one bad entry never blocks a campaign's results.
public enum ScoringError: DomainError, Hashable {
    case missingInput
    case wrongInputKind(method: String)
    case negativeValue(Double)
    case notFiniteValue
    case unknownLevel(String)
    case pointsOutOfRange(Double, max: Double)
    case pointsOffStep(Double, step: Double)
    case notApplicableNotAllowed
    case formula(FormulaError)

    public var code: String {
        switch self {
        case .missingInput: "scoring.missing_input"
        case .wrongInputKind: "scoring.wrong_input_kind"
        case .negativeValue: "scoring.negative_value"
        case .notFiniteValue: "scoring.not_finite"
        case .unknownLevel: "scoring.unknown_level"
        case .pointsOutOfRange: "scoring.points_out_of_range"
        case .pointsOffStep: "scoring.points_off_step"
        case .notApplicableNotAllowed: "scoring.not_applicable_not_allowed"
        case .formula(let e): "scoring.\(e.code)"
        }
    }

    public var messageVI: String {
        switch self {
        case .missingInput: "Chưa có dữ liệu chấm điểm; tính 0 điểm."
        case .wrongInputKind(let m): "Dữ liệu nhập không đúng loại cho phương pháp chấm \(m)."
        case .negativeValue(let v): "Giá trị âm (\(VietnameseNumber.format(v))) không hợp lệ."
        case .notFiniteValue: "Giá trị không phải là số hữu hạn."
        case .unknownLevel(let id): "Mức '\(id)' không có trong danh sách mức điểm của tiêu chí."
        case .pointsOutOfRange(let v, let max):
            "Điểm \(VietnameseNumber.format(v)) nằm ngoài khoảng từ 0 đến \(VietnameseNumber.format(max))."
        case .pointsOffStep(let v, let step):
            "Điểm \(VietnameseNumber.format(v)) không phải bội số của bước chấm \(VietnameseNumber.format(step))."
        case .notApplicableNotAllowed: "Tiêu chí này không được đánh dấu là không áp dụng."
        case .formula(let e): e.messageVI
        }
    }
}
