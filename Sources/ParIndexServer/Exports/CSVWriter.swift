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

    /// Characters that make a spreadsheet evaluate a cell (OWASP "CSV injection"), as UTF-8 bytes:
    /// `=`, `+`, `-`, `@`, TAB, CR.
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    static func data(_ rows: [[Cell]]) -> Data {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        out.reserveCapacity(rows.count * 96)
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: field(cell).utf8)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return Data(out)
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
        guard let first = text.utf8.first, startsFormula(first) else { return text }
        return "'" + text
    }

    /// RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled; `;`
    /// is quoted too, since Excel in a Vietnamese locale splits on it.
    static func quote(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x3B || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
