import Foundation

/// What one typed or imported cell says, checked against its column: the one rule behind
/// the web grid, the data-value import and the filled-form import, so a value refused in one
/// is refused in all three with the same words.
public enum CellEntry {
    public enum Problem: Error, Sendable, Equatable {
        /// The column is computed (a rate) or is the row's number or label.
        case computed
        case notNumber
        /// A count that is negative or not whole.
        case notCount
        case negative
    }

    /// `nil` for an empty cell (the cell is cleared). Numbers accept `2.476`, `82,4`,
    /// `82,4 %`; a count must be a whole number ≥ 0, a percent or count never negative.
    /// `storedAsNumber`: the text is a spreadsheet's number (`82.125` is eighty-two point one
    /// two five there, not 82.125 with thousands groups).
    public static func parse(_ raw: String, column: FormColumn, storedAsNumber: Bool = false) -> Result<CellValue?, Problem> {
        guard column.isEntered else { return .failure(.computed) }
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .success(nil) }
        if column.type == .text { return .success(.text(text)) }
        let cleaned = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        let number = storedAsNumber ? Double(cleaned) : try? VietnameseNumber.parse(cleaned)
        guard let v = number, v.isFinite else { return .failure(.notNumber) }
        if column.type == .count && (v < 0 || v != v.rounded()) { return .failure(.notCount) }
        if v < 0 && column.type != .amount { return .failure(.negative) }
        return .success(.number(Decimal(string: String(v)) ?? Decimal(v)))
    }

    /// How a stored submission keeps a number: the shortest text that reads back the same.
    public static func stored(_ value: CellValue) -> String {
        switch value {
        case let .number(d): String(NSDecimalNumber(decimal: d).doubleValue)
        case let .text(t): t
        }
    }
}

extension CellEntry.Problem {
    /// The message after the cell's place ("Biểu …, dòng …, cột (3) …: ").
    public func messageVI(text: String, column: FormColumn) -> String {
        switch self {
        case .computed: "được tính tự động, không nhập."
        case .notNumber: "“\(text)” không phải là số (ví dụ 2.476 hoặc 82,4); cột này là \(column.type.labelVI)."
        case .notCount: "số đếm phải là số nguyên không âm, không phải “\(text)”."
        case .negative: "không được âm (“\(text)”)."
        }
    }
}
