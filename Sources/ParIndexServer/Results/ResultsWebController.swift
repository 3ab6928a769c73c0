import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The live results and publication pages, the published versions, and the public results (no login).
struct ResultsWebController {
    func register(_ web: GuardedRoutes) {
        web.get("campaigns", ":campaignID", "results", permission: .resultsRead, use: results)
        web.get("campaigns", ":campaignID", "results", "versions", ":version", permission: .resultsRead, use: version)
        web.post("campaigns", ":campaignID", "publish", permission: .resultsPublish, use: publish)
        web.post("campaigns", ":campaignID", "corrections", permission: .resultsPublish, use: openCorrection)
        web.get("public", permission: .anonymous, use: publicIndex)
        web.get("public", "campaigns", ":campaignID", permission: .anonymous, use: publicResults)
    }

    struct CorrectionInfo: Encodable, Sendable {
        var reason: String
        var openedBy: String
        var openedAt: String
    }

    struct ResultsPage: Encodable, Sendable {
        var page: PageContext
        var results: ResultsView
        var versions: [ResultsVersionDTO]
        var canPublish: Bool
        var live: Bool
        var errors: FormErrors
        /// Inline SVG: the ranking as bars and the units per band.
        var rankingChart: String
        var bandChart: String
        /// Where a unit's name leads: its score sheet (staff, live) or its public score sheet;
        /// empty for an earlier version (its sheets are not the public ones).
        var unitLinkBase: String
        /// On a published page: the year whose annual report can be downloaded.
        var reportYear: Int?
        /// The campaign has a published version (a publication is then a republication).
        var published: Bool = false
        var correction: CorrectionInfo?
        /// Units listed as "chưa nộp", out of the ranking.
        var unrankedCount: Int

        init(page: PageContext, results r: PublishedResults, versions: [ResultsVersionDTO], canPublish: Bool, live: Bool, errors: FormErrors,
             latest: Bool = true) {
            self.page = page
            self.results = ResultsView(r)
            self.versions = versions
            self.canPublish = canPublish
            self.live = live
            self.errors = errors
            let ranked = r.units.filter(\.ranked)
            self.unrankedCount = r.units.count - ranked.count
            self.rankingChart = SVGChart.ranking(title: "Chỉ số CCHC (%)", items: ranked.map { (label: $0.unitName, percent: $0.indexPercent) })
            self.bandChart = SVGChart.distribution(title: "Số đơn vị theo nhóm", bands: r.publishedBands.map { b in
                (label: b.label, count: ranked.filter { $0.band == b.label }.count, colour: b.colour)
            })
            self.unitLinkBase = !latest ? "" : live ? "/campaigns/\(r.campaignId)/units/" : "/public/campaigns/\(r.campaignId)/units/"
        }
    }

    struct ConfirmPage: Encodable, Sendable {
        var page: PageContext
        var campaignName: String
        var preview: PublicationPreviewDTO
        var reason: String
        /// Shown when the confirmation sent no longer matched.
        var warning: String?
        var rankChangeCount: Int { preview.rankChanges.count }

        enum CodingKeys: String, CodingKey { case page, campaignName, preview, reason, warning, rankChangeCount }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(page, forKey: .page)
            try c.encode(campaignName, forKey: .campaignName)
            try c.encode(preview, forKey: .preview)
            try c.encode(reason, forKey: .reason)
            try c.encodeIfPresent(warning, forKey: .warning)
            try c.encode(rankChangeCount, forKey: .rankChangeCount)
        }
    }

    @Sendable func results(req: Request) async throws -> View {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        return try await renderResults(req, id, errors: FormErrors())
    }

    private func renderResults(_ req: Request, _ id: UUID, errors: FormErrors) async throws -> View {
        let campaign = try await CampaignService(request: req).find(id)
        let service = ResultsService(request: req)
        let live = try await req.context.campaignResults(of: campaign) { try await service.compute(campaign) }
        let canPublish = try await req.context.holds(.resultsPublish, onCampaign: campaign)
        var page = ResultsPage(page: PageContext(req, title: "Kết quả — \(campaign.name)"), results: live,
                               versions: try await service.versions(id), canPublish: canPublish, live: true, errors: errors)
        page.published = !page.versions.isEmpty
        page.correction = try await ResultCorrectionModel.open(id, on: req.db).map {
            .init(reason: $0.reason, openedBy: $0.openedBy, openedAt: VietnameseDate.formatDateTime($0.openedAt))
        }
        return try await req.view.render("campaigns/results", page)
    }

    /// One published version, as it was published (coordinators and everyone who reads results).
    @Sendable func version(req: Request) async throws -> View {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let n = try req.parameters.require("version", as: Int.self)
        try await req.context.requireVisible(try await CampaignService(request: req).find(id), unitPermission: .resultsRead)
        let service = ResultsService(request: req)
        let r = try await req.context.visibleResults(try await service.snapshot(id, version: n))
        let versions = try await service.versions(id)
        var page = ResultsPage(page: PageContext(req, title: "\(r.campaignName) — phiên bản \(n)"), results: r, versions: versions,
                               canPublish: false, live: false, errors: FormErrors(), latest: versions.first?.version == n)
        page.published = true
        return try await req.view.render("campaigns/results", page)
    }

    /// Without `confirmation`: the confirmation page (what would go out). With it: the publication,
    /// or — when the data changed since — the confirmation page again with the current figures (409).
    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        let confirmation = try req.optionalBodyField("confirmation")
        try await req.context.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(id))
        let service = ResultsService(request: req)
        func confirmPage(warning: String?, status: HTTPStatus) async throws -> Response {
            let preview = try await service.preview(id)
            if let refusal = preview.refusal {
                let r = try await renderResults(req, id, errors: FormErrors(AppError.conflict(refusal.message))).encodeResponse(for: req)
                r.status = .conflict
                return r
            }
            let campaign = try await CampaignService(request: req).find(id)
            let r = try await req.view.render("campaigns/publish-confirm", ConfirmPage(
                page: PageContext(req, title: "Xác nhận công bố — \(campaign.name)"), campaignName: campaign.name, preview: preview,
                reason: reason ?? "", warning: warning)).encodeResponse(for: req)
            r.status = status
            return r
        }
        guard let confirmation, !confirmation.isEmpty else { return try await confirmPage(warning: nil, status: .ok) }
        do {
            let r = try await service.publish(id, reason: reason, confirmation: .token(confirmation))
            req.flash(.success, "Đã công bố kết quả (phiên bản \(r.version ?? 1)).")
            return req.redirect(to: "/public/campaigns/\(id)")
        } catch let error as AppError where error.code == AppError.publicationNotConfirmed("").code {
            return try await confirmPage(warning: error.messageVI, status: .conflict)
        } catch where FormErrors.isFixable(error) {
            let r = try await renderResults(req, id, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    @Sendable func openCorrection(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        try await req.context.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(id))
        do {
            _ = try await ResultsService(request: req).openCorrection(id, reason: reason)
            req.flash(.success, "Đã mở hiệu chỉnh kết quả. Hội đồng và thẩm định viên sửa kết quả thẩm định, rồi công bố lại (ghi lý do).")
            return req.redirect(to: "/campaigns/\(id)/results")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderResults(req, id, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    struct PublicIndexPage: Encodable, Sendable {
        var page: PageContext
        var campaigns: [ResultsAPIController.PublicCampaign]
        /// Years with published results: each has its annual report.
        var years: [Int]
    }

    @Sendable func publicIndex(req: Request) async throws -> View {
        let campaigns = try await PublicResults.list(req)
        return try await req.view.render("public/index", PublicIndexPage(page: PageContext(req, title: "Kết quả Chỉ số CCHC"),
                                                                         campaigns: campaigns,
                                                                         years: Array(Set(campaigns.map(\.year))).sorted(by: >)))
    }

    /// The published ranking (the latest snapshot only); `?format=xlsx` or `?format=csv` downloads it.
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
