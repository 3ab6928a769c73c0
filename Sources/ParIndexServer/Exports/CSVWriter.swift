import Foundation
import ParIndexCore

/// The one CSV writer of every export: UTF-8 with a BOM (so Excel shows Vietnamese
/// correctly), CRLF rows, fields quoted per RFC 4180.
///
/// Cells are typed because a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@`
/// (and, in some, a TAB or CR) as a formula: issue #20 found unit names such as
/// `=HYPERLINK("http://evil","x")` and appraisers' reasons reaching anonymous CSV downloads
/// raw. Text cells starting with one of those characters get a leading `'` (the OWASP
/// advice, which spreadsheets show as text); numbers the program writes (`-3`, `71,5`) are
/// ``Cell/number(_:)`` or ``Cell/integer(_:)`` and stay numbers.
enum CSVWriter {
    enum Cell: Sendable, Equatable {
        /// Free text: names, codes, reasons, labels. Neutralised when it could be read as a formula.
        case text(String)
        /// A number in Vietnamese notation (`71,5`, `2.476`, `-3`).
        case number(Double)
        case integer(Int)
        case empty

        /// A number, or `—` (as text) when there is none.
        static func numberOrDash(_ value: Double?) -> Cell { value.map { .number($0) } ?? .text("—") }
    }

    /// Characters that make a spreadsheet evaluate a cell (OWASP "CSV injection").
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    static func data(_ rows: [[Cell]]) -> Data {
        var body = ""
        for row in rows {
            body += row.map(field).joined(separator: ",")
            body += "\r\n"
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data(body.utf8)
    }

    /// A header of plain labels followed by typed rows.
    static func data(header: [String], rows: [[Cell]]) -> Data {
        data([header.map { .text($0) }] + rows)
    }

    static func field(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case let .integer(n): quote(VietnameseNumber.format(n))
        case let .number(v): quote(VietnameseNumber.format(v))
        case let .text(t): quote(neutralised(t))
        }
    }

    /// `=SUM(A1)` → `'=SUM(A1)`; anything else unchanged.
    static func neutralised(_ text: String) -> String {
        guard let first = text.first, formulaStarts.contains(first) || text.unicodeScalars.first.map(isFormulaScalar) == true else {
            return text
        }
        return "'" + text
    }

    /// `\r\n` is one Character in Swift, so the first scalar is checked too.
    private static func isFormulaScalar(_ s: Unicode.Scalar) -> Bool { s == "\r" || s == "\t" }

    /// RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled; `;`
    /// is quoted too, since Excel in a Vietnamese locale splits on it.
    static func quote(_ s: String) -> String {
        s.contains(where: { ",\";\n\r".contains($0) }) || s.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
