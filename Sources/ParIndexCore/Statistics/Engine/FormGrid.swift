import Foundation

/// A cell of a submission by its codes.
public struct CellKey: Sendable, Hashable, Comparable {
    public var row: String
    public var column: String

    public init(row: String, column: String) {
        self.row = row
        self.column = column
    }

    public static func < (a: CellKey, b: CellKey) -> Bool { (a.row, a.column) < (b.row, b.column) }
}

public enum CellValue: Sendable, Hashable {
    case number(Decimal)
    case text(String)
}

/// One submission's values laid out flat (row-major, `row * width + column`), missing as
/// NaN. The evaluator reads cells by index only: the codes are resolved once, when the form
/// is compiled, so the benchmark's hot loop does no string lookups.
///
/// Values are held as `Double`: counts and amounts are integers well below 2^53, so sums are
/// exact, and equality is tested with a relative tolerance of 1e-9 for the few decimals.
public struct FormGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var values: [Double]
    public var texts: [Int: String] = [:]

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        self.values = [Double](repeating: .nan, count: width * height)
    }

    public subscript(row: Int, column: Int) -> Double? {
        get {
            let v = values[row * width + column]
            return v.isNaN ? nil : v
        }
        set { values[row * width + column] = newValue ?? .nan }
    }

    public var isEmpty: Bool { values.allSatisfy(\.isNaN) && texts.isEmpty }
}

extension Decimal {
    var doubleValue: Double { NSDecimalNumber(decimal: self).doubleValue }
}

extension Double {
    /// Back to `Decimal` for callers that store figures: six decimals are plenty for rates.
    var decimalValue: Decimal {
        let rounded = (self * 1_000_000).rounded() / 1_000_000
        return Decimal(string: String(rounded)) ?? Decimal(rounded)
    }
}
