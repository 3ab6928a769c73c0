import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Appraisal queue, results and publication pages, and the public results (no login).
struct AppraisalWebController {
    func register(_ web: GuardedRoutes) {
        web.get("campaigns", ":campaignID", "appraisal", permission: .appraisalsRead, use: queue)
        web.post("campaigns", ":campaignID", "appraisers", permission: .campaignsManage, use: assign)
        web.post("assessments", ":assessmentID", "appraisals", ":leafCode", permission: .appraisalsWrite, use: appraise)
        web.post("assessments", ":assessmentID", "explanations", ":leafCode", permission: .assessmentsEdit, use: explain)
        web.get("campaigns", ":campaignID", "results", permission: .resultsRead, use: results)
        web.post("campaigns", ":campaignID", "publish", permission: .resultsPublish, use: publish)
        web.get("public", permission: .anonymous, use: publicIndex)
        web.get("public", "campaigns", ":campaignID", permission: .anonymous, use: publicResults)
    }

    struct Option: Encodable, Sendable { var value: String; var label: String; var selected: Bool }

    struct QueuePage: Encodable, Sendable {
        var page: PageContext
        var campaign: CampaignDTO
        var rows: [AppraisalRowDTO]
        var units: [Option]
        var unit: String
        var stages: [Option]
        var assignments: [AppraiserAssignmentDTO]
        var canAssign: Bool
        var errors: FormErrors
        var errorLeaf: String?
    }

    private func renderQueue(_ req: Request, errors: FormErrors = FormErrors(), errorLeaf: String? = nil,
                             status: HTTPStatus = .ok) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let campaign = try await CampaignService(request: req).detail(id)
        let submitted = (campaign.assessments ?? []).filter { $0.status == AssessmentStatus.submitted.rawValue }
        let unit = (try? req.query.get(String.self, at: "unit")) ?? submitted.first?.unitCode ?? ""
        let rows = unit.isEmpty ? [] : try await AppraisalService(request: req).queue(id, unitCode: unit)
        let page = QueuePage(
            page: PageContext(req, title: "Thẩm định — \(campaign.name)"), campaign: campaign, rows: rows,
            units: submitted.map { Option(value: $0.unitCode, label: $0.unitName, selected: $0.unitCode == unit) }, unit: unit,
            stages: AppraisalStage.allCases.map { Option(value: $0.rawValue, label: $0.labelVI, selected: false) },
            assignments: try await AppraisalService(request: req).assignments(id),
            canAssign: try req.requireUser().policy.allowsSomewhere(.campaignsManage), errors: errors, errorLeaf: errorLeaf)
        let r = try await req.view.render("campaigns/appraisal", page).encodeResponse(for: req)
        r.status = status
        return r
    }

    @Sendable func queue(req: Request) async throws -> Response { try await renderQueue(req) }

    private func fixable(_ error: any Error) -> Bool {
        FormErrors.isUserError(error) || error is ScheduleError || error is AppraisalError || error is AssessmentWorkflowError
            || (error as? AppError)?.code == AppError.alreadyExplained(leaf: "").code
    }

    private func status(_ error: any Error) -> HTTPStatus {
        if let e = error as? AppError { return e.status }
        if let e = error as? any DomainError { return ProblemDetails.status(for: e) }
        return .unprocessableEntity
    }

    @Sendable func assign(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        do {
            _ = try await AppraisalService(request: req).assign(id, try req.content.decode(AssignAppraiserInput.self))
            req.flash(.success, "Đã phân công thẩm định.")
            return req.redirect(to: "/campaigns/\(id)/appraisal")
        } catch where fixable(error) {
            return try await renderQueue(req, errors: FormErrors(error), status: status(error))
        }
    }

    @Sendable func appraise(req: Request) async throws -> Response {
        let aid = try req.parameters.require("assessmentID", as: UUID.self)
        let code = try req.parameters.require("leafCode")
        let a = try await AssessmentAccess.load(req, aid, .appraisalsWrite)
        var fields = try req.content.decode([String: String].self)
        fields["_csrf"] = nil
        let body = AppraisalInput(stage: fields["stage"] ?? "", fields: fields, reason: fields["reason"],
                                  version: fields["version"].flatMap { Int($0) })
        let back = "/campaigns/\(a.$campaign.id)/appraisal?unit=\(a.unit.code)"
        do {
            _ = try await AppraisalService(request: req).appraise(a, leafCode: code, body)
            req.flash(.success, "Đã lưu kết quả thẩm định tiêu chí \(code) của \(a.unit.name).")
            return req.redirect(to: back + "#leaf-\(code)")
        } catch where fixable(error) {
            req.parameters.set("campaignID", to: a.$campaign.id.uuidString)
            req.url.query = "unit=\(a.unit.code)"
            return try await renderQueue(req, errors: FormErrors(error), errorLeaf: code, status: status(error))
        }
    }

    @Sendable func explain(req: Request) async throws -> Response {
        let aid = try req.parameters.require("assessmentID", as: UUID.self)
        let code = try req.parameters.require("leafCode")
        let a = try await AssessmentAccess.load(req, aid, .assessmentsEdit)
        let text = (try req.optionalBodyField("text")) ?? ""
        do {
            _ = try await AppraisalService(request: req).explain(a, leafCode: code, ExplanationInput(text: text))
            req.flash(.success, "Đã gửi giải trình cho tiêu chí \(code).")
        } catch where fixable(error) {
            let e = FormErrors(error)
            req.flash(.danger, "Tiêu chí \(code): " + ([e.summary ?? ""] + e.list).joined(separator: " "))
        }
        return req.redirect(to: "/assessments/\(aid)#leaf-\(code)")
    }

    struct ResultsPage: Encodable, Sendable {
        var page: PageContext
        var results: PublishedResults
        var versions: [PublishedResults]
        var canPublish: Bool
        var live: Bool
        var errors: FormErrors
        /// Inline SVG: the ranking as bars and the units per band.
        var rankingChart: String
        var bandChart: String
        /// Where a unit's name leads: its score sheet (staff, live) or its public score sheet.
        var unitLinkBase: String
        /// On a published page: the year whose annual report can be downloaded.
        var reportYear: Int?

        init(page: PageContext, results: PublishedResults, versions: [PublishedResults], canPublish: Bool, live: Bool, errors: FormErrors) {
            self.page = page
            self.results = results
            self.versions = versions
            self.canPublish = canPublish
            self.live = live
            self.errors = errors
            self.rankingChart = SVGChart.ranking(title: "Chỉ số CCHC (%)", items: results.units.map { (label: $0.unitName, percent: $0.indexPercent) })
            let bands = ResultsConfiguration.seed004.bands.bands
            self.bandChart = SVGChart.distribution(title: "Số đơn vị theo nhóm", bands: bands.map { b in
                (label: b.label, count: results.units.filter { $0.band == b.label }.count, colour: SVGChart.colour(forPercent: b.minPercent))
            })
            self.unitLinkBase = live ? "/campaigns/\(results.campaignId)/units/" : "/public/campaigns/\(results.campaignId)/units/"
        }
    }

    @Sendable func results(req: Request) async throws -> View {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        return try await renderResults(req, id, errors: FormErrors())
    }

    private func renderResults(_ req: Request, _ id: UUID, errors: FormErrors) async throws -> View {
        let campaign = try await CampaignService(request: req).find(id)
        let live = try await req.visibleResults(try await ResultsService(request: req).compute(campaign))
        var canPublish = try req.requireUser().policy.allowsSomewhere(.resultsPublish)
        if canPublish {
            do { try await req.requirePermission(.resultsPublish, onEveryUnitOf: [id], what: "Việc công bố kết quả") } catch { canPublish = false }
        }
        return try await req.view.render("campaigns/results", ResultsPage(
            page: PageContext(req, title: "Kết quả — \(campaign.name)"), results: live,
            versions: try await ResultsService(request: req).snapshots(id),
            canPublish: canPublish, live: true, errors: errors))
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        try await req.requirePermission(.resultsPublish, onEveryUnitOf: [id], what: "Việc công bố kết quả")
        do {
            let r = try await ResultsService(request: req).publish(id, reason: reason)
            req.flash(.success, "Đã công bố kết quả (phiên bản \(r.version ?? 1)).")
            return req.redirect(to: "/public/campaigns/\(id)")
        } catch where fixable(error) {
            let r = try await renderResults(req, id, errors: FormErrors(error)).encodeResponse(for: req)
            r.status = status(error)
            return r
        }
    }

    struct PublicIndexPage: Encodable, Sendable {
        var page: PageContext
        var campaigns: [AppraisalAPIController.PublicCampaign]
        /// Years with published results: each has its annual report.
        var years: [Int]
    }

    @Sendable func publicIndex(req: Request) async throws -> View {
        let campaigns = try await PublicResults.list(req)
        return try await req.view.render("public/index", PublicIndexPage(page: PageContext(req, title: "Kết quả Chỉ số CCHC"),
                                                                         campaigns: campaigns,
                                                                         years: Array(Set(campaigns.map(\.year))).sorted(by: >)))
    }

    /// The published ranking; `?format=xlsx` or `?format=csv` downloads it.
    @Sendable func publicResults(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        guard let r = try await ResultsService(request: req).latestSnapshot(id) else {
            throw AppError.notFound(entity: "kết quả đã công bố của đợt đánh giá này")
        }
        if let file = try RankingExport.response(r, format: try req.formatParameter(["xlsx", "csv"])) { return file }
        var page = ResultsPage(page: PageContext(req, title: r.campaignName), results: r, versions: [], canPublish: false, live: false,
                               errors: FormErrors())
        page.reportYear = try await CampaignModel.find(id, on: req.db)?.year
        return try await req.view.render("campaigns/results", page).encodeResponse(for: req)
    }
}
