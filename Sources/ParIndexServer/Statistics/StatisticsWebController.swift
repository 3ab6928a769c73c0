import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The periodic-report pages (issue #14): regimes, a period's completeness, a unit's report
/// with its figures checked live, the roll-up.
struct StatisticsWebController {
    func register(_ web: GuardedRoutes) {
        web.get("reports", permission: .reportsRead, use: index)
        web.post("reports", permission: .reportsManage, use: createRegime)
        web.get("reports", "regimes", ":regimeID", permission: .reportsRead, use: regime)
        web.post("reports", "regimes", ":regimeID", "periods", permission: .reportsManage, use: openPeriod)
        web.post("reports", "regimes", ":regimeID", "outline", permission: .reportsManage, use: updateOutline)
        web.get("reports", "periods", ":periodID", permission: .reportsRead, use: period)
        web.get("reports", "periods", ":periodID", "rollup", ":formCode", permission: .reportsRead, use: rollUp)
        web.post("reports", "periods", ":periodID", "remind", permission: .reportsManage, use: remind)
        web.on(.POST, "reports", "periods", ":periodID", "import", permission: .reportsManage, body: .collect(maxSize: "64mb"), use: importValues)
        web.get("reports", "submissions", ":submissionID", permission: .reportsRead, use: submission)
        web.post("reports", "submissions", ":submissionID", permission: .reportsEdit, use: save)
        web.post("reports", "submissions", ":submissionID", "actions", permission: .reportsRead, use: act)
        web.on(.POST, "reports", "submissions", ":submissionID", "import", permission: .reportsEdit, body: .collect(maxSize: "8mb"), use: importFilledForm)
        web.post("reports", "submissions", ":submissionID", "extension", permission: .reportsManage, use: extend)
    }

    private func id(_ req: Request, _ name: String) throws -> UUID { try req.parameters.require(name, as: UUID.self) }

    private func respond(_ view: View, _ req: Request, status: HTTPStatus) async throws -> Response {
        let r = try await view.encodeResponse(for: req)
        r.status = status
        return r
    }

    // MARK: Regimes

    struct Option: Encodable, Sendable { var value: String; var label: String }

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var regimes: [RegimeDTO]
        var forms: [ReportFormSummaryDTO]
        var kinds: [Option]
        var frequencies: [Option]
        var cutOffs: [Option]
        var deadlineRules: [Option]
        var canManage: Bool
        var errors: FormErrors
    }

    private func renderIndex(_ req: Request, errors: FormErrors = FormErrors(), status: HTTPStatus = .ok) async throws -> Response {
        let service = ReportingService(request: req)
        let view = try await req.view.render("reports/index", IndexPage(
            page: PageContext(req, title: "Báo cáo định kỳ"), regimes: try await service.regimes(), forms: try await service.forms(),
            kinds: [UnitKind.commune, .district, .department].map { Option(value: $0.rawValue, label: $0.labelVI) },
            frequencies: ReportFrequency.allCases.map { Option(value: $0.rawValue, label: $0.labelVI) },
            cutOffs: [CutOffPreset.fifteenthToFourteenth, .calendar, .dayToDay(10)].map { Option(value: $0.code, label: $0.labelVI) },
            deadlineRules: [DeadlineRule.dayOfLastMonth(20), .dayOfLastMonth(15), .workingDaysAfterCutOff(3), .workingDaysAfterCutOff(5)]
                .map { Option(value: $0.code, label: $0.labelVI) },
            canManage: try req.requireUser().policy.allowsSomewhere(.reportsManage), errors: errors))
        return try await respond(view, req, status: status)
    }

    @Sendable func index(req: Request) async throws -> Response { try await renderIndex(req) }

    @Sendable func createRegime(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        func list(_ key: String) -> [String] { (form[key] ?? "").split(whereSeparator: { ", \n".contains($0) }).map(String.init) }
        let kinds = UnitKind.allCases.map(\.rawValue).filter { form["kind.\($0)"] == "1" }
        let frequencies = ReportFrequency.allCases.map(\.rawValue).filter { form["frequency.\($0)"] == "1" }
        let forms = (try await ReportingService(request: req).forms()).map(\.code).filter { form["form.\($0)"] == "1" }
        let input = RegimeInput(code: form["code"] ?? "", name: form["name"] ?? "", content: form["content"],
                                ownerUnitCode: form["ownerUnitCode"] ?? "", receivingUnitCode: form["receivingUnitCode"],
                                unitKinds: kinds, unitCodes: list("unitCodes"), formCodes: forms, frequencies: frequencies,
                                cutOff: form["cutOff"], deadlineRule: form["deadlineRule"], outline: form["outline"])
        do {
            let r = try await ReportingService(request: req).createRegime(input)
            req.flash(.success, "Đã tạo chế độ báo cáo “\(r.name)”.")
            return req.redirect(to: "/reports/regimes/\(r.id)")
        } catch where FormErrors.isFixable(error) {
            return try await renderIndex(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    struct RegimePage: Encodable, Sendable {
        var page: PageContext
        var regime: RegimeDTO
        var frequencies: [Option]
        var canManage: Bool
        var year: Int
        var errors: FormErrors
    }

    private func renderRegime(_ req: Request, errors: FormErrors = FormErrors(), status: HTTPStatus = .ok) async throws -> Response {
        let service = ReportingService(request: req)
        let id = try id(req, "regimeID")
        let r = try await service.regimeDetail(id)
        let model = try await service.regime(id)
        let view = try await req.view.render("reports/regime", RegimePage(
            page: PageContext(req, title: r.name), regime: r,
            frequencies: ReportFrequency.allCases.filter { $0 != .adHoc }.map { Option(value: $0.rawValue, label: $0.labelVI) },
            canManage: try await req.context.holds(.reportsManage, onOwner: model.$ownerUnit.id),
            year: CalendarDay(req.clock.now()).year, errors: errors))
        return try await respond(view, req, status: status)
    }

    @Sendable func regime(req: Request) async throws -> Response { try await renderRegime(req) }

    @Sendable func updateOutline(req: Request) async throws -> Response {
        let input = try req.content.decode(OutlineInput.self)
        do {
            let r = try await ReportingService(request: req).updateOutline(try id(req, "regimeID"), input)
            req.flash(.success, "Đã lưu đề cương (\(VietnameseNumber.format(r.outline.count)) mục); các kỳ báo cáo mở từ nay dùng đề cương này.")
            return req.redirect(to: "/reports/regimes/\(r.id)")
        } catch where FormErrors.isFixable(error) {
            return try await renderRegime(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    @Sendable func openPeriod(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let explicit = !(form["startsOn"] ?? "").isEmpty || !(form["endsOn"] ?? "").isEmpty
        let input = PeriodInput(frequency: form["frequency"], year: form["year"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                index: form["index"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                code: form["code"]?.nilIfEmpty, label: form["label"]?.nilIfEmpty,
                                startsOn: explicit ? form["startsOn"] : nil, endsOn: explicit ? form["endsOn"] : nil,
                                deadline: explicit ? form["deadline"] : nil)
        do {
            let p = try await ReportingService(request: req).openPeriod(try id(req, "regimeID"), input)
            req.flash(.success, "Đã mở kỳ báo cáo “\(p.label)”; các đơn vị báo cáo đã được thông báo.")
            return req.redirect(to: "/reports/periods/\(p.id)")
        } catch where FormErrors.isFixable(error) {
            return try await renderRegime(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    // MARK: A period

    struct PeriodPage: Encodable, Sendable {
        var page: PageContext
        var detail: PeriodDetailDTO
        var chart: String
        var canManage: Bool
        var errors: FormErrors
    }

    private func renderPeriod(_ req: Request, errors: FormErrors = FormErrors(), status: HTTPStatus = .ok) async throws -> Response {
        let d = try await ReportingService(request: req).periodDetail(try id(req, "periodID"))
        let c = d.period.completeness
        let chart = c.map { c in
            SVGChart.distribution(title: "Tình hình nộp báo cáo", bands: [("Đúng hạn", c.onTime, "#2e7d32"), ("Nộp muộn", c.late, "#ef6c00"),
                                                                         ("Chưa nộp", c.missing, "#c62828")])
        } ?? ""
        let canManage = try await req.context.holds(.reportsManage, onOwner: try await ReportingService(request: req).regime(d.regime.id).$ownerUnit.id)
        let view = try await req.view.render("reports/period", PeriodPage(page: PageContext(req, title: d.period.label), detail: d, chart: chart,
                                                                          canManage: canManage, errors: errors))
        return try await respond(view, req, status: status)
    }

    @Sendable func period(req: Request) async throws -> Response { try await renderPeriod(req) }

    struct ImportUpload: Content {
        var formCode: String
        var file: File
        var dryRun: String?
        var version: String?
    }

    /// The DHIS2-shaped data-value file (CSV or XLSX) for every unit of the period.
    @Sendable func importValues(req: Request) async throws -> Response {
        let pid = try id(req, "periodID")
        do {
            let upload = try req.content.decode(ImportUpload.self)
            let dryRun = upload.dryRun != nil
            let r = try await ReportingService(request: req).importValues(pid, form: upload.formCode, csv: Data(buffer: upload.file.data), dryRun: dryRun)
            let text = "\(VietnameseNumber.format(r.rows)) giá trị của \(VietnameseNumber.format(r.updated)) đơn vị"
            req.flash(.success, dryRun ? "Kiểm tra xong, không có lỗi: \(text). Chưa có gì được lưu." : "Đã nhập \(text).")
            return req.redirect(to: "/reports/periods/\(pid)")
        } catch where FormErrors.isFixable(error) {
            return try await renderPeriod(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    @Sendable func remind(req: Request) async throws -> Response {
        let pid = try id(req, "periodID")
        let n = try await ReportingService(request: req).remindMissing(pid)
        req.flash(.success, n == 0 ? "Không có ai cần nhắc (hoặc đã nhắc hôm nay)." : "Đã gửi nhắc nhở tới \(VietnameseNumber.format(n)) người của các đơn vị chưa nộp.")
        return req.redirect(to: "/reports/periods/\(pid)")
    }

    struct RollUpPage: Encodable, Sendable {
        var page: PageContext
        var periodID: UUID
        var rollUp: RollUpDTO
    }

    @Sendable func rollUp(req: Request) async throws -> View {
        let pid = try id(req, "periodID")
        let r = try await ReportingService(request: req).rollUp(pid, form: try req.parameters.require("formCode"),
                                                                row: try? req.query.get(String.self, at: "row"))
        return try await req.view.render("reports/rollup", RollUpPage(page: PageContext(req, title: "Tổng hợp — \(r.formTitle)"),
                                                                      periodID: pid, rollUp: r))
    }

    // MARK: A unit's report

    struct SubmissionPage: Encodable, Sendable {
        var page: PageContext
        var s: SubmissionDTO
        var canEdit: Bool
        var canDecide: Bool
        var canManage: Bool
        var errors: FormErrors
        var seriesChart: String
    }

    private func renderSubmission(_ req: Request, errors: FormErrors = FormErrors(), status: HTTPStatus = .ok) async throws -> Response {
        let service = ReportingService(request: req)
        let sid = try id(req, "submissionID")
        var dto = try await service.submission(sid)
        let model = try await service.submissionModel(sid)
        // A refused save shows what was typed, not what is saved (issue #19).
        if !errors.values.isEmpty {
            for f in dto.forms.indices {
                for r in dto.forms[f].rows.indices {
                    for c in dto.forms[f].rows[r].cells.indices {
                        let cell = dto.forms[f].rows[r].cells[c]
                        if let typed = errors.values["v|\(dto.forms[f].code)|\(cell.key)"] { dto.forms[f].rows[r].cells[c].input = typed }
                    }
                }
                for v in dto.forms[f].violations.indices {
                    if let typed = errors.values["e|\(dto.forms[f].violations[v].key)"] { dto.forms[f].violations[v].explanation = typed }
                }
                for st in dto.forms[f].stated.indices {
                    if let typed = errors.values["s|\(dto.forms[f].code)|\(dto.forms[f].stated[st].key)"] { dto.forms[f].stated[st].value = typed }
                }
            }
            for n in dto.narrative.indices { if let typed = errors.values["n|\(dto.narrative[n].code)"] { dto.narrative[n].text = typed } }
        }
        let mayEdit = try await service.mayEdit(model)
        let view = try await req.view.render("reports/submission", SubmissionPage(
            page: PageContext(req, title: "Báo cáo — \(dto.unitName)"), s: dto,
            canEdit: dto.lock == nil && mayEdit,
            canDecide: try await service.mayDecide(model, regime: model.period.regime),
            canManage: try await req.context.holds(.reportsManage, onOwner: model.period.regime.$ownerUnit.id), errors: errors,
            seriesChart: dto.series.map { SVGChart.series(title: $0.title, points: $0.points.map { ($0.period, $0.value) }) } ?? ""))
        return try await respond(view, req, status: status)
    }

    @Sendable func submission(req: Request) async throws -> Response { try await renderSubmission(req) }

    /// Fields: `v|form|row/column`, `s|form|row/code` (stated figures), `e|form|key` (explanations), `n|section`.
    @Sendable func save(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        var input = SubmissionInput(version: form["version"].flatMap { Int($0) }, values: [:], stated: [:], explanations: [:], narrative: [:])
        for (k, v) in form {
            let parts = k.split(separator: "|", maxSplits: 2).map(String.init)
            switch parts.first {
            case "v" where parts.count == 3: input.values![parts[1], default: [:]][parts[2]] = v
            case "s" where parts.count == 3: input.stated![parts[1], default: [:]][parts[2]] = v
            // `e|form|rule`: the violation's key (it names its form).
            case "e" where parts.count == 3: input.explanations!["\(parts[1])|\(parts[2])"] = v
            case "n" where parts.count == 2: input.narrative![parts[1]] = v
            default: continue
            }
        }
        let sid = try id(req, "submissionID")
        do {
            _ = try await ReportingService(request: req).save(sid, input)
            req.flash(.success, "Đã lưu báo cáo.")
            return req.redirect(to: "/reports/submissions/\(sid)")
        } catch where FormErrors.isFixable(error) {
            return try await renderSubmission(req, errors: FormErrors(error, typed: form), status: FormErrors.status(for: error))
        }
    }

    /// The filled form's own XLSX, back from Excel: replaces that form's figures in this report.
    @Sendable func importFilledForm(req: Request) async throws -> Response {
        let sid = try id(req, "submissionID")
        do {
            let upload = try req.content.decode(ImportUpload.self)
            let dryRun = upload.dryRun != nil
            let r = try await ReportingService(request: req).importFilledForm(sid, form: upload.formCode, data: Data(buffer: upload.file.data),
                                                                             version: upload.version.flatMap { Int($0) }, dryRun: dryRun)
            let text = "\(VietnameseNumber.format(r.values)) ô có số liệu, \(VietnameseNumber.format(r.changed)) ô thay đổi"
            req.flash(.success, dryRun ? "Kiểm tra tệp xong, không có lỗi: \(text). Chưa có gì được lưu." : "Đã nhập biểu từ tệp: \(text).")
            return req.redirect(to: "/reports/submissions/\(sid)")
        } catch where FormErrors.isFixable(error) {
            return try await renderSubmission(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    @Sendable func act(req: Request) async throws -> Response {
        let input = try req.content.decode(SubmissionActionInput.self)
        let sid = try id(req, "submissionID")
        do {
            let s = try await ReportingService(request: req).act(sid, input)
            req.flash(.success, "Báo cáo của \(s.unitName): \(s.stateLabel).")
            return req.redirect(to: "/reports/submissions/\(sid)")
        } catch where FormErrors.isFixable(error) {
            return try await renderSubmission(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    @Sendable func extend(req: Request) async throws -> Response {
        let input = try req.content.decode(ExtensionInput.self)
        let sid = try id(req, "submissionID")
        do {
            let s = try await ReportingService(request: req).extend(sid, input)
            req.flash(.success, "Đã gia hạn nộp báo cáo cho \(s.unitName) đến hết ngày \(s.deadline).")
            return req.redirect(to: "/reports/submissions/\(sid)")
        } catch where FormErrors.isFixable(error) {
            return try await renderSubmission(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }
}
