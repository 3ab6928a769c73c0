import Foundation

/// Reads a unit's filled form back from the workbook in the form's own printed layout (the
/// XLSX that the submission page hands out: title, "Đơn vị báo cáo", grouped headers, the row
/// of column numbers (1)…(n), one line per form row, signature block), so a unit that keeps
/// its figures in Excel fills the familiar sheet and uploads it (issue #14 item 3).
///
/// The row of column numbers anchors the layout: the lines below it, up to the first empty
/// one, are the form's rows, matched by their label (accents and case ignored) or, in a form
/// without a label column, by position. Every entered cell is read with ``CellEntry``; cells
/// the form computes (rates) are recomputed and ignored. All or nothing: every problem comes
/// back with its sheet line and column number.
public enum FilledFormImport {
    /// The form's values as the file gives them: every entered cell of every row, empty
    /// cells absent (the file replaces the form's figures).
    /// `unitName` and `periodLabel`, when given, must match the file's "Đơn vị báo cáo" and
    /// "Kỳ báo cáo" lines if it has them.
    public static func parse(rows: [XLSXReader.Row], form: CompiledForm, unitName: String? = nil,
                             periodLabel: String? = nil) throws(ImportErrors) -> [CellKey: CellValue] {
        let f = form.form
        let numbers = f.columns.map { "(\($0.number))" }
        guard let anchor = rows.firstIndex(where: { row in
            row.cells.count >= numbers.count && zip(row.cells, numbers).allSatisfy { $0.trimmingCharacters(in: .whitespaces) == $1 }
        }) else {
            throw ImportErrors(rows: [ImportRowError(row: 0, messageVI:
                "Không tìm thấy dòng đánh số cột \(numbers.prefix(3).joined(separator: ", ")), … của biểu “\(f.title)”: "
                + "tệp không theo mẫu biểu này. Hãy tải biểu (XLSX) từ trang báo cáo, nhập số liệu vào đó rồi tải lên.")])
        }
        var errors: [ImportRowError] = []
        let above = rows[..<anchor].flatMap(\.cells).map(VietnameseText.fold)
        if !above.contains(VietnameseText.fold(f.title)) {
            errors.append(ImportRowError(row: 0, messageVI: "Tệp không có tên biểu “\(f.title)” ở phần đầu: có thể đây là một biểu khác."))
        }
        /// The header line `label: value` (“Đơn vị báo cáo: Sở Nội vụ”), when the file has one.
        func header(_ label: String) -> (folded: String, original: String)? {
            let prefix = VietnameseText.fold(label)
            for cell in rows[..<anchor].flatMap(\.cells) where VietnameseText.fold(cell).hasPrefix(prefix) {
                let value = VietnameseText.fold(cell).dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
                let original = cell.split(separator: ":", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                return value.isEmpty ? nil : (value, original)
            }
            return nil
        }
        // A file of another unit or of another period is a mistake that would overwrite real figures.
        if let unitName, let written = header("Đơn vị báo cáo:"), written.folded != VietnameseText.fold(unitName) {
            errors.append(ImportRowError(row: 0, messageVI: "Tệp là biểu của đơn vị khác (“\(written.original)”), không phải của \(unitName)."))
        }
        if let periodLabel, let written = header("Kỳ báo cáo:"), written.folded != VietnameseText.fold(periodLabel) {
            errors.append(ImportRowError(row: 0, messageVI: "Tệp là biểu của kỳ “\(written.original)”, không phải của kỳ “\(periodLabel)”: hãy tải biểu của kỳ này từ trang báo cáo."))
        }
        let labelColumn = f.columns.firstIndex { $0.source == .rowLabel }
        let byLabel = Dictionary(form.rows.enumerated().map { (VietnameseText.fold($1.label), $0) }, uniquingKeysWith: { a, _ in a })
        var values: [CellKey: CellValue] = [:]
        var seen: [Int: Int] = [:]
        var position = 0, previousLine = rows[anchor].line
        for row in rows[(anchor + 1)...] {
            // The body ends at its first empty line (the layout leaves one before the signatures);
            // the reader drops empty lines, so a gap in the line numbers is one too.
            guard row.line == previousLine + 1,
                  row.cells.prefix(f.columns.count).contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { break }
            previousLine = row.line
            defer { position += 1 }
            let r: Int
            if let labelColumn {
                let label = row.cells.indices.contains(labelColumn) ? row.cells[labelColumn].trimmingCharacters(in: .whitespaces) : ""
                // Every row of the layout carries its label; a line without one is a note below the table.
                if label.isEmpty { break }
                guard let found = byLabel[VietnameseText.fold(label)] else {
                    errors.append(ImportRowError(row: row.line, field: "(\(f.columns[labelColumn].number))", messageVI:
                        "“\(label)” không phải là một dòng của biểu (các dòng: \(form.rows.map { "“\($0.label)”" }.joined(separator: ", ")))."))
                    continue
                }
                r = found
            } else {
                guard position < form.rows.count else {
                    errors.append(ImportRowError(row: row.line, messageVI: "Biểu chỉ có \(VietnameseNumber.format(form.rows.count)) dòng số liệu; dòng này thừa."))
                    continue
                }
                r = position
            }
            if let first = seen[r] {
                errors.append(ImportRowError(row: row.line, messageVI: "Dòng “\(form.rows[r].label)” đã có ở dòng \(first) của tệp."))
                continue
            }
            seen[r] = row.line
            for (c, column) in f.columns.enumerated() where column.isEntered {
                let raw = row.cells.indices.contains(c) ? row.cells[c] : ""
                switch CellEntry.parse(raw, column: column, storedAsNumber: row.numericColumns.contains(c)) {
                case let .success(v?): values[CellKey(row: form.rows[r].code, column: column.code)] = v
                case .success(nil): continue
                case let .failure(problem):
                    errors.append(ImportRowError(row: row.line, field: "(\(column.number)) \(column.label)",
                                                 messageVI: problem.messageVI(text: raw.trimmingCharacters(in: .whitespaces), column: column)))
                }
            }
        }
        if seen.isEmpty && errors.isEmpty {
            errors.append(ImportRowError(row: rows[anchor].line + 1, messageVI: "Dưới dòng đánh số cột không có dòng số liệu nào."))
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        return values
    }
}
