import Foundation
import ParIndexCore

/// The one way a table import reads its file: the first sheet of an XLSX workbook, or CSV.
/// Row problems become the import's refusal with every row (`AppError.importFailed`).
enum ImportFile {
    static func read<T>(_ data: Data, csv: (Data) throws -> T, sheet: ([XLSXReader.Row]) throws -> T) throws -> T {
        do {
            if XLSXReader.looksLikeXLSX(data) {
                let reader = try XLSXReader(data)
                guard let first = reader.sheetNames.first else { throw XLSXReader.ReadError.missingSheet("1") }
                return try sheet(try reader.rows(of: first))
            }
            return try csv(data)
        } catch let e as ImportErrors { throw AppError.importFailed(e.rows) }
    }
}
