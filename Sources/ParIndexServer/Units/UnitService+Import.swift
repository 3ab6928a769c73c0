import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Vapor

extension UnitService {
    /// Imports a units CSV: validates every row first (all errors reported, with their line),
    /// then writes all rows in one transaction, parents before children. A dry run stops
    /// after validation. Either every row is written or none is.
    func importCSV(_ data: Data, dryRun: Bool, reason: String? = nil) async throws -> ImportSummary {
        let reason = try Self.checked(reason)
        let table: CSVTable
        do { table = try CSVTable.read(data) } catch {
            throw AppError.importFailed([ImportRowError(row: lineOf(error), messageVI: error.messageVI)])
        }
        let stored = try await UnitModel.query(on: db).all()
        let codeOf = Dictionary(uniqueKeysWithValues: stored.map { ($0.id!, $0.code) })
        let existing = stored.map { UnitImportPlan.ExistingUnit(code: $0.code, kind: $0.unitKind,
                                                                parentCode: $0.$parent.id.flatMap { codeOf[$0] }) }
        let plan: UnitImportPlan
        switch UnitImportPlan.plan(table, existing: existing) {
        case let .success(p): plan = p
        case let .failure(e): throw AppError.importFailed(e.rows)
        }
        let summary = ImportSummary(dryRun: dryRun, created: plan.rows.filter(\.isNew).count,
                                    updated: plan.rows.filter { !$0.isNew }.count, rows: plan.rows.count)
        if dryRun { return summary }
        let context = context
        try await db.writeTransaction { db in
            try await UnitService(context: context.on(db)).commit(plan, stored: stored, reason: reason)
        }
        return summary
    }

    /// Rows written per statement: a few hundred keeps each statement well under SQLite's and
    /// PostgreSQL's bind-parameter limits (11 columns × 400 = 4.400).
    static let batchSize = 400

    /// Writes a valid plan level by level (parents before children), each level as multi-row
    /// upserts (new units inserted, stored ones changed), then the audit lines in batches — all in
    /// the caller's transaction. Issue #20: one statement per unit and per audit line made a
    /// 200.000-unit import hold the write lock for 569 s. SQLKit rather than Fluent's batch
    /// `create`: Fluent reflects over every model's properties, which profiling showed to be most
    /// of the remaining CPU time.
    private func commit(_ plan: UnitImportPlan, stored: [UnitModel], reason: String?) async throws {
        let sql = db as! any SQLDatabase // both supported engines (SQLite, PostgreSQL) are SQL databases
        let codeOf = Dictionary(uniqueKeysWithValues: stored.map { ($0.id!, $0.code) })
        var idOf = Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0.id!) })
        let byCode = Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0) })
        // Every new unit gets its id up front, so a child's parent id is known before the parent is written.
        for row in plan.rows where row.isNew { idOf[row.draft.code] = UUID() }
        let now = context.clock.now()
        var lines: [Audit.Line] = []
        lines.reserveCapacity(plan.rows.count)
        for level in plan.levels {
            var written: [UnitModel] = []
            written.reserveCapacity(level.count)
            for row in level {
                let unit = byCode[row.draft.code] ?? UnitModel()
                let before = row.isNew ? nil : UnitDTO(unit, parentCode: unit.$parent.id.flatMap { codeOf[$0] })
                unit.apply(row.draft, parentID: row.draft.parentCode.flatMap { idOf[$0] })
                if row.isNew {
                    unit.id = idOf[row.draft.code]
                    unit.createdAt = now
                }
                unit.updatedAt = now
                written.append(unit)
                lines.append(.init(action: row.isNew ? "unit.import.create" : "unit.import.update", entityID: unit.code,
                                   unitID: unit.id, before: before, after: UnitDTO(unit, parentCode: row.draft.parentCode),
                                   reason: reason ?? "Nhập từ tệp CSV (dòng \(row.line))"))
            }
            for chunk in written.chunked(Self.batchSize) { try await Self.upsert(chunk, on: sql) }
        }
        try await Audit.record(on: sql, actor: context.actor, entity: "unit", lines: lines, requestID: context.requestID, at: now)
    }

    /// Writes units in one statement: `INSERT … ON CONFLICT (id) DO UPDATE` (SQLite ≥ 3.24 and
    /// PostgreSQL) inserts new ids and sets the new values of stored ones; `created_at` stays.
    private static func upsert(_ units: ArraySlice<UnitModel>, on sql: any SQLDatabase) async throws {
        let columns = ["id", "code", "name", "short_name", "kind", "parent_id", "active", "search_text", "sort_key",
                       "created_at", "updated_at"]
        var insert = sql.insert(into: UnitModel.schema).columns(columns)
        for u in units {
            insert = insert.values([u.id!, u.code, u.name, u.shortName, u.kind, u.$parent.id, u.active, u.searchText,
                                    u.sortKey, u.createdAt ?? u.updatedAt, u.updatedAt] as [any Encodable & Sendable])
        }
        try await insert.onConflict(with: ["id"]) { conflict in
            var c = conflict
            for column in columns where column != "id" && column != "created_at" { c = c.set(excludedValueOf: column) }
            return c
        }.run()
    }

    private func lineOf(_ error: CSVTable.ReadError) -> Int {
        if case let .unterminatedQuote(line) = error { return line }
        return 1
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
