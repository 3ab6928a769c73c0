import Foundation
import ParIndexCore

/// A unit's filled form as an XLSX in the form's official layout (Thông tư 01/2020/TT-VPCP,
/// biểu 06; issue #14 item 6): the legal basis, "Đơn vị báo cáo" and "Đơn vị nhận báo cáo", the
/// title, the period and its window, the unit of count, the grouped headers merged as printed,
/// the row of column numbers (1)…(n), the rows with numbers as numbers and computed cells as
/// their values, and the signature block.
struct ReportFormWorkbook {
    let paper: ReportPaper
    let filled: FilledForm

    func xlsx() throws -> Data { try XLSXWriter(sheets: [sheet()]).data() }

    func sheet() -> XLSXWriter.Sheet {
        let f = filled.form.form
        let n = f.columns.count
        let half = max(n / 2, 1)
        var rows: [[XLSXWriter.Cell]] = []
        var merges: [String] = []
        func blank() -> [XLSXWriter.Cell] { Array(repeating: .empty, count: n) }
        /// One row with `cell` merged over columns `from ..< to`.
        func span(_ cells: [(XLSXWriter.Cell, Int, Int)]) {
            var row = blank()
            for (cell, from, to) in cells where from < to {
                row[from] = cell
                if to - from > 1 { merges.append(XLSXWriter.range(row: rows.count, column: from, columns: to - from)) }
            }
            rows.append(row)
        }
        span([(.line(f.legalBasis), 0, half), (.line("Đơn vị báo cáo: \(paper.unitName)"), half, n)])
        span([(.line("Đơn vị nhận báo cáo: \(paper.receivingUnitName)"), half, n)])
        rows.append([])
        span([(.title(f.title.uppercased()), 0, n)])
        span([(.note("Kỳ báo cáo: \(paper.periodLabel)"), 0, n)])
        span([(.note("(\(paper.window))"), 0, n)])
        if !f.unitOfCount.isEmpty { span([(.line("Đơn vị tính: \(f.unitOfCount)"), max(n - 3, 0), n)]) } else { rows.append([]) }
        // Grouped headers: every cell of a merged block carries the border, the first its text.
        let header = FormHeaderLayout(f.columns)
        let top = rows.count
        for _ in 0 ..< header.depth { rows.append(blank()) }
        for c in header.cells {
            for r in c.row ..< c.row + c.rows { for x in c.column ..< c.column + c.columns { rows[top + r][x] = .header("") } }
            rows[top + c.row][c.column] = .header(c.text)
            if c.rows > 1 || c.columns > 1 { merges.append(XLSXWriter.range(row: top + c.row, column: c.column, rows: c.rows, columns: c.columns)) }
        }
        rows.append(f.columns.map { XLSXWriter.Cell.header("(\($0.number))") })
        for (r, row) in filled.form.rows.enumerated() {
            rows.append(f.columns.indices.map { c -> XLSXWriter.Cell in
                switch filled.value(row: r, column: c) {
                case let .text(t): .boxed(t, bold: row.isTotal)
                case let .number(v): .boxedNumber(v, bold: row.isTotal)
                case .none: .boxed("", bold: row.isTotal)
                }
            })
        }
        rows.append([])
        span([(.note(paper.placeAndDate), half, n)])
        span([(.title("NGƯỜI LẬP BIỂU"), 0, half), (.title("THỦ TRƯỞNG ĐƠN VỊ"), half, n)])
        span([(.note("(Ký, ghi rõ họ tên)"), 0, half), (.note("(Ký tên, đóng dấu)"), half, n)])
        let widths = f.columns.map { c -> Double in
            switch c.source {
            case .rowNumber: 6
            case .rowLabel: 28
            case .value: c.type == .text ? 24 : 10
            }
        }
        // Wrapped header labels ("Trực tiếp, dịch vụ bưu chính") need the height the printed form gives them.
        var heights: [Int: Double] = [3: 30]
        for r in 0 ..< header.depth { heights[top + r] = r == header.depth - 1 ? 45 : 30 }
        return XLSXWriter.Sheet(name: String(f.code.prefix(31)), columnWidths: widths, rows: rows, merges: merges, landscape: true,
                                rowHeights: heights)
    }
}
