import Foundation

/// Validates ballots from CSV files, spreadsheet rows or the keyed screen against a
/// questionnaire, reporting every error with its row and column. Imports are all or
/// nothing: callers store the ballots only when the result ``BallotImportResult/isValid``.
public enum BallotImport {
    /// The identity of a stored ballot, for duplicate flags: its number, and on multi-unit
    /// ballots also the rated unit (one paper ballot rates many units).
    public static func key(number: String, unit: String, mode: SurveyTargetMode) -> String {
        mode == .single ? number : number + "@" + unit
    }

    /// Reads a CSV ballot file (UTF-8 with or without BOM, `,` or `;`).
    public static func parseCSV(_ data: Data, context: BallotImportContext) throws(CSVTable.ReadError) -> BallotImportResult {
        let outcome: Result<BallotImportResult, CSVTable.ReadError> = data.withUnsafeBytes { raw in
            do throws(CSVTable.ReadError) { return .success(try parseCSV(raw, context: context)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    private static func parseCSV(_ raw: UnsafeRawBufferPointer, context: BallotImportContext) throws(CSVTable.ReadError) -> BallotImportResult {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { throw .empty }
        let n = raw.count
        if let error = CSVTable.sniff(raw) { throw error }
        let start = n >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
        if let bad = UTF8Check.firstInvalidOffset(UnsafeRawBufferPointer(start: base + start, count: n - start)) {
            throw .notUTF8(byteOffset: bad + start)
        }
        var scanner = BallotCSVScanner(base: base, start: start, end: n)
        // The header is the first record that is not blank.
        var header: [String] = []
        var headerLine = 1
        while !scanner.atEnd {
            headerLine = try scanner.nextRecord()
            if !scanner.withFields({ BallotValidator.isBlank($0) }) {
                header = scanner.withFields { $0.strings() }
                break
            }
        }
        guard !header.isEmpty else { throw .empty }
        let (mapped, headerErrors) = BallotColumns.map(header: header, line: headerLine, questionnaire: context.questionnaire)
        guard let columns = mapped else {
            // A title row above the table: say where the real header is rather than list every column as unknown.
            var searched = 0
            while !scanner.atEnd && searched < CSVTable.headerSearchRows {
                let line = try scanner.nextRecord()
                if scanner.withFields({ BallotValidator.isBlank($0) }) { continue }
                searched += 1
                let row = scanner.withFields { $0.strings() }
                if BallotColumns.map(header: row, line: line, questionnaire: context.questionnaire).0 != nil {
                    return BallotImportResult(ballots: [], errors: [.headerBelowTitle(headerLine: line, firstLine: headerLine)])
                }
            }
            return BallotImportResult(ballots: [], errors: headerErrors)
        }
        // Every cell takes at least one byte and its delimiter: an upper bound on the rows.
        let expected = min((n - scanner.position) / max(2 * columns.count, 1) + 1, 50_000_000)
        var validator = BallotValidator(context: context, columns: columns, expectedRows: expected)
        while !scanner.atEnd && !validator.stopped {
            let line = try scanner.nextRecord()
            scanner.withFields { fields in
                // Stops at the first non-blank cell, so ordinary rows cost one check.
                if BallotValidator.isBlank(fields) { return }
                validator.check(fields, line: line)
            }
        }
        return validator.finish(headerLine: headerLine)
    }

    /// Validates rows already split into cells (an XLSX sheet): the first non-blank row is the
    /// header, and `firstLine` is the spreadsheet line of `rows[0]`.
    public static func parseRows(_ rows: [[String]], firstLine: Int = 1, context: BallotImportContext) -> BallotImportResult {
        parseRows(rows, line: { firstLine + $0 }, context: context)
    }

    /// Validates the rows of an XLSX sheet; errors name each row's spreadsheet line (the reader
    /// skips empty rows, so lines are not consecutive).
    public static func parseRows(_ rows: [XLSXReader.Row], context: BallotImportContext) -> BallotImportResult {
        parseRows(rows.map(\.cells), line: { rows.indices.contains($0) ? rows[$0].line : $0 + 1 }, context: context)
    }

    private static func parseRows(_ rows: [[String]], line lineOf: (Int) -> Int, context: BallotImportContext) -> BallotImportResult {
        let firstLine = lineOf(0)
        guard let headerIndex = rows.firstIndex(where: { row in row.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } })
        else {
            return BallotImportResult(ballots: [], errors: [ImportRowError(row: firstLine, messageVI: CSVTable.ReadError.empty.messageVI)])
        }
        let headerLine = lineOf(headerIndex)
        let (mapped, headerErrors) = BallotColumns.map(header: rows[headerIndex], line: headerLine, questionnaire: context.questionnaire)
        guard let columns = mapped else {
            let candidates = rows.indices.dropFirst(headerIndex + 1)
                .filter { i in rows[i].contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
                .prefix(CSVTable.headerSearchRows)
            if let real = candidates.first(where: { i in
                BallotColumns.map(header: rows[i], line: lineOf(i), questionnaire: context.questionnaire).0 != nil
            }) {
                return BallotImportResult(ballots: [], errors: [.headerBelowTitle(headerLine: lineOf(real), firstLine: headerLine)])
            }
            return BallotImportResult(ballots: [], errors: headerErrors)
        }
        var validator = BallotValidator(context: context, columns: columns, expectedRows: rows.count - headerIndex - 1)
        for index in (headerIndex + 1)..<rows.count where !validator.stopped {
            StringFields(rows[index]).withFields { fields in
                if BallotValidator.isBlank(fields) { return }
                validator.check(fields, line: lineOf(index))
            }
        }
        return validator.finish(headerLine: headerLine)
    }

    /// Validates one ballot keyed on screen; errors carry row 0 and the question code as field.
    public static func validateOne(number: String, group: String, unit: String, answers: [String: String],
                                   context: BallotImportContext) -> Result<ParsedBallot, BallotRowErrors> {
        let q = context.questionnaire
        let known = Set(q.questions.map(\.code))
        let unknown = answers.keys.filter { !known.contains($0) }.sorted().map {
            ImportRowError(row: 0, field: $0, messageVI: "Câu hỏi “\($0)” không có trong phiếu “\(q.formID)”.")
        }
        let cells = [number, group, unit] + q.questions.map { answers[$0.code] ?? "" }
        var validator = BallotValidator(context: context, columns: .canonical(q))
        StringFields(cells).withFields { validator.check($0, line: 0) }
        let errors = unknown + validator.errors
        if !errors.isEmpty { return .failure(BallotRowErrors(errors)) }
        return .success(validator.ballots[0])
    }
}
