import Foundation

/// Reads and writes questionnaires as XLSForm, the format KoboToolbox and ODK share.
///
/// Beyond the standard columns we keep what scoring needs in custom columns, which those
/// tools carry along untouched: `score` and `satisfied` on `choices`; `kind`, `source`,
/// `target_mode` and `points_formula` on `settings`.
public enum XLSForm {
    public static let surveySheet = "survey"
    public static let choicesSheet = "choices"
    public static let settingsSheet = "settings"

    /// Reads a form, listing every problem with its sheet and row, then validates the result.
    public static func read(_ sheets: XLSFormSheets) throws(XLSFormError) -> Questionnaire {
        var reader = XLSFormReader()
        let questionnaire = reader.read(sheets)
        if !reader.issues.isEmpty { throw XLSFormError(issues: reader.issues) }
        guard let q = questionnaire else { throw XLSFormError(issues: reader.issues) }
        do {
            try q.validate()
        } catch {
            // The reader checks what it can with rows; anything left concerns the form as a whole.
            throw XLSFormError(issues: error.issues.map { XLSFormIssue(sheet: surveySheet, row: 0, messageVI: $0) })
        }
        return q
    }
}

/// One sheet with its header folded for lookup (`List name`, `list_name` are one column).
struct XLSFormSheet {
    let name: String
    let header: [String]
    let rows: [[String]]

    init(name: String, cells: [[String]]) {
        self.name = name
        header = (cells.first ?? []).map { Self.normalise($0) }
        rows = Array(cells.dropFirst())
    }

    static func normalise(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
    }

    var isEmpty: Bool { header.allSatisfy(\.isEmpty) }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// `label`, or the first translated `label::Tiếng Việt (vi)` column.
    func column(prefixed name: String) -> Int? {
        header.firstIndex(of: name) ?? header.firstIndex { $0.hasPrefix(name + "::") }
    }

    func cell(_ row: [String], _ column: Int?) -> String {
        guard let c = column, c < row.count else { return "" }
        return row[c].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Data rows with their 1-based sheet row number, blank rows skipped.
    var dataRows: [(number: Int, cells: [String])] {
        rows.enumerated().compactMap { i, r in
            r.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ? nil : (i + 2, r)
        }
    }
}

struct XLSFormReader {
    var issues: [XLSFormIssue] = []

    /// Types that carry no answer to score (KoboToolbox adds `start` and `end` to every form).
    static let ignoredTypes: Set<String> = [
        "start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber",
        "audit", "note", "calculate", "hidden", "start-geopoint", "background-audio",
    ]

    private mutating func issue(_ sheet: String, _ row: Int, _ field: String?, _ message: String) {
        issues.append(XLSFormIssue(sheet: sheet, row: row, field: field, messageVI: message))
    }

    mutating func read(_ sheets: XLSFormSheets) -> Questionnaire? {
        let (lists, listRows) = readChoices(XLSFormSheet(name: XLSForm.choicesSheet, cells: sheets.choices))
        let settings = readSettings(XLSFormSheet(name: XLSForm.settingsSheet, cells: sheets.settings))
        let (sections, questions) = readSurvey(XLSFormSheet(name: XLSForm.surveySheet, cells: sheets.survey), lists: lists)
        for (name, list) in lists where !list.contains(where: { $0.score != nil }) {
            issue(XLSForm.choicesSheet, listRows[name] ?? 0, "score", "Danh sách “\(name)” không có lựa chọn nào có điểm.")
        }
        guard let s = settings, issues.isEmpty else { return nil }
        return Questionnaire(formID: s.formID, title: s.title, version: s.version, kind: s.kind, source: s.source,
                             targetMode: s.targetMode, sections: sections, questions: questions,
                             choiceLists: lists, pointsFormula: s.pointsFormula)
    }

    // MARK: choices

    private mutating func readChoices(_ sheet: XLSFormSheet) -> ([String: [SurveyChoice]], [String: Int]) {
        let s = sheet.name
        guard !sheet.isEmpty else {
            issue(s, 1, nil, "Trang “choices” trống: cần các cột list_name, name, label, score, satisfied.")
            return ([:], [:])
        }
        let listCol = sheet.column("list_name"), nameCol = sheet.column("name"), labelCol = sheet.column(prefixed: "label")
        let scoreCol = sheet.column("score"), satisfiedCol = sheet.column("satisfied")
        for (col, name) in [(listCol, "list_name"), (nameCol, "name"), (labelCol, "label"), (scoreCol, "score"),
                            (satisfiedCol, "satisfied")] where col == nil {
            issue(s, 1, name, "Thiếu cột “\(name)”.")
        }
        guard listCol != nil, nameCol != nil, labelCol != nil else { return ([:], [:]) }
        var lists: [String: [SurveyChoice]] = [:]
        var firstRows: [String: Int] = [:]
        for (row, cells) in sheet.dataRows {
            let list = sheet.cell(cells, listCol), code = sheet.cell(cells, nameCol), label = sheet.cell(cells, labelCol)
            if Questionnaire.reservedFieldNames.contains(list) { continue }
            var ok = true
            if list.isEmpty { issue(s, row, "list_name", "Thiếu tên danh sách lựa chọn."); ok = false }
            if code.isEmpty {
                issue(s, row, "name", "Thiếu mã lựa chọn."); ok = false
            } else if !Questionnaire.isValidChoiceCode(code) {
                issue(s, row, "name", "Mã lựa chọn “\(code)” không hợp lệ (không được chứa khoảng trắng, dấu phẩy, chấm phẩy hoặc ngoặc kép)."); ok = false
            }
            if label.isEmpty { issue(s, row, "label", "Thiếu nhãn của lựa chọn."); ok = false }
            var score: Double? = nil
            let scoreText = sheet.cell(cells, scoreCol)
            if !scoreText.isEmpty {
                if let v = try? VietnameseNumber.parse(scoreText) { score = v } else {
                    issue(s, row, "score", "Điểm “\(scoreText)” không phải là số (ví dụ: 4 hoặc 4,5; để trống nếu là “không ý kiến”)."); ok = false
                }
            }
            let satisfiedText = sheet.cell(cells, satisfiedCol)
            let satisfied = Self.parseBool(satisfiedText)
            if satisfied == nil {
                issue(s, row, "satisfied", "Giá trị “\(satisfiedText)” không hợp lệ; dùng yes/no (có/không, 1/0)."); ok = false
            }
            if !list.isEmpty, !code.isEmpty, lists[list]?.contains(where: { $0.code == code }) == true {
                issue(s, row, "name", "Mã lựa chọn “\(code)” bị trùng trong danh sách “\(list)”."); ok = false
            }
            guard ok else { continue }
            if firstRows[list] == nil { firstRows[list] = row }
            lists[list, default: []].append(SurveyChoice(code: code, label: label, score: score, satisfied: satisfied ?? false))
        }
        return (lists, firstRows)
    }

    /// yes/no in the spellings XLSForm tools and Vietnamese users write; empty is no.
    static func parseBool(_ text: String) -> Bool? {
        switch VietnameseText.fold(text) {
        case "", "no", "false", "false()", "0", "khong", "k", "n": false
        case "yes", "true", "true()", "1", "co", "x", "y": true
        default: nil
        }
    }

    // MARK: settings

    struct Settings {
        var formID, title, version, source, pointsFormula: String
        var kind: SurveyKind
        var targetMode: SurveyTargetMode
    }

    private mutating func readSettings(_ sheet: XLSFormSheet) -> Settings? {
        let s = sheet.name
        guard !sheet.isEmpty, let (row, cells) = sheet.dataRows.first else {
            issue(s, sheet.isEmpty ? 1 : 2, nil, "Trang “settings” cần dòng tiêu đề và một dòng thông tin phiếu (form_id, form_title, version, kind…).")
            return nil
        }
        func value(_ name: String) -> String { sheet.cell(cells, sheet.column(name)) }
        var ok = true
        let formID = value("form_id")
        if formID.isEmpty { issue(s, row, "form_id", "Thiếu mã phiếu (form_id)."); ok = false }
        let kindText = value("kind")
        let kind = SurveyKind(rawValue: kindText.lowercased())
        if kind == nil {
            issue(s, row, "kind", kindText.isEmpty ? "Thiếu loại khảo sát (kind): sipas hoặc organisational."
                  : "Loại khảo sát “\(kindText)” không hợp lệ; dùng sipas hoặc organisational.")
            ok = false
        }
        let modeText = value("target_mode")
        var mode: SurveyTargetMode? = modeText.isEmpty ? (kind == .organisational ? .multiple : .single)
            : SurveyTargetMode(rawValue: modeText.lowercased())
        if mode == nil {
            issue(s, row, "target_mode", "Cách chọn đơn vị “\(modeText)” không hợp lệ; dùng single (một đơn vị mỗi phiếu) hoặc multiple (nhiều đơn vị)."); ok = false
            mode = .single
        }
        var formula = value("points_formula")
        if formula.isEmpty { formula = (kind ?? .sipas).defaultPointsFormula }
        do { _ = try Formula(formula, inputs: SurveyScoring.formulaInputs) } catch {
            issue(s, row, "points_formula", "Công thức “\(formula)”: \(error.messageVI)"); ok = false
        }
        guard ok, let kind, let mode else { return nil }
        let title = value("form_title"), source = value("source")
        return Settings(formID: formID, title: title.isEmpty ? formID : title, version: value("version"),
                        source: source.isEmpty ? (kind == .sipas ? "sipas" : "organisation_survey") : source,
                        pointsFormula: formula, kind: kind, targetMode: mode)
    }

    // MARK: survey

    private mutating func readSurvey(_ sheet: XLSFormSheet, lists: [String: [SurveyChoice]]) -> ([SurveySection], [SurveyQuestion]) {
        let s = sheet.name
        guard !sheet.isEmpty else {
            issue(s, 1, nil, "Trang “survey” trống: cần các cột type, name, label.")
            return ([], [])
        }
        let typeCol = sheet.column("type"), nameCol = sheet.column("name"), labelCol = sheet.column(prefixed: "label")
        let requiredCol = sheet.column("required")
        for (col, name) in [(typeCol, "type"), (nameCol, "name"), (labelCol, "label")] where col == nil {
            issue(s, 1, name, "Thiếu cột “\(name)”.")
        }
        guard typeCol != nil, nameCol != nil, labelCol != nil else { return ([], []) }
        var sections: [SurveySection] = []
        var questions: [SurveyQuestion] = []
        var questionRows: [String: Int] = [:]
        var openGroup: (code: String, row: Int)? = nil
        for (row, cells) in sheet.dataRows {
            let type = sheet.cell(cells, typeCol).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let name = sheet.cell(cells, nameCol), label = sheet.cell(cells, labelCol)
            switch type {
            case "begin_group", "begin group":
                if let open = openGroup {
                    issue(s, row, "type", "Nhóm câu hỏi lồng trong nhóm “\(open.code)” (dòng \(open.row)) không được hỗ trợ; mỗi phần là một nhóm.")
                    continue
                }
                if name.isEmpty { issue(s, row, "name", "Thiếu mã phần (name) của nhóm câu hỏi."); continue }
                if !Questionnaire.isValidName(name) {
                    issue(s, row, "name", "Mã phần “\(name)” không hợp lệ (chỉ dùng chữ không dấu, số, “_”, “-”, “.”)."); continue
                }
                openGroup = (name, row)
                // A section split in two groups stays one section.
                if !sections.contains(where: { $0.code == name }) {
                    sections.append(SurveySection(code: name, label: label.isEmpty ? name : label))
                }
            case "end_group", "end group":
                if openGroup == nil { issue(s, row, "type", "“end_group” không có “begin_group” tương ứng.") }
                openGroup = nil
            case _ where Questionnaire.reservedFieldNames.contains(name):
                continue
            case _ where Self.ignoredTypes.contains(type):
                continue
            case _ where type.hasPrefix("select_one ") || type == "select_one":
                let parts = type.split(separator: " ")
                guard parts.count == 2 else {
                    issue(s, row, "type", parts.count == 1 ? "Thiếu tên danh sách lựa chọn sau “select_one”."
                          : "Kiểu “\(type)” không được hỗ trợ; dùng “select_one tên_danh_sách”.")
                    continue
                }
                // The list name keeps its case as written.
                let listName = String(sheet.cell(cells, typeCol).split(whereSeparator: \.isWhitespace)[1])
                var ok = true
                if lists[listName] == nil {
                    issue(s, row, "type", "Danh sách lựa chọn “\(listName)” không có trong trang “choices”."); ok = false
                }
                if name.isEmpty {
                    issue(s, row, "name", "Thiếu mã câu hỏi (name)."); ok = false
                } else if !Questionnaire.isValidName(name) {
                    issue(s, row, "name", "Mã câu hỏi “\(name)” không hợp lệ (chỉ dùng chữ không dấu, số, “_”, “-”, “.”, bắt đầu bằng chữ)."); ok = false
                } else if let first = questionRows[name] {
                    issue(s, row, "name", "Mã câu hỏi “\(name)” trùng với dòng \(first)."); ok = false
                }
                if label.isEmpty { issue(s, row, "label", "Thiếu nội dung câu hỏi (label)."); ok = false }
                let requiredText = sheet.cell(cells, requiredCol)
                let required = Self.parseBool(requiredText)
                if required == nil {
                    issue(s, row, "required", "Giá trị “\(requiredText)” không hợp lệ; dùng yes hoặc để trống."); ok = false
                }
                guard ok else { continue }
                questionRows[name] = row
                questions.append(SurveyQuestion(code: name, label: label, section: openGroup?.code,
                                                choiceList: listName, required: required ?? false))
            case "":
                issue(s, row, "type", "Thiếu kiểu (type) của dòng.")
            default:
                issue(s, row, "type", "Kiểu “\(type)” không được hỗ trợ: câu hỏi phải là “select_one” (trừ các trường so_phieu, nhom, don_vi).")
            }
        }
        if let open = openGroup { issue(s, open.row, "type", "Nhóm “\(open.code)” mở nhưng không có “end_group”.") }
        if questions.isEmpty && issues.allSatisfy({ $0.sheet != s }) {
            issue(s, 0, nil, "Phiếu không có câu hỏi “select_one” nào.")
        }
        return (sections, questions)
    }
}
