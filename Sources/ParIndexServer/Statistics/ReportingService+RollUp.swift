import Fluent
import SQLKit
import Foundation
import ParIndexCore
import Vapor

/// Roll-up and import of a period (issue #14).
extension ReportingService {
    /// States whose figures a roll-up counts: what the units have handed in.
    static let rolledUpStates: Set<SubmissionState> = [.submitted, .accepted, .approved]

    /// Commune → district → province totals of one row of one form (the total row by default),
    /// every rate recomputed from the summed parts, over the regime owner's tree.
    func rollUp(_ periodID: UUID, form code: String, row: String? = nil) async throws -> RollUpDTO {
        let p = try await periodModel(periodID)
        try await context.requirePermission(.reportsRead, onOwner: p.regime.$ownerUnit.id, what: "Tổng hợp của chế độ báo cáo “\(p.regime.name)”")
        guard p.regime.forms.contains(code) else { throw AppError.notFound(entity: "biểu mẫu “\(code)” của chế độ báo cáo") }
        let form = try ReportFormCatalog.compiled(try await ReportFormCatalog.form(code, on: db))
        let rowCode = row ?? form.rows.last(where: \.isTotal)?.code ?? form.rows.last!.code
        guard let r = form.rowIndex[rowCode] else { throw AppError.notFound(entity: "dòng “\(rowCode)” của biểu mẫu") }
        let subtree = try await UnitTree.subtree(of: p.regime.$ownerUnit.id, on: db)
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ Array(subtree)).all()
        let codeOf = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.code) })
        let tree = try RollUp(form: form, units: units.map { RollUpUnit(code: $0.code, name: $0.name, parent: $0.$parent.id.flatMap { codeOf[$0] }) })
        func reports(_ period: UUID) async throws -> [String: FormGrid] {
            var out: [String: FormGrid] = [:]
            for s in try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == period).all()
            where Self.rolledUpStates.contains(s.submissionState) {
                guard let values = s.values[code], var g = try? form.grid(Self.cells(values)), let unit = codeOf[s.$unit.id] else { continue }
                form.complete(&g)
                out[unit] = g
            }
            return out
        }
        let totals = tree.totals(try await reports(periodID))
        let own = Dictionary(try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == periodID).all().map { ($0.$unit.id, $0.id!) },
                             uniquingKeysWith: { a, _ in a })
        let lastYearCode = String((Int(p.code.prefix(4)) ?? 0) - 1) + p.code.dropFirst(4)
        let lastYearPeriod = try await ReportPeriodModel.query(on: db).filter(\.$regime.$id == p.$regime.id).filter(\.$code == lastYearCode).first()
        let lastYear = try await lastYearPeriod.asyncMap { tree.totals(try await reports($0.id!)) }
        // Tree order (parents before children), with depth, for the units that have a figure.
        var rows: [RollUpRowDTO] = []
        let children = Dictionary(grouping: units, by: { $0.$parent.id })
        func walk(_ u: UnitModel, _ depth: Int) {
            if let t = totals[u.code] {
                let cells = form.form.columns.enumerated().filter { $0.element.source == .value }.map { c, col in
                    RollUpCellDTO(display: t.grid[r, c].map { StatNumberFormat.value($0, type: col.type) } ?? "", contributors: t.contributors.count,
                                  value: t.grid[r, c])
                }
                let ly = lastYear?[u.code].map { l in
                    form.form.columns.enumerated().filter { $0.element.source == .value }.map { c, col in l.grid[r, c].map { StatNumberFormat.value($0, type: col.type) } ?? "" }
                }
                let lyValues = lastYear?[u.code].map { l in form.form.columns.indices.filter { form.form.columns[$0].source == .value }.map { l.grid[r, $0] } }
                rows.append(RollUpRowDTO(submissionId: own[u.id!], unitCode: u.code, unitName: u.name, depth: depth, cells: cells, lastYear: ly, lastYearValues: lyValues))
            }
            for c in (children[u.id!] ?? []).sortedVietnamese(by: { $0.name }) { walk(c, depth + 1) }
        }
        if let root = units.first(where: { $0.id == p.regime.$ownerUnit.id }) { walk(root, 0) }
        return RollUpDTO(periodLabel: p.label, form: code, formTitle: form.form.title,
                         columns: form.form.columns.filter { $0.source == .value }.map {
                             FormColumnDTO(code: $0.code, number: $0.number, label: $0.label, group: $0.group, type: $0.type.rawValue)
                         }, row: form.rows[r].label, units: rows,
                         rule: "Cộng từ các báo cáo đã nộp, đã tiếp nhận hoặc đã phê duyệt; mỗi cấp gồm báo cáo của chính đơn vị và mọi đơn vị trực thuộc. "
                             + "Các tỷ lệ được tính lại từ tổng của các thành phần, không lấy trung bình các tỷ lệ.")
    }

    /// Imports values in DHIS2's dataValueSets shape (form column, row, period, unit code,
    /// value, comment), as CSV or as the first sheet of an XLSX workbook, into the period's submissions: validated row by row, all or nothing;
    /// the submissions it writes must still be editable. `dryRun` checks without writing.
    func importValues(_ periodID: UUID, form code: String, csv: Data, dryRun: Bool) async throws -> ImportSummary {
        let p = try await periodModel(periodID)
        try await context.requirePermission(.reportsManage, onOwner: p.regime.$ownerUnit.id, what: "Chế độ báo cáo “\(p.regime.name)”")
        guard p.regime.forms.contains(code) else { throw AppError.notFound(entity: "biểu mẫu “\(code)” của chế độ báo cáo") }
        let form = try ReportFormCatalog.compiled(try await ReportFormCatalog.form(code, on: db))
        let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == periodID).with(\.$unit).all()
        let byUnit = Dictionary(uniqueKeysWithValues: subs.map { ($0.unit.code, $0) })
        let importContext = DataValueImportContext(form: form, units: Set(byUnit.keys), periods: [p.code])
        let values = try ImportFile.read(csv, csv: { try DataValueImport.parse($0, context: importContext) },
                                         sheet: { try DataValueImport.parse(rows: $0, context: importContext) })
        let units = Set(values.map(\.unit))
        if dryRun { return ImportSummary(dryRun: true, created: 0, updated: units.count, rows: values.count) }
        let context = context, now = context.clock.now()
        // Grouped once: a national file holds 100.000 values of 9.000 units.
        let byUnitValues = Dictionary(grouping: values, by: \.unit)
        let ids = units.compactMap { byUnit[$0]?.id }
        try await db.writeTransaction { db in
            // One lock and one read for every report the file writes; their states are checked on that fresh read.
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT id FROM \(ident: ReportSubmissionModel.schema) WHERE period_id = \(bind: periodID) FOR UPDATE").run()
            }
            let fresh = try await ReportSubmissionModel.query(on: db).filter(\.$id ~~ ids).with(\.$unit).all()
            // The coordinator imports for units whose report is still open; a submitted one is the unit's word.
            if let closed = fresh.first(where: { !$0.submissionState.isEditable }) {
                throw AppError.conflict("Không nhập được số liệu cho \(closed.unit.name): báo cáo đang ở trạng thái “\(closed.submissionState.labelVI)”. Chưa có gì được ghi.")
            }
            for s in fresh {
                var formValues = s.values[code] ?? [:]
                for (key, v) in DataValueImport.cells(byUnitValues[s.unit.code] ?? [], unit: s.unit.code, period: p.code) {
                    switch v {
                    case let .number(d): formValues["\(key.row)/\(key.column)"] = String(NSDecimalNumber(decimal: d).doubleValue)
                    case let .text(t): formValues["\(key.row)/\(key.column)"] = t
                    }
                }
                s.values[code] = formValues
                s.version += 1
                s.updatedAt = now
                try await s.save(on: db)
            }
            try await context.audit(on: db, "report_submission.import", entity: "report_period", entityID: periodID.uuidString,
                                    unitID: p.regime.$ownerUnit.id, after: ["form": code, "values": String(values.count), "units": String(units.count)])
        }
        return ImportSummary(dryRun: false, created: 0, updated: units.count, rows: values.count)
    }
}
