import Foundation
import ParIndexCore

/// A period's stored values of one form in the shape of DHIS2's dataValueSets CSV
/// (dataelement = form column, period, orgunit = unit code, categoryoptioncombo = form row,
/// value, comment), one row per stored value, UTF-8 with a BOM like every CSV export. The
/// import (`POST /api/v1/report-periods/{id}/import/{form}`) reads it back unchanged: the
/// header names are DHIS2's, which the import accepts, and numbers are written in Vietnamese
/// notation (`2.363`, `82,4`), which it parses.
enum DataValueExport {
    static let header = ["dataelement", "period", "orgunit", "categoryoptioncombo", "value", "comment"]

    struct Submission: Sendable {
        var unitCode: String
        /// `{"row/column": value}` as stored (numbers in plain notation).
        var values: [String: String]
    }

    /// Units in code order; in each, the form's rows then columns in their printed order.
    static func csv(form: CompiledForm, period: String, submissions: [Submission]) -> Data {
        var rows: [[CSVWriter.Cell]] = []
        for s in submissions.sorted(by: { $0.unitCode < $1.unitCode }) {
            for row in form.rows {
                for col in form.form.columns where col.isEntered {
                    guard let raw = s.values["\(row.code)/\(col.code)"], !raw.isEmpty else { continue }
                    let value: CSVWriter.Cell = col.type == .text ? .text(raw) : Double(raw).map { .number($0) } ?? .text(raw)
                    rows.append([.text(col.code), .text(period), .text(s.unitCode), .text(row.code), value, .empty])
                }
            }
        }
        return CSVWriter.data(header: header, rows: rows)
    }
}
