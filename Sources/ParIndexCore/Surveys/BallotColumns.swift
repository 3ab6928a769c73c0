import Foundation

/// Where the ballot number, the group, the unit and each question sit in a ballot file,
/// and what the file calls each column (errors name the column as the user wrote it).
struct BallotColumns: Sendable {
    var number: Int
    var group: Int
    var unit: Int
    /// File column of each question, in questionnaire order.
    var questions: [Int]
    var names: [String]

    var count: Int { names.count }

    static let numberAliases: Set<String> = Set(["so_phieu", "Số phiếu", "ballot_no", "ballot"].map(CSVTable.headerKey))
    static let groupAliases: Set<String> = Set(["nhom", "Nhóm", "group", "Nhóm người trả lời"].map(CSVTable.headerKey))
    static let unitAliases: Set<String> = Set(["don_vi", "Đơn vị", "Mã đơn vị", "unit"].map(CSVTable.headerKey))

    /// The layout of the keyed screen and of ``BallotImport/validateOne``: reserved fields, then questions.
    static func canonical(_ q: Questionnaire) -> BallotColumns {
        BallotColumns(number: 0, group: 1, unit: 2, questions: Array(3..<(3 + q.questions.count)),
                      names: ["so_phieu", "nhom", "don_vi"] + q.questions.map(\.code))
    }

    /// Maps a header row. Every missing, unknown or repeated column is reported at the header's line.
    static func map(header rawHeader: [String], line: Int, questionnaire q: Questionnaire) -> (BallotColumns?, [ImportRowError]) {
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [ImportRowError] = []
        var exact: [String: Int] = [:]
        var folded: [String: Int] = [:]
        for (i, question) in q.questions.enumerated() {
            exact[question.code] = i
            let key = CSVTable.headerKey(question.code)
            if folded[key] == nil { folded[key] = i }
        }
        // Roles: -1 ballot number, -2 group, -3 unit, i ≥ 0 question i.
        var firstColumn: [Int: Int] = [:]
        var roles: [Int?] = []
        for (column, name) in header.enumerated() {
            let key = CSVTable.headerKey(name)
            let role: Int? = if let i = exact[name] { i }
                else if numberAliases.contains(key) { -1 }
                else if groupAliases.contains(key) { -2 }
                else if unitAliases.contains(key) { -3 }
                else { folded[key] }
            roles.append(role)
            guard let role else {
                errors.append(ImportRowError(row: line, field: name.isEmpty ? nil : name, messageVI: name.isEmpty
                    ? "Cột thứ \(column + 1) không có tiêu đề."
                    : "Cột “\(name)” không có trong phiếu “\(q.formID)” (cần so_phieu, nhom, don_vi và mã các câu hỏi)."))
                continue
            }
            if let first = firstColumn[role] {
                errors.append(ImportRowError(row: line, field: name,
                                             messageVI: "Cột “\(name)” bị lặp (trùng với cột thứ \(first + 1) “\(header[first])”)."))
            } else {
                firstColumn[role] = column
            }
        }
        for (role, name) in [(-1, "so_phieu"), (-2, "nhom"), (-3, "don_vi")] where firstColumn[role] == nil {
            errors.append(ImportRowError(row: line, field: name, messageVI: "Thiếu cột “\(name)”."))
        }
        for (i, question) in q.questions.enumerated() where firstColumn[i] == nil {
            errors.append(ImportRowError(row: line, field: question.code,
                                         messageVI: "Thiếu cột của câu hỏi “\(question.code)” (\(question.label))."))
        }
        guard errors.isEmpty else { return (nil, errors) }
        return (BallotColumns(number: firstColumn[-1]!, group: firstColumn[-2]!, unit: firstColumn[-3]!,
                              questions: q.questions.indices.map { firstColumn[$0]! }, names: header), [])
    }
}
