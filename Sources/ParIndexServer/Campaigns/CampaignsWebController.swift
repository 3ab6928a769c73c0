import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Campaign and self-assessment pages. Every form works without JavaScript.
struct CampaignsWebController {
    func register(_ web: GuardedRoutes) {
        web.get("campaigns", permission: .assessmentsRead, use: index)
        web.post("campaigns", permission: .campaignsManage, use: create)
        web.get("campaigns", ":campaignID", permission: .assessmentsRead, use: show)
        web.post("campaigns", ":campaignID", "reopen", permission: .campaignsManage, use: reopen)
        web.post("campaigns", ":campaignID", "schedule", permission: .campaignsManage, use: schedule)
        web.post("campaigns", ":campaignID", "results-rules", permission: .campaignsManage, use: resultsRules)
        web.get("assessments", ":assessmentID", permission: .assessmentsRead, use: grid)
        web.get("assessments", ":assessmentID", "report", permission: .assessmentsRead, use: report)
        web.post("assessments", ":assessmentID", "entries", ":leafCode", permission: .assessmentsEdit, use: saveEntry)
        web.post("assessments", ":assessmentID", "approve", permission: .assessmentsApprove, use: approve)
        web.post("assessments", ":assessmentID", "submit", permission: .assessmentsEdit, use: submit)
        web.on(.POST, "assessments", ":assessmentID", "evidence", permission: .assessmentsEdit,
               body: .stream, use: upload)
        web.get("evidence", ":documentID", "download", permission: .assessmentsRead, use: download)
    }

    struct Option: Encodable, Sendable { var value: String; var label: String }

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var campaigns: [CampaignDTO]
        var canManage: Bool
        var frameworks: [Option]
        var phases: [PhaseWindowDTO]
        var errors: FormErrors
    }

    private func renderIndex(_ req: Request, errors: FormErrors = FormErrors()) async throws -> View {
        let published = try await FrameworkVersionModel.query(on: req.db).filter(\.$status == "published").sort(\.$year, .descending).all()
        return try await req.view.render("campaigns/index", IndexPage(
            page: PageContext(req, title: "Đợt đánh giá"), campaigns: try await CampaignService(request: req).list(),
            canManage: try req.requireUser().policy.allowsSomewhere(.campaignsManage),
            frameworks: published.map { Option(value: $0.id!.uuidString, label: "\($0.title) — \($0.year) (\($0.version))") },
            phases: Self.typedPhases(errors, stored: { _ in nil }), errors: errors))
    }

    @Sendable func index(req: Request) async throws -> View { try await renderIndex(req) }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        var windows: [String: CampaignInput.WindowInput] = [:]
        for p in CampaignPhase.allCases {
            windows[p.rawValue] = .init(from: form["\(p.rawValue).from"], to: form["\(p.rawValue).to"])
        }
        let input = CampaignInput(name: form["name"] ?? "", year: form["year"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                  frameworkId: form["frameworkId"].flatMap(UUID.init(uuidString:)),
                                  previousCampaignId: form["previousCampaignId"].flatMap(UUID.init(uuidString:)),
                                  ownerUnitCode: form["ownerUnitCode"]?.nilIfEmpty,
                                  unitCodes: form["unitCodes"].map { $0.split(whereSeparator: { ", \n".contains($0) }).map(String.init) },
                                  windows: windows, reason: form["reason"],
                                  copyFromCampaignId: form["copyFromCampaignId"].flatMap(UUID.init(uuidString:)),
                                  unsubmittedPolicy: form["unsubmittedPolicy"])
        do {
            let c = try await CampaignService(request: req).create(input)
            req.flash(.success, "Đã tạo đợt đánh giá “\(c.name)”.")
            return req.redirect(to: "/campaigns/\(c.id!)")
        } catch where FormErrors.isUserError(error) {
            let r = try await renderIndex(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = .unprocessableEntity
            return r
        }
    }

    struct ShowPage: Encodable, Sendable {
        var page: PageContext
        var campaign: CampaignDTO
        /// Every phase with its current dates (empty when not scheduled), for the edit form.
        var phases: [PhaseWindowDTO]
        var unsubmittedPolicy: String
        var canManage: Bool
        var errors: FormErrors
    }

    /// Every phase with the dates typed into the schedule form when it comes back with an
    /// error, else with `stored` (the campaign's, or none).
    private static func typedPhases(_ errors: FormErrors, stored: (CampaignPhase) -> PhaseWindowDTO?) -> [PhaseWindowDTO] {
        CampaignPhase.allCases.map { p in
            if !errors.values.isEmpty, errors.form == nil || errors.form == "schedule" {
                return PhaseWindowDTO(phase: p.rawValue, label: p.labelVI, from: errors.values["\(p.rawValue).from"] ?? "",
                                      to: errors.values["\(p.rawValue).to"] ?? "")
            }
            return stored(p) ?? PhaseWindowDTO(phase: p.rawValue, label: p.labelVI, from: "", to: "")
        }
    }

    private func renderShow(_ req: Request, errors: FormErrors = FormErrors()) async throws -> View {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let c = try await CampaignService(request: req).detail(id)
        let model = try await CampaignService(request: req).find(id)
        let phases = Self.typedPhases(errors, stored: { p in c.windows.first { $0.phase == p.rawValue } })
        let stored = c.unsubmittedPolicy ?? "exclude"
        let policy = errors.form == "schedule" ? errors.values["unsubmittedPolicy"] ?? stored : stored
        return try await req.view.render("campaigns/show", ShowPage(page: PageContext(req, title: c.name), campaign: c, phases: phases,
                                                                     unsubmittedPolicy: policy,
                                                                     canManage: try await req.context.holds(.campaignsManage, onCampaign: model),
                                                                     errors: errors))
    }

    @Sendable func show(req: Request) async throws -> View { try await renderShow(req) }

    @Sendable func reopen(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        do {
            _ = try await CampaignService(request: req).reopen(id, try req.content.decode(ReopenInput.self))
            req.flash(.success, "Đã mở lại việc tự đánh giá cho đơn vị.")
            return req.redirect(to: "/campaigns/\(id)")
        } catch where FormErrors.isUserError(error) {
            let r = try await renderShow(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = .unprocessableEntity
            return r
        }
    }

    @Sendable func schedule(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let form = try req.content.decode([String: String].self)
        var windows: [String: CampaignInput.WindowInput] = [:]
        for p in CampaignPhase.allCases {
            windows[p.rawValue] = .init(from: form["\(p.rawValue).from"], to: form["\(p.rawValue).to"])
        }
        do {
            _ = try await CampaignService(request: req).updateSchedule(id, ScheduleInput(windows: windows, reason: form["reason"],
                                                                                                 unsubmittedPolicy: form["unsubmittedPolicy"]))
            req.flash(.success, "Đã cập nhật lịch các giai đoạn.")
            return req.redirect(to: "/campaigns/\(id)")
        } catch where FormErrors.isUserError(error) {
            let r = try await renderShow(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = .unprocessableEntity
            return r
        }
    }

    /// The campaign's own results rules (issue #12), before publication.
    @Sendable func resultsRules(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let form = try req.content.decode([String: String].self)
        do {
            _ = try await CampaignService(request: req).updateResultsRules(id, ResultsRulesInput(rules: form["rules"] ?? "", reason: form["reason"]))
            req.flash(.success, (form["rules"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                      ? "Đợt đánh giá dùng lại quy tắc kết quả của bộ chỉ số." : "Đã lưu quy tắc kết quả riêng của đợt đánh giá.")
            return req.redirect(to: "/campaigns/\(id)")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderShow(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    struct GridPage: Encodable, Sendable {
        var page: PageContext
        var grid: AssessmentGridDTO
        var canEdit: Bool
        /// Evidence may be added while editing, or in the explanation window.
        var canUpload: Bool
        var canApprove: Bool
        var errors: FormErrors
        var errorLeaf: String?
    }

    private func renderGrid(_ req: Request, errors: FormErrors = FormErrors(), errorLeaf: String? = nil,
                            status: HTTPStatus = .ok) async throws -> Response {
        let a = try await AssessmentAccess.load(req, try req.parameters.require("assessmentID", as: UUID.self), .assessmentsRead)
        var grid = try await AssessmentService(request: req).grid(a)
        if let errorLeaf, !errors.values.isEmpty { grid.keepTyped(errors.values, leaf: errorLeaf) }
        let p = try req.requireUser().policy
        let ancestors = try await UnitTree.ancestors(of: a.$unit.id, on: req.db)
        let mayEdit = p.allows(.assessmentsEdit, on: a.$unit.id, ancestors: ancestors)
        let page = GridPage(page: PageContext(req, title: "Tự đánh giá — \(grid.unitName)"), grid: grid,
                            canEdit: grid.isOpen && mayEdit, canUpload: (grid.isOpen || grid.explanationOpen) && mayEdit,
                            canApprove: grid.isOpen && p.allows(.assessmentsApprove, on: a.$unit.id, ancestors: ancestors),
                            errors: errors, errorLeaf: errorLeaf)
        let r = try await req.view.render("campaigns/assessment", page).encodeResponse(for: req)
        r.status = status
        return r
    }

    @Sendable func grid(req: Request) async throws -> Response { try await renderGrid(req) }

    @Sendable func report(req: Request) async throws -> Response {
        let a = try await AssessmentAccess.load(req, try req.parameters.require("assessmentID", as: UUID.self), .assessmentsRead)
        return try AssessmentReport.response(try await AssessmentService(request: req).grid(a),
                                             format: try req.formatParameter(["xlsx", "csv"], default: "xlsx"))
    }

    @Sendable func saveEntry(req: Request) async throws -> Response {
        let id = try req.parameters.require("assessmentID", as: UUID.self)
        let code = try req.parameters.require("leafCode")
        let a = try await AssessmentAccess.load(req, id, .assessmentsEdit)
        var fields = try req.decodeBody([String: String].self)
        fields["_csrf"] = nil
        // Only the clear button (`clear=1`) empties the criterion; blank inputs keep what is saved.
        let body = EntryInput(fields: fields, clear: fields["clear"] == "1", explanation: fields["explanation"],
                              note: fields["note"], version: fields["version"].flatMap { Int($0) })
        do {
            _ = try await AssessmentService(request: req).save(a, leafCode: code, body)
            req.flash(.success, "Đã lưu tiêu chí \(code).")
            return req.redirect(to: "/assessments/\(id)#leaf-\(code)")
        } catch where FormErrors.isFixable(error) {
            return try await renderGrid(req, errors: FormErrors(error, typed: fields), errorLeaf: code, status: FormErrors.status(for: error))
        }
    }

    @Sendable func approve(req: Request) async throws -> Response { try await transition(req, .approve, .assessmentsApprove) }
    @Sendable func submit(req: Request) async throws -> Response { try await transition(req, .submit, .assessmentsEdit) }

    private func transition(_ req: Request, _ action: AssessmentAction, _ permission: Permission) async throws -> Response {
        let id = try req.parameters.require("assessmentID", as: UUID.self)
        let a = try await AssessmentAccess.load(req, id, permission)
        let body = try req.decodeOptionalBody(TransitionInput.self, or: TransitionInput())
        do {
            _ = try await AssessmentService(request: req).transition(a, action, body)
            req.flash(.success, action == .approve ? "Thủ trưởng đã duyệt bản tự đánh giá." : "Đã gửi bản tự đánh giá. Bản này đã được khóa.")
            return req.redirect(to: "/assessments/\(id)")
        } catch where FormErrors.isFixable(error) {
            return try await renderGrid(req, errors: FormErrors(error), status: FormErrors.status(for: error))
        }
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let id = try req.parameters.require("assessmentID", as: UUID.self)
        let a = try await AssessmentAccess.load(req, id, .assessmentsEdit)
        try await req.collectEvidenceUpload()
        let form = try req.content.decode(EvidenceForm.self)
        do {
            let d = try await EvidenceService(request: req).upload(a, form.upload)
            req.flash(.success, "Đã tải lên tài liệu \(d.documentNumber).")
            return req.redirect(to: "/assessments/\(id)#evidence")
        } catch where FormErrors.isFixable(error) {
            let typed = ["documentNumber": form.documentNumber, "documentDate": form.documentDate, "issuer": form.issuer,
                         "title": form.title, "leafCodes": form.leafCodes, "replaces": form.replaces]
            return try await renderGrid(req, errors: FormErrors(error, typed: typed.compactMapValues { $0 }), errorLeaf: "evidence",
                                        status: FormErrors.status(for: error))
        }
    }

    @Sendable func download(req: Request) async throws -> Response {
        let (doc, data) = try await EvidenceService(request: req).download(try req.parameters.require("documentID", as: UUID.self))
        return EvidenceForm.fileResponse(doc, data)
    }
}
