import Foundation

/// One value of an import, in the shape of DHIS2's dataValueSets CSV (data element → form
/// column, category option combo → form row, period, org unit, value, comment).
public struct DataValue: Sendable, Hashable {
    public var column: String
    public var row: String
    public var period: String
    public var unit: String
    /// nil: the file clears the cell (DHIS2 deletes on an empty value).
    public var value: CellValue?
    public var comment: String?
    /// The file line, for the import summary.
    public var line: Int

    public init(column: String, row: String, period: String, unit: String, value: CellValue?, comment: String? = nil, line: Int = 0) {
        self.column = column
        self.row = row
        self.period = period
        self.unit = unit
        self.value = value
        self.comment = comment
        self.line = line
    }
}

/// What an import of one form's values is checked against: the form, the regime's reporting
/// units and its periods.
public struct DataValueImportContext: Sendable {
    public var form: CompiledForm
    public var units: Set<String>
    public var periods: Set<String>

    public init(form: CompiledForm, units: Set<String>, periods: Set<String>) {
        self.form = form
        self.units = units
        self.periods = periods
    }
}

/// Reads a data-value CSV all or nothing: either every value, or every problem with its row
/// in Vietnamese (unknown column or row, unit or period outside the regime, a negative
/// count, text in a count cell, a duplicate value, a file that is not UTF-8).
public enum DataValueImport {
    static let headers: [(key: String, names: [String], required: Bool)] = [
        ("column", ["cot", "column", "dataelement", "data element", "chi tieu", "ma cot"], true),
        ("row", ["dong", "row", "categoryoptioncombo", "ma dong"], true),
        ("period", ["ky", "ky bao cao", "period"], true),
        ("unit", ["don vi", "ma don vi", "orgunit", "unit"], true),
        ("value", ["gia tri", "value", "so lieu"], true),
        ("comment", ["ghi chu", "comment"], false),
    ]

    public static func parse(_ data: Data, context: DataValueImportContext) throws(ImportErrors) -> [DataValue] {
        let table: CSVTable
        do { table = try CSVTable.read(data) } catch {
            throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: error.messageVI)])
        }
        return try parse(table, context: context)
    }

    /// The same shape in a workbook's sheet (its first row the header), each error with the
    /// sheet's own row number.
    public static func parse(rows: [XLSXReader.Row], context: DataValueImportContext) throws(ImportErrors) -> [DataValue] {
        guard let first = rows.first else { throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: "Trang tính không có dòng nào.")]) }
        let table = CSVTable(header: first.cells.map { $0.trimmingCharacters(in: .whitespaces) },
                             records: rows.dropFirst().map { CSVTable.Record(line: $0.line, fields: $0.cells) }, headerLine: first.line)
        return try parse(table, context: context, numeric: Dictionary(rows.map { ($0.line, $0.numericColumns) }, uniquingKeysWith: { a, _ in a }))
    }

    /// `numeric`: per sheet line, the columns a workbook stored as numbers.
    static func parse(_ table: CSVTable, context: DataValueImportContext, numeric: [Int: Set<Int>] = [:]) throws(ImportErrors) -> [DataValue] {
        var index: [String: Int] = [:]
        var errors: [ImportRowError] = []
        for h in headers {
            if let i = table.column(h.names) { index[h.key] = i }
            else if h.required {
                errors.append(ImportRowError(row: table.headerLine, field: h.names[0],
                                             messageVI: "Thiếu cột “\(h.names[0])” (hoặc “\(h.names[2])” theo DHIS2) ở dòng tiêu đề."))
            }
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        let form = context.form
        var values: [DataValue] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let line = record.line
            guard record.fields.count >= table.header.count || record.fields.count > index.values.max()! else {
                errors.append(.fieldCount(row: line, has: record.fields.count, needs: table.header.count)); continue
            }
            func field(_ key: String) -> String {
                guard let i = index[key], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespaces)
            }
            let column = field("column"), row = field("row"), period = field("period"), unit = field("unit")
            let raw = field("value"), comment = field("comment")
            var ok = true
            func fail(_ f: String, _ m: String) { errors.append(ImportRowError(row: line, field: f, messageVI: m)); ok = false }
            let c = form.columnIndex[column]
            if c == nil { fail("cot", "Biểu mẫu “\(form.form.title)” không có cột “\(column)”.") }
            if form.rowIndex[row] == nil { fail("dong", "Biểu mẫu “\(form.form.title)” không có dòng “\(row)”.") }
            if !context.units.contains(unit) { fail("don_vi", "Đơn vị “\(unit)” không thuộc danh sách đơn vị báo cáo của chế độ báo cáo.") }
            if !context.periods.contains(period) { fail("ky", "Kỳ “\(period)” không phải là kỳ báo cáo của chế độ báo cáo.") }
            var value: CellValue?
            if let c {
                let col = form.form.columns[c]
                switch CellEntry.parse(raw, column: col, storedAsNumber: index["value"].map { numeric[line]?.contains($0) ?? false } ?? false) {
                case let .success(v): value = v
                case let .failure(problem):
                    fail(problem == .computed ? "cot" : "gia_tri", "Cột “\(column)” (\(col.label)): " + problem.messageVI(text: raw, column: col))
                }
            }
            let key = "\(column)\u{1F}\(row)\u{1F}\(period)\u{1F}\(unit)"
            if let first = seen[key] {
                fail("cot", "Trùng giá trị với dòng \(first) (cùng cột, dòng, kỳ và đơn vị).")
            } else { seen[key] = line }
            if ok {
                values.append(DataValue(column: column, row: row, period: period, unit: unit, value: value,
                                        comment: comment.isEmpty ? nil : comment, line: line))
            }
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        return values
    }

    /// The values of one unit and period as a submission's cells, for ``CompiledForm/grid(_:)``.
    public static func cells(_ values: [DataValue], unit: String, period: String) -> [CellKey: CellValue] {
        var out: [CellKey: CellValue] = [:]
        for v in values where v.unit == unit && v.period == period {
            if let value = v.value { out[CellKey(row: v.row, column: v.column)] = value }
        }
        return out
    }
}
