import Foundation

/// A survey criterion's result for one unit as an official source publishes it (issue #12
/// item 2): the Ministry of Home Affairs' SIPAS and PAR survey results, or a survey
/// contractor's per-unit indices. A province receives these as figures, not ballots.
public struct OfficialSurveyResult: Sendable, Hashable {
    public var unitCode: String
    public var leafCode: String
    /// The criterion's points: given, or `max × index / 100`.
    public var points: Double
    /// The index (0–100 %) when the source gives an index rather than points.
    public var indexPercent: Double?
    public var documentNumber: String
    public var documentDate: CalendarDay
    /// The file line, for messages.
    public var line: Int

    public init(unitCode: String, leafCode: String, points: Double, indexPercent: Double? = nil,
                documentNumber: String, documentDate: CalendarDay, line: Int = 0) {
        self.unitCode = unitCode
        self.leafCode = leafCode
        self.points = points
        self.indexPercent = indexPercent
        self.documentNumber = documentNumber
        self.documentDate = documentDate
        self.line = line
    }

    /// "theo kết quả điều tra XHH của văn bản số 123/BNV-CCHC ngày 15/03/2024".
    public var sourceVI: String { Self.sourceVI(documentNumber: documentNumber, date: documentDate.description) }

    /// The one wording of where official survey points come from (score sheets, the survey page).
    public static func sourceVI(documentNumber: String, date: String) -> String {
        "theo kết quả điều tra xã hội học chính thức (văn bản số \(documentNumber) ngày \(date))"
    }
}

/// What an import of official survey results is checked against.
public struct OfficialSurveyContext: Sendable {
    /// Survey criteria of the campaign's framework, code → max points.
    public var surveyLeaves: [String: Double]
    /// Every criterion code of the framework (to tell "not a survey criterion" from "unknown").
    public var allLeaves: Set<String>
    public var unitCodes: Set<String>
    /// Criteria whose points already come from ballots: official results for them would be a second source.
    public var ballotLeaves: Set<String>

    public init(surveyLeaves: [String: Double], allLeaves: Set<String>, unitCodes: Set<String>, ballotLeaves: Set<String> = []) {
        self.surveyLeaves = surveyLeaves
        self.allLeaves = allLeaves
        self.unitCodes = unitCodes
        self.ballotLeaves = ballotLeaves
    }
}

/// Reads official survey results from CSV (or a workbook's first sheet): unit code, survey
/// criterion, points or index, source document number and date — all or nothing, every
/// problem with its row in Vietnamese.
public enum OfficialSurveyImport {
    static let headers: [(key: String, names: [String], required: Bool)] = [
        ("unit", ["ma don vi", "don vi", "unit", "unit code"], true),
        ("leaf", ["tieu chi", "ma tieu chi", "criterion"], true),
        ("points", ["diem", "so diem", "points"], false),
        ("index", ["chi so", "chi so %", "ty le", "index"], false),
        ("document", ["so van ban", "van ban", "document", "document number"], true),
        ("date", ["ngay van ban", "ngay", "document date", "date"], true),
    ]

    public static func parse(_ data: Data, context: OfficialSurveyContext) throws(ImportErrors) -> [OfficialSurveyResult] {
        let table: CSVTable
        do { table = try CSVTable.read(data) } catch {
            throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: error.messageVI)])
        }
        return try parse(table, context: context)
    }

    public static func parse(rows: [XLSXReader.Row], context: OfficialSurveyContext) throws(ImportErrors) -> [OfficialSurveyResult] {
        guard let first = rows.first else { throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: "Trang tính không có dòng nào.")]) }
        // Numbers stored as numbers carry a decimal point; the table reads text the Vietnamese way.
        let records = rows.dropFirst().map { r in
            CSVTable.Record(line: r.line, fields: r.cells.enumerated().map { i, c in
                r.numericColumns.contains(i) ? c.replacingOccurrences(of: ".", with: ",") : c
            })
        }
        let table = CSVTable(header: first.cells.map { $0.trimmingCharacters(in: .whitespaces) }, records: records, headerLine: first.line)
        return try parse(table, context: context)
    }

    static func parse(_ table: CSVTable, context: OfficialSurveyContext) throws(ImportErrors) -> [OfficialSurveyResult] {
        var index: [String: Int] = [:]
        var errors: [ImportRowError] = []
        for h in headers {
            if let i = table.column(h.names) { index[h.key] = i }
            else if h.required {
                errors.append(ImportRowError(row: table.headerLine, field: h.names[0], messageVI: "Thiếu cột “\(h.names[0])” ở dòng tiêu đề."))
            }
        }
        if index["points"] == nil && index["index"] == nil {
            errors.append(ImportRowError(row: table.headerLine, field: "diem", messageVI: "Cần cột “diem” (số điểm) hoặc cột “chi so” (chỉ số %, quy ra điểm theo điểm tối đa)."))
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        var out: [OfficialSurveyResult] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let line = record.line
            func field(_ key: String) -> String {
                guard let i = index[key], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespaces)
            }
            let unit = field("unit"), leaf = field("leaf"), pointsText = field("points"), indexText = field("index")
            let document = field("document"), dateText = field("date")
            if [unit, leaf, pointsText, indexText, document, dateText].allSatisfy(\.isEmpty) { continue }
            var ok = true
            func fail(_ f: String, _ m: String) { errors.append(ImportRowError(row: line, field: f, messageVI: m)); ok = false }
            if !context.unitCodes.contains(unit) { fail("ma_don_vi", "Đơn vị “\(unit)” không thuộc đợt đánh giá.") }
            let max = context.surveyLeaves[leaf]
            if max == nil {
                fail("tieu_chi", context.allLeaves.contains(leaf)
                     ? "Tiêu chí \(leaf) không phải tiêu chí điều tra xã hội học: điểm của nó do đơn vị tự chấm và được thẩm định."
                     : "Bộ chỉ số không có tiêu chí “\(leaf)”.")
            } else if context.ballotLeaves.contains(leaf) {
                fail("tieu_chi", "Tiêu chí \(leaf) đã lấy điểm từ phiếu điều tra của đợt (lô phiếu đã khóa): một tiêu chí chỉ lấy điểm từ một nguồn.")
            }
            var points: Double?, percent: Double?
            switch (pointsText.isEmpty, indexText.isEmpty) {
            case (true, true): fail("diem", "Cần số điểm hoặc chỉ số (%).")
            case (false, false): fail("diem", "Chỉ ghi số điểm hoặc chỉ số (%), không ghi cả hai.")
            case (false, true):
                if let v = try? VietnameseNumber.parse(pointsText), v.isFinite {
                    if v < 0 { fail("diem", "Số điểm không được âm (có \(pointsText)).") }
                    else if let max, v > max + 1e-9 {
                        fail("diem", "Số điểm \(pointsText) vượt điểm tối đa \(VietnameseNumber.format(max)) của tiêu chí \(leaf).")
                    } else { points = v }
                } else { fail("diem", "“\(pointsText)” không phải là số.") }
            case (true, false):
                let cleaned = indexText.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
                if let v = try? VietnameseNumber.parse(cleaned), v.isFinite {
                    if v < 0 || v > 100 { fail("chi_so", "Chỉ số phải từ 0 đến 100 % (có \(indexText)).") }
                    else { percent = v; points = max.map { $0 * v / 100 } }
                } else { fail("chi_so", "“\(indexText)” không phải là số.") }
            }
            if document.isEmpty || document.count > 100 { fail("so_van_ban", "Cần số văn bản công bố kết quả (tối đa 100 ký tự), ví dụ 123/BNV-CCHC.") }
            var date: CalendarDay?
            do { date = try CalendarDay(parsing: dateText) } catch { fail("ngay_van_ban", "Ngày văn bản “\(dateText)” không hợp lệ (dd/mm/yyyy).") }
            let key = "\(unit)\u{1F}\(leaf)"
            if let first = seen[key] { fail("tieu_chi", "Trùng với dòng \(first) (cùng đơn vị và tiêu chí).") } else { seen[key] = line }
            if ok, let points, let date {
                out.append(OfficialSurveyResult(unitCode: unit, leafCode: leaf, points: points, indexPercent: percent,
                                                documentNumber: document, documentDate: date, line: line))
            }
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        if out.isEmpty { throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: "Tệp không có dòng kết quả nào.")]) }
        return out
    }
}
