import Fluent
import Foundation
import ParIndexCore
import Vapor

extension UnitService {
    /// Imports a units CSV: validates every row first (all errors reported, with their line),
    /// then writes all rows in one transaction, parents before children. A dry run stops
    /// after validation. Either every row is written or none is.
    func importCSV(_ data: Data, dryRun: Bool, reason: String? = nil) async throws -> ImportSummary {
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
        try await db.writeTransaction { db in
            var idOf = Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0.id!) })
            var byCode = Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0) })
            for row in Self.parentsFirst(plan.rows) {
                let unit = byCode[row.draft.code] ?? UnitModel()
                let before = row.isNew ? nil : UnitDTO(unit, parentCode: unit.$parent.id.flatMap { codeOf[$0] })
                unit.apply(row.draft, parentID: row.draft.parentCode.flatMap { idOf[$0] })
                try await unit.save(on: db)
                idOf[unit.code] = unit.id
                byCode[unit.code] = unit
                try await Audit.record(on: db, actor: actor, action: row.isNew ? "unit.import.create" : "unit.import.update",
                                       entity: "unit", entityID: unit.code, unitID: unit.id, before: before,
                                       after: UnitDTO(unit, parentCode: row.draft.parentCode),
                                       reason: reason ?? "Nhập từ tệp CSV (dòng \(row.line))", requestID: requestID)
            }
        }
        return summary
    }

    private func lineOf(_ error: CSVTable.ReadError) -> Int {
        if case let .unterminatedQuote(line) = error { return line }
        return 1
    }

    /// Orders rows so that a parent defined in the same file is written before its children.
    static func parentsFirst(_ rows: [UnitImportPlan.Row]) -> [UnitImportPlan.Row] {
        let inFile = Dictionary(uniqueKeysWithValues: rows.map { ($0.draft.code, $0) })
        var done: Set<String> = []
        var ordered: [UnitImportPlan.Row] = []
        func visit(_ row: UnitImportPlan.Row) {
            guard !done.contains(row.draft.code) else { return }
            done.insert(row.draft.code)
            if let p = row.draft.parentCode, let parent = inFile[p] { visit(parent) }
            ordered.append(row)
        }
        rows.forEach(visit)
        return ordered
    }
}
