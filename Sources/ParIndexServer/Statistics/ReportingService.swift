import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Periodic reports (issue #14): regimes, periods, one submission per reporting unit and
/// period, validated live by the domain's form engine, moved up the approval chain by
/// ``SubmissionLifecycle``. Rights: `reports.manage` on the regime's owner (regimes, periods,
/// extensions); `reports.edit` on the unit (figures, narrative, explanations, submitting);
/// `reports.approve` on the owner or on the unit's parent (returning, accepting, approving).
package struct ReportingService: ContextService {
    let context: ServiceContext

    package init(context: ServiceContext) { self.context = context }

    // MARK: Forms

    func forms() async throws -> [ReportFormSummaryDTO] {
        let uploaded = Set(try await ReportFormModel.query(on: db).all().map(\.code))
        return try await ReportFormCatalog.all(on: db).values.sorted { $0.code < $1.code }.map {
            ReportFormSummaryDTO(code: $0.code, version: $0.version, title: $0.title, legalBasis: $0.legalBasis,
                                 columns: $0.columns.count, rules: $0.rules.count, shipped: !uploaded.contains($0.code)
                                     && ReportFormCatalog.bundled[$0.code] != nil)
        }
    }

    /// Stores a form file after validating it whole; every problem comes back with its line.
    func uploadForm(_ yaml: String) async throws -> ReportFormSummaryDTO {
        let form: ReportForm
        do { form = try ReportFormYAML.load(yaml) } catch {
            throw AppError.validation(error.errors.map { .init(field: "yaml", message: $0.messageVI) })
        }
        _ = try ReportFormCatalog.compiled(form)
        let context = context
        try await db.writeTransaction { db in
            if try await ReportFormModel.query(on: db).filter(\.$code == form.code).filter(\.$version == form.version).count() > 0 {
                throw AppError.conflict("Biểu mẫu “\(form.code)” phiên bản \(form.version) đã có; hãy tăng phiên bản.")
            }
            let m = ReportFormModel()
            m.code = form.code
            m.version = form.version
            m.title = form.title
            m.yaml = yaml
            m.uploadedBy = context.actor.name
            m.uploadedAt = context.clock.now()
            try await m.create(on: db)
            try await context.audit(on: db, "report_form.upload", entity: "report_form", entityID: "\(form.code)@\(form.version)",
                                    after: ["title": form.title])
        }
        return ReportFormSummaryDTO(code: form.code, version: form.version, title: form.title, legalBasis: form.legalBasis,
                                    columns: form.columns.count, rules: form.rules.count, shipped: false)
    }

    // MARK: Regimes

    func regimes() async throws -> [RegimeDTO] {
        let all = try await ReportRegimeModel.query(on: db).with(\.$ownerUnit).with(\.$receivingUnit).sort(\.$name).all()
        let mine = try await context.unitsVisible(for: .reportsRead)
        var out: [RegimeDTO] = []
        for r in all {
            if try await context.holds(.reportsRead, onOwner: r.$ownerUnit.id) { out.append(Self.dto(r)); continue }
            guard let mine else { continue }
            let units = try await ReportSubmissionModel.query(on: db).filter(\.$regimeID == r.id!).unique().all(\.$unit.$id)
            if units.contains(where: mine.contains) { out.append(Self.dto(r)) }
        }
        return out
    }

    func createRegime(_ input: RegimeInput) async throws -> RegimeDTO {
        var problems: [AppError.FieldProblem] = []
        let code = input.code.trimmingCharacters(in: .whitespaces)
        let name = try TextRules.validated(input.name, .name, field: "name", fieldVI: "Tên chế độ báo cáo", maxLength: 255)
        let content = try TextRules.validated(input.content ?? "", .multiline, field: "content", fieldVI: "Nội dung", maxLength: 4000)
        if code.isEmpty || code.count > 64 || code.contains(where: { $0.isWhitespace }) {
            problems.append(.init(field: "code", message: "Mã chế độ báo cáo phải có từ 1 đến 64 ký tự, không có khoảng trắng."))
        }
        if name.isEmpty { problems.append(.init(field: "name", message: "Vui lòng nhập tên chế độ báo cáo.")) }
        let owner = try await UnitModel.query(on: db).filter(\.$code == input.ownerUnitCode.trimmingCharacters(in: .whitespaces)).first()
        if owner == nil { problems.append(.init(field: "ownerUnitCode", message: "Không tìm thấy đơn vị chủ trì “\(input.ownerUnitCode)”.")) }
        let receiving = try await input.receivingUnitCode.flatMap { $0.trimmingCharacters(in: .whitespaces).nilIfEmpty }
            .asyncMap { try await UnitModel.query(on: db).filter(\.$code == $0.trimmingCharacters(in: .whitespaces)).first() } ?? owner
        if receiving == nil { problems.append(.init(field: "receivingUnitCode", message: "Không tìm thấy đơn vị nhận báo cáo “\(input.receivingUnitCode ?? "")”.")) }
        let kinds = (input.unitKinds ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for k in kinds where UnitKind(loose: k) == nil {
            problems.append(.init(field: "unitKinds", message: "Loại đơn vị “\(k)” không hợp lệ (commune, district, department…)."))
        }
        let codes = (input.unitCodes ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // A list longer than any province's units is a mistake, and would exceed the database's bind limit.
        guard codes.count <= 5_000, input.formCodes.count <= 100 else {
            throw AppError.validation([.init(field: "unitCodes", message: "Danh sách quá dài: tối đa 5.000 mã đơn vị và 100 biểu mẫu.")])
        }
        if kinds.isEmpty && codes.isEmpty {
            problems.append(.init(field: "unitKinds", message: "Chọn loại đơn vị báo cáo hoặc liệt kê mã các đơn vị báo cáo."))
        }
        if !codes.isEmpty {
            let known = Set(try await UnitModel.query(on: db).filter(\.$code ~~ codes).all().map(\.code))
            for c in codes where !known.contains(c) { problems.append(.init(field: "unitCodes", message: "Không tìm thấy đơn vị “\(c)”.")) }
        }
        let catalog = try await ReportFormCatalog.all(on: db)
        if input.formCodes.isEmpty { problems.append(.init(field: "formCodes", message: "Chọn ít nhất một biểu mẫu.")) }
        for f in input.formCodes where catalog[f] == nil {
            problems.append(.init(field: "formCodes", message: "Không có biểu mẫu “\(f)”."))
        }
        let frequencies = input.frequencies ?? [ReportFrequency.quarter.rawValue, ReportFrequency.halfYear.rawValue, ReportFrequency.year.rawValue]
        for f in frequencies where ReportFrequency(rawValue: f) == nil {
            problems.append(.init(field: "frequencies", message: "Kỳ báo cáo “\(f)” không hợp lệ (month, quarter, half_year, nine_months, year, ad_hoc)."))
        }
        let cutOff = CutOffPreset(code: input.cutOff?.nilIfEmpty ?? "15-14")
        if cutOff == nil { problems.append(.init(field: "cutOff", message: "Cách chốt số liệu “\(input.cutOff ?? "")” không hợp lệ (15-14, calendar hoặc day:N).")) }
        let deadlineRule = DeadlineRule(code: input.deadlineRule?.nilIfEmpty ?? "day:20")
        if deadlineRule == nil { problems.append(.init(field: "deadlineRule", message: "Hạn nộp “\(input.deadlineRule ?? "")” không hợp lệ (day:N — ngày N của tháng cuối kỳ, hoặc workdays:N — N ngày làm việc sau ngày chốt số liệu).")) }
        var outline: ReportOutline?
        if let text = input.outline, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { outline = try ReportOutlineText.parse(text, knownForms: Set(input.formCodes)) } catch {
                problems += error.errors.map { .init(field: "outline", message: $0.messageVI) }
            }
        }
        if try await ReportRegimeModel.query(on: db).filter(\.$code == code).count() > 0 {
            problems.append(.init(field: "code", message: "Mã “\(code)” đã được dùng cho một chế độ báo cáo khác."))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        try await context.requirePermission(.reportsManage, onOwner: owner!.id!, what: "Chế độ báo cáo mới")
        let r = ReportRegimeModel()
        r.$ownerUnit.id = owner!.id!
        r.$receivingUnit.id = receiving!.id!
        r.code = code
        r.name = name
        r.content = content
        r.unitKinds = kinds.compactMap { UnitKind(loose: $0)?.rawValue }.joined(separator: ",")
        r.unitCodes = codes.joined(separator: ",")
        r.formCodes = input.formCodes.joined(separator: ",")
        r.frequencies = frequencies.joined(separator: ",")
        r.cutOff = cutOff!.code
        r.deadlineRule = deadlineRule!.code
        r.outlineJSON = outline?.json
        r.createdBy = context.actor.name
        r.createdAt = context.clock.now()
        let context = context
        try await db.writeTransaction { db in
            try await r.create(on: db)
            try await context.audit(on: db, "report_regime.create", entity: "report_regime", entityID: r.id!.uuidString,
                                    unitID: owner!.id, after: ["code": code, "name": name, "forms": r.formCodes])
        }
        r.$ownerUnit.value = owner
        r.$receivingUnit.value = receiving
        return Self.dto(r)
    }

    /// A new outline for the periods opened from now on; periods already open keep theirs,
    /// so a report being written never changes shape under its author.
    func updateOutline(_ id: UUID, _ input: OutlineInput) async throws -> RegimeDTO {
        let r = try await regime(id)
        try await context.requirePermission(.reportsManage, onOwner: r.$ownerUnit.id, what: "Chế độ báo cáo “\(r.name)”")
        guard input.outline.utf8.count <= 64_000 else {
            throw AppError.validation([.init(field: "outline", message: "Đề cương quá dài (tối đa 64 KB).")])
        }
        var outline: ReportOutline?
        if !input.outline.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { outline = try ReportOutlineText.parse(input.outline, knownForms: Set(r.forms)) } catch {
                throw AppError.validation(error.errors.map { .init(field: "outline", message: $0.messageVI) })
            }
        }
        let before = ReportOutlineText.render(r.outline)
        r.outlineJSON = outline?.json
        let context = context
        try await db.writeTransaction { db in
            try await r.save(on: db)
            try await context.audit(on: db, "report_regime.outline", entity: "report_regime", entityID: id.uuidString,
                                    unitID: r.$ownerUnit.id, before: ["outline": before], after: ["outline": ReportOutlineText.render(r.outline)])
        }
        return try await regimeDetail(id)
    }

    func regime(_ id: UUID) async throws -> ReportRegimeModel {
        guard let r = try await ReportRegimeModel.query(on: db).filter(\.$id == id).with(\.$ownerUnit).with(\.$receivingUnit).first() else {
            throw AppError.notFound(entity: "chế độ báo cáo")
        }
        return r
    }

    func regimeDetail(_ id: UUID) async throws -> RegimeDTO {
        let r = try await regime(id)
        try await requireRead(r, units: try await ReportSubmissionModel.query(on: db).filter(\.$regimeID == id).unique().all(\.$unit.$id))
        var d = Self.dto(r, titles: try await ReportFormCatalog.all(on: db).mapValues(\.title))
        var periods: [PeriodDTO] = []
        for p in try await ReportPeriodModel.query(on: db).filter(\.$regime.$id == id).sort(\.$startsOn, .descending).all() {
            periods.append(try await periodDTO(p, completeness: true))
        }
        d.periods = periods
        return d
    }

    /// `titles`: every form's title by code (the shipped forms' when not given).
    static func dto(_ r: ReportRegimeModel, titles: [String: String] = ReportFormCatalog.bundled.mapValues(\.title)) -> RegimeDTO {
        let units: String = switch r.selector {
        case let .kinds(k): k.map(\.pluralLabelVI).sorted().joined(separator: ", ")
        case let .units(codes): codes.joined(separator: ", ")
        }
        return RegimeDTO(id: r.id!, code: r.code, name: r.name, content: r.content, ownerUnitCode: r.ownerUnit.code,
                         ownerUnitName: r.ownerUnit.name, receivingUnitName: r.receivingUnit.name, reportingUnits: units,
                         forms: r.forms, formList: r.forms.map { FormRefDTO(code: $0, title: titles[$0] ?? $0) }, frequencies: r.frequencies.split(separator: ",").compactMap { ReportFrequency(rawValue: String($0))?.labelVI },
                         cutOff: r.cutOffPreset.labelVI, deadlineRule: r.deadline.labelVI,
                         outline: OutlineSectionDTO.list(r.outline), outlineText: ReportOutlineText.render(r.outline))
    }

    // MARK: Periods

    /// Opens a period and creates one draft submission per reporting unit (the units of the
    /// regime's kinds or list inside the owner's subtree); each unit's staff is notified
    /// through the outbox, in the same transaction.
    func openPeriod(_ regimeID: UUID, _ input: PeriodInput) async throws -> PeriodDTO {
        let r = try await regime(regimeID)
        try await context.requirePermission(.reportsManage, onOwner: r.$ownerUnit.id, what: "Chế độ báo cáo “\(r.name)”")
        let period = try Self.period(input, regime: r)
        if try await ReportPeriodModel.query(on: db).filter(\.$regime.$id == regimeID).filter(\.$code == period.code).count() > 0 {
            throw AppError.conflict("Kỳ báo cáo “\(period.labelVI)” (\(period.code)) đã được mở.")
        }
        let subtree = try await UnitTree.subtree(of: r.$ownerUnit.id, on: db)
        let candidates = try await UnitModel.query(on: db).filter(\.$id ~~ Array(subtree)).filter(\.$active == true).all()
        let selector = r.selector
        let reporting = candidates.filter { u in UnitKind(rawValue: u.kind).map { selector.includes(code: u.code, kind: $0) } ?? false }
        guard !reporting.isEmpty else { throw AppError.conflict("Chế độ báo cáo không có đơn vị báo cáo nào đang hoạt động trong phạm vi của \(r.ownerUnit.name).") }
        let context = context, now = context.clock.now()
        let p = ReportPeriodModel()
        p.$regime.id = regimeID
        p.code = period.code
        p.label = period.labelVI
        p.frequency = input.frequency ?? ReportFrequency.adHoc.rawValue
        p.startsOn = period.start.iso
        p.endsOn = period.end.iso
        p.deadline = period.deadline.iso
        p.openedBy = context.actor.name
        p.openedAt = now
        p.outlineJSON = r.outline.json
        try await db.writeTransaction { db in
            try await p.create(on: db)
            for u in reporting {
                let s = ReportSubmissionModel.draft(period: p, unit: u.id!, at: now)
                try await s.create(on: db)
                _ = try await Notifier.send(.init(key: "report-period/\(p.id!)", title: "Kỳ báo cáo mới: \(r.name)",
                                                  body: "\(period.labelVI) (\(period.windowVI)); hạn nộp ngày \(period.deadline).",
                                                  link: "/reports/submissions/\(s.id!)"),
                                            to: try await Notifier.unitStaff(u.id!, holding: .reportsEdit, on: db), on: db, now: now)
            }
            try await context.audit(on: db, "report_period.open", entity: "report_period", entityID: p.id!.uuidString,
                                    unitID: r.$ownerUnit.id, after: ["code": period.code, "window": period.windowVI,
                                                                     "deadline": period.deadline.description, "units": String(reporting.count)])
        }
        return try await periodDTO(p, completeness: true)
    }

    /// An explicit window, or the regime's preset for a frequency and year (its cut-off and deadline rule).
    static func period(_ input: PeriodInput, regime: ReportRegimeModel) throws -> ReportPeriod {
        func day(_ text: String?, _ field: String, _ label: String) throws -> CalendarDay {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw AppError.validation([.init(field: field, message: "Vui lòng nhập \(label) (dd/mm/yyyy).")]) }
            do { return try CalendarDay(parsing: text.trimmingCharacters(in: .whitespaces)) } catch {
                throw AppError.validation([.init(field: field, message: "\(label.prefix(1).uppercased() + label.dropFirst()) “\(text)” không hợp lệ (dd/mm/yyyy).")])
            }
        }
        if input.startsOn != nil || input.endsOn != nil {
            let start = try day(input.startsOn, "startsOn", "ngày bắt đầu kỳ số liệu")
            let end = try day(input.endsOn, "endsOn", "ngày kết thúc kỳ số liệu")
            let deadline = try day(input.deadline, "deadline", "hạn nộp")
            let code = try TextRules.validated(input.code ?? "", .code, field: "code", fieldVI: "Mã kỳ báo cáo", maxLength: 64).nilIfEmpty
                ?? "\(start.iso)_\(end.iso)"
            let label = try TextRules.validated(input.label ?? "", .name, field: "label", fieldVI: "Tên kỳ báo cáo", maxLength: 255).nilIfEmpty
                ?? "Từ ngày \(start) đến ngày \(end)"
            do { return try ReportPeriod(code: code, labelVI: label, start: start, end: end, deadline: deadline) } catch {
                throw AppError.validation([.init(field: "endsOn", message: error.messageVI)])
            }
        }
        guard let f = input.frequency.flatMap(ReportFrequency.init(rawValue:)), f != .adHoc, let year = input.year, (2000...2100).contains(year) else {
            throw AppError.validation([.init(field: "frequency", message: "Chọn kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm) và năm, hoặc nhập ngày bắt đầu, kết thúc và hạn nộp.")])
        }
        let all = PeriodGenerator.periods(year: year, frequency: f, cutOff: regime.cutOffPreset, deadline: regime.deadline)
        let n = input.index ?? 1
        guard n >= 1, n <= all.count else {
            throw AppError.validation([.init(field: "index", message: "Kỳ thứ \(n) không có trong năm (có \(all.count) kỳ \(f.labelVI)).")])
        }
        return all[n - 1]
    }

    func periodModel(_ id: UUID) async throws -> ReportPeriodModel {
        guard let p = try await ReportPeriodModel.query(on: db).filter(\.$id == id).with(\.$regime, { $0.with(\.$ownerUnit).with(\.$receivingUnit) }).first() else {
            throw AppError.notFound(entity: "kỳ báo cáo")
        }
        return p
    }

    func periodDetail(_ id: UUID) async throws -> PeriodDetailDTO {
        let p = try await periodModel(id)
        let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == id).with(\.$unit).all()
        try await requireRead(p.regime, units: subs.map(\.$unit.id))
        let staff = try await context.holds(.reportsRead, onOwner: p.regime.$ownerUnit.id)
        let mine = staff ? nil : try await context.unitsVisible(for: .reportsRead)
        let period = try p.period()
        let now = context.clock.now()
        let evaluation = try await evaluationContext(p)
        var rows: [SubmissionSummaryDTO] = []
        for s in subs.sortedVietnamese(by: { $0.unit.name }) where mine?.contains(s.$unit.id) ?? true {
            let deadline = UnitDeadline(deadline: period.deadline, extendedTo: try s.extendedTo.map(CalendarDay.init(iso:)))
            let late = s.submittedAt.map { $0 >= deadline.effective.end } ?? deadline.isPast(at: now)
            let blocking = try await evaluate(s, period: p, context: evaluation).reduce(0) { $0 + $1.evaluation.violations.filter(\.blocksSubmission).count }
            rows.append(SubmissionSummaryDTO(id: s.id!, unitCode: s.unit.code, unitName: s.unit.name, state: s.state,
                                             stateLabel: s.submissionState.labelVI, submittedAt: s.submittedAt.map(VietnameseDate.formatDateTime),
                                             late: late, violations: blocking, deadline: deadline.effective.description))
        }
        return PeriodDetailDTO(period: try await periodDTO(p, completeness: true), regime: Self.dto(p.regime, titles: try await ReportFormCatalog.all(on: db).mapValues(\.title)), submissions: rows)
    }

    func periodDTO(_ p: ReportPeriodModel, completeness: Bool) async throws -> PeriodDTO {
        let period = try p.period()
        var c: CompletenessDTO?
        if completeness {
            let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == p.id!).with(\.$unit).all()
            let expected = try subs.map { s in
                ExpectedReport(unitCode: s.unit.name, state: s.submissionState == .draft ? nil : s.submissionState, submittedAt: s.submittedAt,
                               deadline: UnitDeadline(deadline: period.deadline, extendedTo: try s.extendedTo.map(CalendarDay.init(iso:))))
            }
            let x = Completeness(expected, now: context.clock.now())
            let pct = { (v: Double?) in v.map { VietnameseNumber.format($0 * 100, fractionDigits: 1) + " %" } ?? "—" }
            c = CompletenessDTO(expected: x.expected, submitted: x.submitted, onTime: x.onTime, late: x.late, missing: x.missing,
                                reportingRate: pct(x.reportingRate), onTimeRate: pct(x.onTimeRate),
                                missingUnits: x.missingUnits.sortedVietnamese(by: { $0 }), lateUnits: x.lateUnits.sortedVietnamese(by: { $0 }))
        }
        return PeriodDTO(id: p.id!, code: p.code, label: p.label, frequency: ReportFrequency(rawValue: p.frequency)?.labelVI ?? p.frequency,
                         window: period.windowVI, deadline: period.deadline.description, completeness: c)
    }

    /// "Nhắc các đơn vị chưa nộp": every unit whose report is not handed in hears of it now
    /// (once a day per unit). Returns how many users were notified.
    func remindMissing(_ periodID: UUID) async throws -> Int {
        let p = try await periodModel(periodID)
        try await context.requirePermission(.reportsManage, onOwner: p.regime.$ownerUnit.id, what: "Chế độ báo cáo “\(p.regime.name)”")
        let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == periodID)
            .filter(\.$state ~~ [SubmissionState.draft.rawValue, SubmissionState.returned.rawValue]).all()
        let context = context, now = context.clock.now(), today = CalendarDay(now).iso
        let period = try p.period(), regimeName = p.regime.name
        return try await db.writeTransaction { db in
            var sent = 0
            for s in subs {
                let staff = try await Notifier.unitStaff(s.$unit.id, holding: .reportsEdit, on: db)
                sent += try await Notifier.send(.init(key: "report-remind/\(s.id!)/\(today)", title: "Đề nghị nộp báo cáo",
                                                      body: "\(regimeName) — \(period.labelVI): hạn nộp ngày \(period.deadline); đơn vị chưa nộp báo cáo.",
                                                      link: "/reports/submissions/\(s.id!)"), to: staff, on: db, now: now)
            }
            try await context.audit(on: db, "report_period.remind", entity: "report_period", entityID: periodID.uuidString,
                                    unitID: p.regime.$ownerUnit.id, after: ["units": String(subs.count), "notified": String(sent)])
            return sent
        }
    }

    // MARK: Access

    /// Readers: `reports.read` on the owner (or above), or on one of the reporting units.
    private func requireRead(_ r: ReportRegimeModel, units: [UUID]) async throws {
        if try await context.holds(.reportsRead, onOwner: r.$ownerUnit.id) { return }
        if let mine = try await context.unitsVisible(for: .reportsRead), units.contains(where: mine.contains) { return }
        if try await context.unitsVisible(for: .reportsRead) == nil { return }
        throw AppError.outOfScope("Chế độ báo cáo “\(r.name)” do \(r.ownerUnit.name) chủ trì, nằm ngoài phạm vi được phân công của bạn.")
    }

    func requireRead(_ s: ReportSubmissionModel, regime r: ReportRegimeModel) async throws {
        if try await context.holds(.reportsRead, onOwner: r.$ownerUnit.id) { return }
        do { try await context.requirePermission(.reportsRead, onUnit: s.$unit.id) } catch AppError.forbidden {
            throw AppError.outOfScope("Báo cáo của \(s.unit.name) nằm ngoài phạm vi được phân công của bạn.")
        }
    }

    /// The receiving side: `reports.approve` on the regime's owner, or on the unit's parent.
    func mayDecide(_ s: ReportSubmissionModel, regime r: ReportRegimeModel) async throws -> Bool {
        if try await context.holds(.reportsApprove, onOwner: r.$ownerUnit.id) { return true }
        guard let parent = s.unit.$parent.id else { return false }
        return try await context.holds(.reportsApprove, onOwner: parent)
    }

    func mayEdit(_ s: ReportSubmissionModel) async throws -> Bool {
        do { try await context.requirePermission(.reportsEdit, onUnit: s.$unit.id); return true } catch AppError.forbidden { return false }
    }
}

extension UnitKind {
    /// "Xã, phường, thị trấn", for a regime's list of reporting units.
    var pluralLabelVI: String { labelVI }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
