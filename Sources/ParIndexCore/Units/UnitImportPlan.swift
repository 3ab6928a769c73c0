/// Turns a units CSV into a validated plan: every row's errors are collected (never only
/// the first), and the plan exists only when there are none, so the server can commit all
/// rows or nothing.
///
/// Columns (Vietnamese or English headers): `ma` / code, `ten` / name, `ten_viet_tat` /
/// short_name, `loai` / kind, `ma_cap_tren` / parent_code, `hoat_dong` / active.
/// A code that already exists updates that unit; a new code creates one.
public struct UnitImportPlan: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var draft: UnitRules.Draft
        public var isNew: Bool
    }

    /// What the planner needs to know of a unit already stored.
    public struct ExistingUnit: Sendable, Equatable {
        public var code: String
        public var kind: UnitKind
        public var parentCode: String?
        public init(code: String, kind: UnitKind, parentCode: String?) {
            self.code = code
            self.kind = kind
            self.parentCode = parentCode
        }
    }

    public var rows: [Row]

    public static let columns: [(key: String, names: [String], labelVI: String, required: Bool)] = [
        ("code", ["code", "ma", "ma don vi"], "Mã", true),
        ("name", ["name", "ten", "ten don vi"], "Tên", true),
        ("shortName", ["short name", "ten viet tat", "ten ngan"], "Tên viết tắt", false),
        ("kind", ["kind", "loai", "loai don vi"], "Loại", true),
        ("parentCode", ["parent code", "parent", "ma cap tren", "ma don vi cap tren"], "Mã cấp trên", false),
        ("active", ["active", "hoat dong", "dang hoat dong"], "Hoạt động", false),
    ]

    public static func plan(_ table: CSVTable, existing: [ExistingUnit]) -> Result<UnitImportPlan, ImportErrors> {
        var errors: [ImportRowError] = []
        var index: [String: Int] = [:]
        for c in columns {
            if let i = table.column(c.names) { index[c.key] = i }
            else if c.required {
                errors.append(.init(row: 1, field: c.labelVI, messageVI: "Thiếu cột bắt buộc “\(c.labelVI)”."))
            }
        }
        if !errors.isEmpty {
            // A title row above the table: name the line of the real header instead of every column.
            let required = columns.filter { $0.required }
            if let real = table.records.prefix(CSVTable.headerSearchRows).first(where: { r in
                required.allSatisfy { CSVTable.column($0.names, in: r.fields) != nil }
            }) {
                return .failure(ImportErrors(rows: [.headerBelowTitle(headerLine: real.line, firstLine: table.headerLine)]))
            }
            return .failure(ImportErrors(rows: errors))
        }
        if table.records.isEmpty { return .failure(ImportErrors(rows: [.init(row: 2, messageVI: "Tệp không có dòng dữ liệu nào.")])) }

        let stored = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [Row] = []
        var firstLineOfCode: [String: Int] = [:]
        // Trailing untitled columns (a stray delimiter after the last header) are not required.
        let width = (table.header.lastIndex { !$0.isEmpty } ?? -1) + 1
        for record in table.records {
            if record.fields.count < width {
                errors.append(.fieldCount(row: record.line, has: record.fields.count, needs: width))
                continue
            }
            if record.fields.count > table.header.count,
               record.fields[table.header.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                errors.append(.fieldCount(row: record.line, has: record.fields.count, needs: table.header.count))
                continue
            }
            let (row, rowErrors) = readRow(record, index: index, stored: stored)
            errors += rowErrors
            if let first = firstLineOfCode[row.draft.code], !row.draft.code.isEmpty {
                errors.append(.init(row: record.line, field: "Mã",
                                    messageVI: "Mã “\(row.draft.code)” trùng với dòng \(first)."))
                continue
            }
            firstLineOfCode[row.draft.code] = record.line
            rows.append(row)
        }
        errors += relationErrors(rows, stored: stored)
        if !errors.isEmpty { return .failure(ImportErrors(rows: errors.sorted { $0.row < $1.row })) }
        return .success(UnitImportPlan(rows: rows))
    }

    private static func readRow(_ record: CSVTable.Record, index: [String: Int],
                                stored: [String: ExistingUnit]) -> (Row, [ImportRowError]) {
        func value(_ key: String) -> String {
            guard let i = index[key], i < record.fields.count else { return "" }
            return record.fields[i].trimmingCharacters(in: .whitespaces)
        }
        var errors: [ImportRowError] = []
        let activeText = VietnameseText.fold(value("active"))
        let active: Bool
        switch activeText {
        case "", "1", "co", "x", "true", "yes", "hoat dong": active = true
        case "0", "khong", "false", "no", "ngung": active = false
        default:
            active = true
            errors.append(.init(row: record.line, field: "Hoạt động", messageVI: "Giá trị “\(value("active"))” không hợp lệ (Có/Không)."))
        }
        let kindText = value("kind")
        let draft = UnitRules.Draft(code: value("code"), name: value("name"), shortName: value("shortName"),
                                    kind: UnitKind(loose: kindText), kindText: kindText,
                                    parentCode: value("parentCode"), active: active)
        let labels = Dictionary(uniqueKeysWithValues: columns.map { ($0.key, $0.labelVI) })
        errors += UnitRules.validate(draft).map { .init(row: record.line, field: labels[$0.field], messageVI: $0.messageVI) }
        return (Row(line: record.line, draft: draft, isNew: stored[draft.code] == nil), errors)
    }

    /// Parent existence, parent kind and cycles, over the file merged onto what is stored.
    private static func relationErrors(_ rows: [Row], stored: [String: ExistingUnit]) -> [ImportRowError] {
        var kindOf = stored.mapValues(\.kind)
        var parentOf = stored.mapValues(\.parentCode)
        for r in rows {
            if let k = r.draft.kind { kindOf[r.draft.code] = k }
            parentOf[r.draft.code] = r.draft.parentCode
        }
        var errors: [ImportRowError] = []
        for r in rows {
            guard let kind = r.draft.kind else { continue }
            if let p = r.draft.parentCode {
                guard kindOf[p] != nil else {
                    errors.append(.init(row: r.line, field: "Mã cấp trên", messageVI: "Không tìm thấy đơn vị cấp trên có mã “\(p)”."))
                    continue
                }
                if hasCycle(from: r.draft.code, parentOf: parentOf) {
                    errors.append(.init(row: r.line, field: "Mã cấp trên", messageVI: "Quan hệ cấp trên tạo thành vòng lặp (đơn vị “\(r.draft.code)” nằm dưới chính nó)."))
                    continue
                }
            }
            if let e = UnitRules.validateParent(kind: kind, parentKind: r.draft.parentCode.flatMap { kindOf[$0] }) {
                errors.append(.init(row: r.line, field: "Mã cấp trên", messageVI: e.messageVI))
            }
        }
        return errors
    }

    static func hasCycle(from code: String, parentOf: [String: String?]) -> Bool {
        var seen: Set<String> = [code]
        var current = parentOf[code] ?? nil
        while let c = current {
            if !seen.insert(c).inserted { return true }
            current = parentOf[c] ?? nil
        }
        return false
    }
}

/// All the errors of one import, refused as a whole.
public struct ImportErrors: DomainError, Equatable {
    public var rows: [ImportRowError]
    public init(rows: [ImportRowError]) { self.rows = rows }
    public var code: String { "import.invalid_rows" }
    public var messageVI: String {
        "Tệp có \(VietnameseNumber.format(rows.count)) lỗi; không dòng nào được nhập. Vui lòng sửa và nhập lại."
    }

    /// Errors shown to a user: a wrong file (another questionnaire's ballots, a shifted column)
    /// can have tens of thousands, and a page or a problem document listing them all helps no one.
    public static let listLimit = 200

    /// The first ``listLimit`` errors, then one line saying how many more there are; the
    /// total stays in ``messageVI`` and ``rows``.
    public var listed: [ImportRowError] {
        guard rows.count > Self.listLimit else { return rows }
        return Array(rows.prefix(Self.listLimit))
            + [ImportRowError(row: 0, messageVI: "… và \(VietnameseNumber.format(rows.count - Self.listLimit)) lỗi khác.")]
    }
}
