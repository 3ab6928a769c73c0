import Fluent
import Foundation
import ParIndexCore
import Vapor

/// One unit's report: its grid per form with live validation, saving, the approval chain.
extension ReportingService {
    struct Evaluated {
        var form: CompiledForm
        var evaluation: FormEvaluation
        var stated: [String: String]
    }

    func submissionModel(_ id: UUID) async throws -> ReportSubmissionModel {
        guard let s = try await ReportSubmissionModel.query(on: db).filter(\.$id == id).with(\.$unit)
            .with(\.$period, { $0.with(\.$regime, { $0.with(\.$ownerUnit).with(\.$receivingUnit) }) }).first() else {
            throw AppError.notFound(entity: "báo cáo")
        }
        return s
    }

    /// A submission's values as the engine's cells, refusing nothing (stored values were validated on save).
    static func cells(_ stored: [String: String]) -> [CellKey: CellValue] {
        var out: [CellKey: CellValue] = [:]
        for (k, v) in stored {
            let parts = k.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            out[CellKey(row: parts[0], column: parts[1])] = Decimal(string: v).map { .number($0) } ?? .text(v)
        }
        return out
    }

    /// What evaluating a period's reports needs besides each report: the forms compiled once,
    /// and the same units' reports of the previous period (cross-period rules) and of the same
    /// period last year (outliers), each loaded in one query for the whole period.
    struct EvaluationContext {
        var forms: [(code: String, form: CompiledForm)]
        var previous: [UUID: ReportSubmissionModel]
        var lastYear: [UUID: ReportSubmissionModel]
    }

    func evaluationContext(_ p: ReportPeriodModel, units: [UUID]? = nil) async throws -> EvaluationContext {
        let catalog = try await ReportFormCatalog.all(on: db)
        let forms = try p.regime.forms.compactMap { code in try catalog[code].map { (code, try ReportFormCatalog.compiled($0)) } }
        let siblings = try await ReportPeriodModel.query(on: db).filter(\.$regime.$id == p.$regime.id)
            .filter(\.$frequency == p.frequency).all()
        let year = Int(p.startsOn.prefix(4)) ?? 0
        let lastYearCode = p.code.hasPrefix(String(year)) ? String(year - 1) + p.code.dropFirst(4) : nil
        func reports(_ other: ReportPeriodModel?) async throws -> [UUID: ReportSubmissionModel] {
            guard let other else { return [:] }
            var q = ReportSubmissionModel.query(on: db).filter(\.$period.$id == other.id!)
            if let units { q = q.filter(\.$unit.$id ~~ units) }
            return Dictionary(try await q.all().map { ($0.$unit.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let previous = siblings.filter { $0.endsOn < p.startsOn }.max { $0.endsOn < $1.endsOn }
        return EvaluationContext(forms: forms, previous: try await reports(previous),
                       lastYear: try await reports(siblings.first { $0.code == lastYearCode }))
    }

    /// Every form of the submission evaluated: computed cells, totals, and every violation,
    /// with the previous period (cross-period rules) and the same period last year (outliers).
    func evaluate(_ s: ReportSubmissionModel, period p: ReportPeriodModel, context given: EvaluationContext? = nil) async throws -> [Evaluated] {
        let ctx: EvaluationContext
        if let given { ctx = given } else { ctx = try await evaluationContext(p, units: [s.$unit.id]) }
        func grid(_ other: ReportSubmissionModel?, _ code: String, _ form: CompiledForm) -> FormGrid? {
            guard let values = other?.values[code], !values.isEmpty, var g = try? form.grid(Self.cells(values)) else { return nil }
            form.complete(&g)
            return g
        }
        return ctx.forms.map { code, form in
            let values = (try? form.grid(Self.cells(s.values[code] ?? [:]))) ?? form.emptyGrid()
            let statedText = s.stated[code] ?? [:]
            let stated = statedText.compactMap { k, v -> StatedValue? in
                let parts = k.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return nil }
                return try? form.stated(row: parts[0], code: parts[1], text: v)
            }
            return Evaluated(form: form, evaluation: form.evaluate(values, previous: grid(ctx.previous[s.$unit.id], code, form),
                                                                   lastYear: grid(ctx.lastYear[s.$unit.id], code, form), stated: stated),
                             stated: statedText)
        }
    }

    func submission(_ id: UUID) async throws -> SubmissionDTO {
        let s = try await submissionModel(id)
        try await requireRead(s, regime: s.period.regime)
        return try await dto(s)
    }

    func deadline(_ s: ReportSubmissionModel) throws -> UnitDeadline {
        UnitDeadline(deadline: try CalendarDay(iso: s.period.deadline), extendedTo: try s.extendedTo.map(CalendarDay.init(iso:)))
    }

    /// `series: false` skips the chart's query over every period (the live check needs no chart).
    func dto(_ s: ReportSubmissionModel, series withSeries: Bool = true) async throws -> SubmissionDTO {
        let p = s.period
        let evaluated = try await evaluate(s, period: p)
        let explanations = s.explanations
        var sheets: [FormSheetDTO] = []
        var blocking = 0, warnings = 0
        for e in evaluated {
            let f = e.form
            let flagged = Set(e.evaluation.violations.flatMap(\.cells))
            let columns = f.form.columns.map { FormColumnDTO(code: $0.code, number: $0.number, label: $0.label, group: $0.group, type: $0.type.rawValue) }
            let rows = f.rows.enumerated().map { r, row in
                FormRowDTO(code: row.code, label: row.label, isTotal: row.isTotal, cells: f.form.columns.enumerated().map { c, col in
                    let key = CellKey(row: row.code, column: col.code)
                    let v = e.evaluation.grid[r, c]
                    let display: String = switch col.source {
                    case .rowNumber: row.isTotal ? "" : String(r + 1)
                    case .rowLabel: row.label
                    case .value: col.type == .text ? (e.evaluation.grid.texts[r * f.width + c] ?? "") : v.map { StatNumberFormat.value($0, type: col.type) } ?? ""
                    }
                    let input = col.type == .text ? (e.evaluation.grid.texts[r * f.width + c] ?? "") : (s.values[f.form.code]?["\(row.code)/\(col.code)"]).flatMap(Double.init).map(StatNumberFormat.plain) ?? ""
                    return CellDTO(key: "\(row.code)/\(col.code)", column: col.code, display: display, input: input,
                                   entered: col.isEntered, computed: col.isComputed,
                                   flagged: flagged.contains(key))
                })
            }
            let violations = e.evaluation.violations.map { v in
                ViolationDTO(key: "\(f.form.code)|\(v.key)", kind: v.kind.rawValue, importance: v.importance.rawValue,
                             importanceLabel: v.importance.labelVI, message: v.messageVI, figures: v.figuresVI,
                             cells: v.cells.map { "\($0.row)/\($0.column)" }, blocks: v.blocksSubmission,
                             explanation: explanations["\(f.form.code)|\(v.key)"])
            }
            blocking += violations.filter(\.blocks).count
            warnings += violations.filter { !$0.blocks }.count
            let stated = f.form.stated.map { st in
                StatedDTO(key: "\(f.rows.last?.code ?? "tong")/\(st.code)", label: st.label, value: e.stated["\(f.rows.last?.code ?? "tong")/\(st.code)"] ?? "")
            }
            sheets.append(FormSheetDTO(code: f.form.code, title: f.form.title, legalBasis: f.form.legalBasis, columns: columns,
                                       rows: rows, stated: stated, violations: violations))
        }
        let before = try await evaluationContext(p, units: [s.$unit.id]).previous[s.$unit.id]?.narrative ?? [:]
        // Each section without sub-sections gets its text; the headings above it come with the first one under them.
        var narrative: [NarrativeSectionDTO] = [], pending: [String] = []
        for (sec, _, number) in p.outline.flattened {
            guard sec.children.isEmpty else { pending.append("\(number) \(sec.title)"); continue }
            narrative.append(NarrativeSectionDTO(code: sec.code, title: "\(number) \(sec.title)", headings: pending,
                                                 text: s.narrative[sec.code] ?? "", previous: before[sec.code].flatMap { $0.isEmpty ? nil : $0 }))
            pending = []
        }
        let period = try p.period()
        let series = withSeries ? try await self.series(s, form: evaluated.first?.form) : nil
        let lock = SubmissionLifecycle.lockReason(s.submissionState, deadline: try deadline(s), now: context.clock.now())
        return SubmissionDTO(id: s.id!, version: s.version, regimeName: p.regime.name, periodLabel: p.label, window: period.windowVI,
                             deadline: try deadline(s).effective.description, unitCode: s.unit.code, unitName: s.unit.name,
                             state: s.state, stateLabel: s.submissionState.labelVI, lock: lock?.messageVI,
                             returnReason: s.returnReason, forms: sheets, narrative: narrative, blocking: blocking, warnings: warnings,
                             series: series)
    }

    /// The unit's headline figure over the regime's periods of this frequency, oldest first.
    private func series(_ s: ReportSubmissionModel, form: CompiledForm?) async throws -> SeriesDTO? {
        guard let form, let r = form.rows.lastIndex(where: \.isTotal) ?? form.rows.indices.last,
              let c = form.form.columns.firstIndex(where: { $0.isEntered && $0.type.isNumeric }) else { return nil }
        let periods = try await ReportPeriodModel.query(on: db).filter(\.$regime.$id == s.period.$regime.id)
            .filter(\.$frequency == s.period.frequency).sort(\.$startsOn).all()
        let subs = Dictionary(try await ReportSubmissionModel.query(on: db).filter(\.$unit.$id == s.$unit.id)
            .filter(\.$period.$id ~~ periods.map { $0.id! }).all().map { ($0.$period.id, $0) }, uniquingKeysWith: { a, _ in a })
        let col = form.form.columns[c]
        let points = periods.compactMap { p -> SeriesPointDTO? in
            guard let values = subs[p.id!]?.values[form.form.code], var g = try? form.grid(Self.cells(values)) else { return nil }
            form.complete(&g)
            return g[r, c].map { SeriesPointDTO(period: p.label, value: $0, display: StatNumberFormat.value($0, type: col.type)) }
        }
        guard points.count > 1 else { return nil }
        return SeriesDTO(title: "\(col.group.map { "\($0) — " } ?? "")\(col.label) (\(form.rows[r].label)) qua các kỳ", points: points)
    }

    /// The reports that need the user now, most urgent first: their units' reports still to
    /// hand in (draft or returned) in open periods, and those waiting for their decision.
    func todo() async throws -> [ReportTodoDTO] {
        guard context.user != nil else { return [] }
        let now = context.clock.now(), today = CalendarDay(now)
        let open = try await ReportSubmissionModel.query(on: db)
            .filter(\.$state ~~ [SubmissionState.draft.rawValue, SubmissionState.returned.rawValue, SubmissionState.submitted.rawValue,
                                 SubmissionState.accepted.rawValue])
            .with(\.$unit).with(\.$period, { $0.with(\.$regime, { $0.with(\.$ownerUnit).with(\.$receivingUnit) }) }).all()
        var items: [(Date, ReportTodoDTO)] = []
        for s in open {
            guard let due = try? deadline(s), due.effective.adding(days: 60) >= today else { continue }
            if s.submissionState.isEditable, try await mayEdit(s) {
                let overdue = due.isPast(at: now)
                items.append((due.effective.end, ReportTodoDTO(
                    title: "\(s.period.regime.name) — \(s.period.label): \(s.unit.name)",
                    detail: (s.submissionState == .returned ? "Bị trả lại: \(s.returnReason ?? "")" : "Chưa nộp")
                        + (overdue ? " · đã quá hạn (hạn hết ngày \(due.effective))" : " · hạn nộp hết ngày \(due.effective)"),
                    link: "/reports/submissions/\(s.id!)", overdue: overdue)))
            } else if !s.submissionState.isEditable, try await mayDecide(s, regime: s.period.regime) {
                items.append((s.submittedAt ?? now, ReportTodoDTO(
                    title: "\(s.period.regime.name) — \(s.period.label): \(s.unit.name)",
                    detail: s.submissionState == .submitted ? "Đã nộp, chờ tiếp nhận" : "Đã tiếp nhận, chờ phê duyệt",
                    link: "/reports/submissions/\(s.id!)", overdue: false)))
            }
        }
        return items.sorted { ($0.1.overdue ? 0 : 1, $0.0) < ($1.1.overdue ? 0 : 1, $1.0) }.prefix(50).map(\.1)
    }

    // MARK: Saving

    /// What a save would store: the submission's figures, stated figures, explanations and
    /// narrative with the input laid over them, and every problem of the input (each bad cell
    /// of every form, in Vietnamese). Saving and the live check read input the same way.
    struct Typed {
        var values: [String: [String: String]]
        var stated: [String: [String: String]]
        var explanations: [String: String]
        var narrative: [String: String]
        var problems: [AppError.FieldProblem]
    }

    func typed(_ input: SubmissionInput, onto s: ReportSubmissionModel) async throws -> Typed {
        let catalog = try await ReportFormCatalog.all(on: db)
        var problems: [AppError.FieldProblem] = []
        var values = s.values, stated = s.stated
        for (code, cells) in input.values ?? [:] {
            guard s.period.regime.forms.contains(code), let f = catalog[code] else {
                problems.append(.init(field: "values.\(code)", message: "Chế độ báo cáo không có biểu mẫu “\(code)”.")); continue
            }
            let form = try ReportFormCatalog.compiled(f)
            var formValues = values[code] ?? [:]
            for (key, raw) in cells.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let r = form.rowIndex[parts[0]], let c = form.columnIndex[parts[1]] else {
                    problems.append(.init(field: "values.\(code).\(key)", message: "Biểu “\(f.title)” không có ô “\(key)”.")); continue
                }
                let row = form.rows[r], col = f.columns[c]
                let place = "Biểu “\(f.title)”, dòng “\(row.label)”, cột (\(col.number)) “\(col.label)”"
                switch CellEntry.parse(raw, column: col) {
                case .success(nil): formValues[key] = nil
                case let .success(.text(t)?):
                    formValues[key] = try TextRules.validated(t, .multiline, field: "values.\(code).\(key)", fieldVI: place, maxLength: 2000)
                case let .success(v?): formValues[key] = CellEntry.stored(v)
                case let .failure(problem):
                    problems.append(.init(field: "values.\(code).\(key)",
                                          message: "\(place): " + problem.messageVI(text: raw.trimmingCharacters(in: .whitespaces), column: col)))
                }
            }
            values[code] = formValues
        }
        for (code, figures) in input.stated ?? [:] {
            guard let f = catalog[code], s.period.regime.forms.contains(code) else { continue }
            let form = try ReportFormCatalog.compiled(f)
            var formStated = stated[code] ?? [:]
            for (key, raw) in figures {
                let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { formStated[key] = nil; continue }
                guard parts.count == 2, (try? form.stated(row: parts[0], code: parts[1], text: text)) != nil else {
                    problems.append(.init(field: "stated.\(code).\(key)", message: "Số liệu nêu trong báo cáo “\(text)” (\(key)) không hợp lệ.")); continue
                }
                formStated[key] = text
            }
            stated[code] = formStated
        }
        var explanations = s.explanations
        for (k, v) in input.explanations ?? [:] {
            let text = try TextRules.validated(v, .multiline, field: "explanations", fieldVI: "Giải trình", maxLength: 4000)
            explanations[k] = text.isEmpty ? nil : text
        }
        var narrative = s.narrative
        let sections = Set(s.period.outline.leaves.map(\.code))
        for (k, v) in input.narrative ?? [:] {
            guard sections.contains(k) else {
                problems.append(.init(field: "narrative.\(k)", message: "Đề cương của kỳ báo cáo không có mục “\(k)” để viết nội dung.")); continue
            }
            narrative[k] = try TextRules.validated(v, .multiline, field: "narrative.\(k)", fieldVI: "Mục \(k)", maxLength: 20_000)
        }
        return Typed(values: values, stated: stated, explanations: explanations, narrative: narrative, problems: problems)
    }

    /// Saves figures, stated figures, explanations and narrative at the version the client saw.
    /// Every bad cell of every form is reported at once, in Vietnamese, and nothing is saved.
    func save(_ id: UUID, _ input: SubmissionInput) async throws -> SubmissionDTO {
        let s = try await submissionModel(id)
        guard try await mayEdit(s) else {
            throw AppError.outOfScope("Chỉ cán bộ của \(s.unit.name) được nhập báo cáo của đơn vị.")
        }
        let seen = try VersionedWrite.expected(input.version, context.ifMatch, entity: "báo cáo của \(s.unit.name)")
        let typed = try await typed(input, onto: s)
        let problems = typed.problems
        let values = typed.values, stated = typed.stated, explanations = typed.explanations, narrative = typed.narrative
        if !problems.isEmpty { throw AppError.validation(problems) }
        let newValues = values, newStated = stated, newExplanations = explanations, newNarrative = narrative
        let context = context, now = context.clock.now(), sid = s.id!, unitName = s.unit.name
        let before = ["values": s.valuesJSON, "stated": s.statedJSON]
        try await db.writeTransaction { db in
            try await VersionedWrite.lock(ReportSubmissionModel.schema, id: sid, on: db)
            guard let fresh = try await ReportSubmissionModel.query(on: db).filter(\.$id == sid).with(\.$period).first() else {
                throw AppError.notFound(entity: "báo cáo")
            }
            let deadline = UnitDeadline(deadline: try CalendarDay(iso: fresh.period.deadline), extendedTo: try fresh.extendedTo.map(CalendarDay.init(iso:)))
            if let lock = SubmissionLifecycle.lockReason(fresh.submissionState, deadline: deadline, now: now) {
                throw StatisticsError.locked(lock)
            }
            fresh.version = try await VersionedWrite.claim(ReportSubmissionModel.schema, id: sid, expected: seen, on: db) {
                .staleVersion("Báo cáo của \(unitName) vừa được sửa (phiên bản hiện tại khác \(seen)); tải lại trang để xem bản mới rồi nhập lại.")
            }
            fresh.values = newValues
            fresh.stated = newStated
            fresh.explanations = newExplanations
            fresh.narrative = newNarrative
            fresh.updatedAt = now
            try await fresh.save(on: db)
            try await context.audit(on: db, "report_submission.save", entity: "report_submission", entityID: sid.uuidString,
                                    unitID: fresh.$unit.id, before: before, after: ["values": fresh.valuesJSON, "stated": fresh.statedJSON])
        }
        return try await dto(try await submissionModel(id))
    }

    /// The live check while a unit types: the report as it would be with the typed input
    /// (computed cells, totals, every violation beside its cells) and the input's own problems.
    /// Nothing is saved; the same rules as ``save(_:_:)`` run, so the page and the save agree.
    func check(_ id: UUID, _ input: SubmissionInput) async throws -> SubmissionCheckDTO {
        let s = try await submissionModel(id)
        try await requireRead(s, regime: s.period.regime)
        let typed = try await typed(input, onto: s)
        // Applied to the loaded copy only, which is never saved.
        s.values = typed.values
        s.stated = typed.stated
        s.explanations = typed.explanations
        let d = try await dto(s, series: false)
        return SubmissionCheckDTO(forms: d.forms, blocking: d.blocking, warnings: d.warnings, problems: typed.problems)
    }

    /// Imports one form of a unit's report from the workbook in the form's own layout (the
    /// XLSX the page hands out, filled in Excel): the file replaces the form's figures, all or
    /// nothing, every bad cell with its line and column number; `dryRun` only checks.
    func importFilledForm(_ id: UUID, form code: String, data: Data, version: Int?, dryRun: Bool) async throws -> FilledFormImportDTO {
        let s = try await submissionModel(id)
        guard try await mayEdit(s) else {
            throw AppError.outOfScope("Chỉ cán bộ của \(s.unit.name) được nhập báo cáo của đơn vị.")
        }
        guard s.period.regime.forms.contains(code), let f = try await ReportFormCatalog.all(on: db)[code] else {
            throw AppError.notFound(entity: "biểu mẫu “\(code)” của báo cáo này")
        }
        let form = try ReportFormCatalog.compiled(f)
        let cells: [CellKey: CellValue]
        do {
            guard XLSXReader.looksLikeXLSX(data) else {
                throw ImportErrors(rows: [ImportRowError(row: 0, messageVI: "Tệp không phải bảng tính Excel (.xlsx). Hãy tải biểu (XLSX) từ trang báo cáo, nhập số liệu rồi tải lên.")])
            }
            let reader = try XLSXReader(data)
            let sheet = reader.sheetNames.first { $0.lowercased() == String(code.prefix(31)).lowercased() } ?? reader.sheetNames.first
            guard let sheet else { throw XLSXReader.ReadError.missingSheet(String(code.prefix(31))) }
            cells = try FilledFormImport.parse(rows: try reader.rows(of: sheet), form: form, unitName: s.unit.name, periodLabel: s.period.label)
        } catch let e as ImportErrors { throw AppError.importFailed(e.rows) }
        // Handed to the save as typed text: numbers with a decimal comma, as the page sends them.
        var input: [String: String] = [:]
        for (key, value) in cells {
            let text = CellEntry.stored(value)
            if case .number = value { input["\(key.row)/\(key.column)"] = text.replacingOccurrences(of: ".", with: ",") }
            else { input["\(key.row)/\(key.column)"] = text }
        }
        // Cells the file leaves empty are cleared: the file is the whole form.
        for (key, _) in s.values[code] ?? [:] where input[key] == nil { input[key] = "" }
        let old = Self.cells(s.values[code] ?? [:])
        let changed = Set(old.keys).union(cells.keys).filter { old[$0] != cells[$0] }.count
        if dryRun {
            try await requireEditable(s)
            return FilledFormImportDTO(dryRun: true, form: code, values: cells.count, changed: changed, submission: nil)
        }
        let saved = try await save(id, SubmissionInput(version: version, values: [code: input]))
        return FilledFormImportDTO(dryRun: false, form: code, values: cells.count, changed: changed, submission: saved)
    }

    /// Why the unit cannot write now, if it cannot: the same lock the save checks, for dry runs.
    private func requireEditable(_ s: ReportSubmissionModel) async throws {
        if let lock = SubmissionLifecycle.lockReason(s.submissionState, deadline: try deadline(s), now: context.clock.now()) {
            throw StatisticsError.locked(lock)
        }
    }

    // MARK: The approval chain

    /// `submit` (the unit), `return` with a reason, `accept`, `approve` (after every unit
    /// below that reports to this one is approved), `unapprove` with a reason (the receiving side).
    func act(_ id: UUID, _ input: SubmissionActionInput) async throws -> SubmissionDTO {
        let s = try await submissionModel(id)
        let r = s.period.regime
        let seen = try VersionedWrite.expected(input.version, context.ifMatch, entity: "báo cáo của \(s.unit.name)")
        let reason = try TextRules.validated(input.reason ?? "", .multiline, field: "reason", fieldVI: "Lý do", maxLength: TextRules.reasonMaxLength)
        let action: SubmissionAction
        switch input.action {
        case "submit":
            guard try await mayEdit(s) else { throw AppError.outOfScope("Chỉ cán bộ của \(s.unit.name) được nộp báo cáo của đơn vị.") }
            let evaluated = try await evaluate(s, period: s.period)
            var unexplained: [String] = []
            for e in evaluated {
                let code = e.form.form.code
                let mine = s.explanations.reduce(into: [String: String]()) { out, kv in
                    if kv.key.hasPrefix(code + "|") { out[String(kv.key.dropFirst(code.count + 1))] = kv.value }
                }
                do { _ = try SubmissionLifecycle.apply(.submit(violations: e.evaluation.violations, explanations: mine), to: s.submissionState,
                                                      deadline: try deadline(s), now: context.clock.now()) }
                catch let StatisticsError.unexplainedViolations(list) { unexplained += list }
            }
            if !unexplained.isEmpty { throw StatisticsError.unexplainedViolations(unexplained) }
            action = .submit(violations: [], explanations: [:])
        case "return", "accept", "approve", "unapprove":
            guard try await mayDecide(s, regime: r) else {
                throw AppError.outOfScope("Chỉ đơn vị nhận báo cáo (\(r.receivingUnit.name)) hoặc cấp trên trực tiếp của \(s.unit.name) được xem xét báo cáo này.")
            }
            switch input.action {
            case "return": action = .returnForRevision(reason: reason)
            case "accept": action = .accept
            case "unapprove": action = .unapprove(reason: reason)
            default:
                let children = try await UnitModel.query(on: db).filter(\.$parent.$id == s.$unit.id).all()
                let theirs = Dictionary(uniqueKeysWithValues: try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == s.$period.id)
                    .filter(\.$unit.$id ~~ children.map { $0.id! }).all().map { ($0.$unit.id, $0.submissionState) })
                action = .approve(children: children.filter { theirs[$0.id!] != nil }.sortedVietnamese(by: { $0.name })
                    .map { ChildSubmission(unitName: $0.name, state: theirs[$0.id!]) })
            }
        default:
            throw AppError.badRequest("Thao tác “\(input.action)” không hợp lệ (submit, return, accept, approve, unapprove).")
        }
        let context = context, now = context.clock.now(), sid = s.id!, unitName = s.unit.name, actionName = input.action
        let notifyUnit = s.$unit.id, regimeName = r.name, periodLabel = s.period.label, owner = r.$ownerUnit.id
        try await db.writeTransaction { db in
            try await VersionedWrite.lock(ReportSubmissionModel.schema, id: sid, on: db)
            guard let fresh = try await ReportSubmissionModel.query(on: db).filter(\.$id == sid).with(\.$period).first() else {
                throw AppError.notFound(entity: "báo cáo")
            }
            let deadline = UnitDeadline(deadline: try CalendarDay(iso: fresh.period.deadline), extendedTo: try fresh.extendedTo.map(CalendarDay.init(iso:)))
            let from = fresh.submissionState
            let next = try SubmissionLifecycle.apply(action, to: from, deadline: deadline, now: now)
            fresh.version = try await VersionedWrite.claim(ReportSubmissionModel.schema, id: sid, expected: seen, on: db) {
                .staleVersion("Báo cáo của \(unitName) vừa thay đổi (phiên bản hiện tại khác \(seen)); tải lại trang rồi thực hiện lại.")
            }
            fresh.state = next.rawValue
            if next == .submitted { fresh.submittedAt = now; fresh.submittedBy = context.actor.name; fresh.returnReason = nil }
            else { fresh.decidedAt = now; fresh.decidedBy = context.actor.name }
            if next == .returned { fresh.returnReason = reason }
            fresh.updatedAt = now
            try await fresh.save(on: db)
            try await context.audit(on: db, "report_submission.\(actionName)", entity: "report_submission", entityID: sid.uuidString,
                                    unitID: fresh.$unit.id, before: ["state": from.rawValue], after: ["state": next.rawValue],
                                    reason: reason.isEmpty ? nil : reason)
            // Who must act next hears of it through the outbox, with the write or not at all.
            let recipients = next == .submitted ? try await Notifier.holders(of: .reportsApprove, onOwner: owner, on: db)
                : try await Notifier.unitStaff(notifyUnit, holding: .reportsEdit, on: db)
            _ = try await Notifier.send(.init(key: "report/\(sid)/\(fresh.version)", title: "Báo cáo \(next.labelVI): \(unitName)",
                                              body: "\(regimeName) — \(periodLabel)\(reason.isEmpty ? "" : ": \(reason)")",
                                              link: "/reports/submissions/\(sid)"), to: recipients, on: db, now: now)
        }
        return try await dto(try await submissionModel(id))
    }

    /// A per-unit extension of the deadline (`reports.manage` on the owner).
    func extend(_ id: UUID, _ input: ExtensionInput) async throws -> SubmissionDTO {
        let s = try await submissionModel(id)
        try await context.requirePermission(.reportsManage, onOwner: s.period.regime.$ownerUnit.id, what: "Chế độ báo cáo “\(s.period.regime.name)”")
        let until: CalendarDay
        do { until = try CalendarDay(parsing: input.until.trimmingCharacters(in: .whitespaces)) } catch {
            throw AppError.validation([.init(field: "until", message: "Hạn mới “\(input.until)” không hợp lệ (dd/mm/yyyy).")])
        }
        guard until >= (try CalendarDay(iso: s.period.deadline)) else {
            throw AppError.validation([.init(field: "until", message: "Hạn mới phải từ ngày \(try CalendarDay(iso: s.period.deadline)) trở đi.")])
        }
        let reason = try TextRules.validated(input.reason ?? "", .multiline, field: "reason", fieldVI: "Lý do", maxLength: TextRules.reasonMaxLength)
        let context = context, sid = s.id!, before = s.extendedTo
        try await db.writeTransaction { db in
            _ = try await VersionedWrite.bump(ReportSubmissionModel.schema, id: sid, on: db)
            guard let fresh = try await ReportSubmissionModel.find(sid, on: db) else { throw AppError.notFound(entity: "báo cáo") }
            fresh.extendedTo = until.iso
            try await fresh.save(on: db)
            try await context.audit(on: db, "report_submission.extend", entity: "report_submission", entityID: sid.uuidString,
                                    unitID: fresh.$unit.id, before: ["extendedTo": before ?? ""], after: ["extendedTo": until.iso],
                                    reason: reason.isEmpty ? nil : reason)
        }
        return try await dto(try await submissionModel(id))
    }
}
