import ParIndexCore

/// A form's column headers as the printed form lays them out (Thông tư 01/2020/TT-VPCP, biểu
/// 06): a group over its columns, a subgroup ("Trong kỳ") over some of them, the label at the
/// bottom; a column without a group has its label over all header rows. The cells tile the
/// header block exactly, so the XLSX merges and the DOCX spans come from one layout.
struct FormHeaderLayout: Sendable {
    struct Cell: Sendable, Equatable {
        var row: Int
        var column: Int
        var rows: Int
        var columns: Int
        var text: String
    }

    /// Header rows: 1 (labels only), 2 (groups) or 3 (groups and subgroups).
    let depth: Int
    let cells: [Cell]

    init(_ columns: [FormColumn]) {
        let depth = columns.contains { $0.group != nil && $0.subgroup != nil } ? 3 : columns.contains { $0.group != nil } ? 2 : 1
        var cells: [Cell] = []
        var i = 0
        while i < columns.count {
            guard depth > 1, let group = columns[i].group else {
                cells.append(Cell(row: 0, column: i, rows: depth, columns: 1, text: columns[i].label))
                i += 1
                continue
            }
            var end = i
            while end < columns.count && columns[end].group == group { end += 1 }
            cells.append(Cell(row: 0, column: i, rows: 1, columns: end - i, text: group))
            var k = i
            while k < end {
                if depth == 3, let sub = columns[k].subgroup {
                    var m = k
                    while m < end && columns[m].subgroup == sub { m += 1 }
                    cells.append(Cell(row: 1, column: k, rows: 1, columns: m - k, text: sub))
                    for x in k ..< m { cells.append(Cell(row: 2, column: x, rows: 1, columns: 1, text: columns[x].label)) }
                    k = m
                } else {
                    cells.append(Cell(row: 1, column: k, rows: depth - 1, columns: 1, text: columns[k].label))
                    k += 1
                }
            }
            i = end
        }
        self.depth = depth
        self.cells = cells
    }

    /// The cell that starts at (`row`, `column`), or the one whose block covers it from above.
    func cell(at row: Int, _ column: Int) -> (cell: Cell, starts: Bool)? {
        for c in cells where c.column == column && c.row <= row && row < c.row + c.rows {
            return (c, c.row == row)
        }
        return nil
    }
}
