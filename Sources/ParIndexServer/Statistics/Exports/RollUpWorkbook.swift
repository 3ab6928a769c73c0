import Foundation
import ParIndexCore

/// The roll-up of one row of one form over the regime owner's tree as an XLSX (issue #14
/// item 6): the title, the row summed, the form's grouped headers and column numbers, one line
/// per unit indented by its depth with numbers as numbers (rates recomputed from the summed
/// parts), the same period last year under it, and the rule the totals follow.
struct RollUpWorkbook {
    let rollUp: RollUpDTO

    func xlsx() throws -> Data { try XLSXWriter(sheets: [sheet()]).data() }

    func sheet() -> XLSXWriter.Sheet {
        let unitColumn = FormColumn(code: "don_vi", number: 1, label: "Đơn vị", type: .text, source: .rowLabel)
        let columns = [unitColumn] + rollUp.columns.map {
            FormColumn(code: $0.code, number: $0.number, label: $0.label, group: $0.group, type: CellType(rawValue: $0.type) ?? .count)
        }
        let n = columns.count
        var rows: [[XLSXWriter.Cell]] = []
        var merges: [String] = []
        func line(_ cell: XLSXWriter.Cell) {
            rows.append([cell] + Array(repeating: .empty, count: n - 1))
            if n > 1 { merges.append(XLSXWriter.range(row: rows.count - 1, column: 0, columns: n)) }
        }
        line(.title("TỔNG HỢP: \(rollUp.formTitle.uppercased())"))
        line(.note("\(rollUp.periodLabel) · Dòng: \(rollUp.row)"))
        rows.append([])
        let header = FormHeaderLayout(columns)
        let top = rows.count
        for _ in 0 ..< header.depth { rows.append(Array(repeating: .empty, count: n)) }
        for c in header.cells {
            for r in c.row ..< c.row + c.rows { for x in c.column ..< c.column + c.columns { rows[top + r][x] = .header("") } }
            rows[top + c.row][c.column] = .header(c.text)
            if c.rows > 1 || c.columns > 1 { merges.append(XLSXWriter.range(row: top + c.row, column: c.column, rows: c.rows, columns: c.columns)) }
        }
        // The unit column is unnumbered in the form; the others keep the form's own numbers.
        rows.append([XLSXWriter.Cell.header("")] + rollUp.columns.map { XLSXWriter.Cell.header("(\($0.number))") })
        func number(_ v: Double?, _ column: FormColumnDTO, bold: Bool) -> XLSXWriter.Cell {
            guard let v, v.isFinite else { return .boxed("", bold: bold) }
            return .boxedNumber(FilledForm.rounded(v, type: CellType(rawValue: column.type) ?? .count), bold: bold)
        }
        for u in rollUp.units {
            let indent = String(repeating: "    ", count: u.depth)
            var row: [XLSXWriter.Cell] = [.boxed(indent + u.unitName, bold: u.depth == 0)]
            for (i, column) in rollUp.columns.enumerated() { row.append(number(i < u.cells.count ? u.cells[i].value : nil, column, bold: u.depth == 0)) }
            rows.append(row)
            if let last = u.lastYearValues {
                var previous: [XLSXWriter.Cell] = [.boxed(indent + "    cùng kỳ năm trước")]
                for (i, column) in rollUp.columns.enumerated() { previous.append(number(i < last.count ? last[i] : nil, column, bold: false)) }
                rows.append(previous)
            }
        }
        if rollUp.units.isEmpty { line(.line("Chưa có báo cáo nào đã nộp trong kỳ này.")) }
        rows.append([])
        line(.text(rollUp.rule))
        return XLSXWriter.Sheet(name: String(("TH " + rollUp.form).prefix(31)), columnWidths: [44] + rollUp.columns.map { _ in 11 },
                                rows: rows, merges: merges, landscape: true,
                                rowHeights: Dictionary(uniqueKeysWithValues: (0 ..< header.depth).map { (top + $0, $0 == header.depth - 1 ? 45.0 : 30.0) }))
    }
}
