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

    /// Built once, not per row (profiling the 200.000-unit file, issue #20).
    private static let labelOf = Dictionary(uniqueKeysWithValues: columns.map { ($0.key, $0.labelVI) })

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
        errors += UnitRules.validate(draft).map { .init(row: record.line, field: labelOf[$0.field], messageVI: $0.messageVI) }
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
        var loops = LoopFinder(parentOf: parentOf)
        for r in rows {
            guard let kind = r.draft.kind else { continue }
            if let p = r.draft.parentCode {
                guard kindOf[p] != nil else {
                    errors.append(.init(row: r.line, field: "Mã cấp trên", messageVI: "Không tìm thấy đơn vị cấp trên có mã “\(p)”."))
                    continue
                }
                if loops.reachesLoop(r.draft.code) {
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

    /// Whether a unit's chain of parents runs into a loop, memoised across units so that the
    /// whole file costs one walk per unit, not one walk to the root per row (issue #20: a
    /// 20.000-deep chain took 145 s of CPU).
    struct LoopFinder {
        private enum State { case walking, loops, ends }
        let parentOf: [String: String?]
        private var state: [String: State] = [:]

        init(parentOf: [String: String?]) { self.parentOf = parentOf }

        /// True when walking up from `code` meets a unit twice (the unit is in a loop or under one).
        mutating func reachesLoop(_ code: String) -> Bool {
            var path: [String] = []
            var current: String? = code
            var verdict = State.ends
            while let c = current {
                if let known = state[c] {
                    // Meeting a unit of this very walk again closes a loop.
                    verdict = known == .walking ? .loops : known
                    break
                }
                state[c] = .walking
                path.append(c)
                current = parentOf[c] ?? nil
            }
            for c in path { state[c] = verdict }
            return verdict == .loops
        }
    }

    /// The rows in writing order: level 0 holds rows whose parent is not in the file, level
    /// n + 1 the children of level n, so each level can be written in multi-row statements
    /// after the parents it refers to. Meaningful for a valid plan only (no loops).
    public var levels: [[Row]] {
        let indexOf = Dictionary(rows.enumerated().map { ($1.draft.code, $0) }, uniquingKeysWith: { a, _ in a })
        var depth = [Int?](repeating: nil, count: rows.count)
        for start in rows.indices where depth[start] == nil {
            // Walk up to a row of known depth (or out of the file), then number the walk back down.
            var path: [Int] = []
            var i: Int? = start
            var base = -1
            while let j = i {
                if let d = depth[j] { base = d; break }
                if path.count > rows.count { break } // defensive: a loop would have been refused
                path.append(j)
                i = rows[j].draft.parentCode.flatMap { indexOf[$0] }
            }
            for (k, j) in path.reversed().enumerated() { depth[j] = base + 1 + k }
        }
        var result: [[Row]] = Array(repeating: [], count: (depth.compactMap { $0 }.max() ?? -1) + 1)
        for (i, row) in rows.enumerated() { result[depth[i]!].append(row) }
        return result
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
