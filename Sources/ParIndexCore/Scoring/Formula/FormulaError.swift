import Foundation

/// Why a formula could not be parsed or evaluated.
/// Positions are 1-based character offsets in the expression text, so the
/// framework editor can point at the exact spot.
public enum FormulaError: DomainError, Hashable {
    case unexpectedCharacter(Character, position: Int)
    case invalidNumber(String, position: Int)
    case unexpectedToken(String, expected: String, position: Int)
    case unexpectedEnd(expected: String, position: Int)
    case unknownInput(String, position: Int)
    case unknownFunction(String, position: Int)
    case wrongArgumentCount(function: String, expected: String, got: Int, position: Int)
    case divisionByLiteralZero(position: Int)
    case tooComplex(limit: Int)
    case emptyExpression
    case divisionByZero
    case missingInput(String)
    case notFinite

    public var code: String {
        switch self {
        case .unexpectedCharacter: "formula.unexpected_character"
        case .invalidNumber: "formula.invalid_number"
        case .unexpectedToken: "formula.unexpected_token"
        case .unexpectedEnd: "formula.unexpected_end"
        case .unknownInput: "formula.unknown_input"
        case .unknownFunction: "formula.unknown_function"
        case .wrongArgumentCount: "formula.wrong_argument_count"
        case .divisionByLiteralZero: "formula.division_by_literal_zero"
        case .tooComplex: "formula.too_complex"
        case .emptyExpression: "formula.empty"
        case .divisionByZero: "formula.division_by_zero"
        case .missingInput: "formula.missing_input"
        case .notFinite: "formula.not_finite"
        }
    }

    /// Position in the expression, when the error has one.
    public var position: Int? {
        switch self {
        case .unexpectedCharacter(_, let p), .invalidNumber(_, let p), .unexpectedToken(_, _, let p),
             .unexpectedEnd(_, let p), .unknownInput(_, let p), .unknownFunction(_, let p),
             .wrongArgumentCount(_, _, _, let p), .divisionByLiteralZero(let p):
            p
        default: nil
        }
    }

    public var messageVI: String {
        switch self {
        case .unexpectedCharacter(let c, let p): "Ký tự không hợp lệ '\(c)' tại vị trí \(p) của công thức."
        case .invalidNumber(let t, let p): "Số không hợp lệ '\(t)' tại vị trí \(p) (công thức dùng dấu chấm thập phân, ví dụ 0.25)."
        case .unexpectedToken(let t, let e, let p): "Gặp '\(t)' tại vị trí \(p), cần \(e)."
        case .unexpectedEnd(let e, let p): "Công thức kết thúc sớm tại vị trí \(p), cần \(e)."
        case .unknownInput(let n, let p): "Công thức dùng đại lượng '\(n)' (vị trí \(p)) không được khai báo trong danh sách dữ liệu đầu vào."
        case .unknownFunction(let n, let p): "Hàm '\(n)' (vị trí \(p)) không được hỗ trợ; chỉ dùng min, max, round, if."
        case .wrongArgumentCount(let f, let e, let g, let p): "Hàm \(f) (vị trí \(p)) cần \(e) tham số, nhưng có \(g)."
        case .divisionByLiteralZero(let p): "Phép chia cho 0 tại vị trí \(p)."
        case .tooComplex(let limit): "Công thức quá phức tạp (quá \(limit) mức lồng nhau hoặc ký tự)."
        case .emptyExpression: "Công thức trống."
        case .divisionByZero: "Phép chia cho 0 khi tính công thức."
        case .missingInput(let n): "Thiếu giá trị '\(n)' để tính công thức."
        case .notFinite: "Công thức cho kết quả không xác định."
        }
    }
}
