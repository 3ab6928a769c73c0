import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The live results and publication pages, and the public results (no login).
struct ResultsWebController {
    func register(_ web: GuardedRoutes) {
        web.get("campaigns", ":campaignID", "results", permission: .resultsRead, use: results)
        web.post("campaigns", ":campaignID", "publish", permission: .resultsPublish, use: publish)
        web.get("public", permission: .anonymous, use: publicIndex)
        web.get("public", "campaigns", ":campaignID", permission: .anonymous, use: publicResults)
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
        let live = try await req.campaignResults(of: campaign) { try await ResultsService(request: req).compute(campaign) }
        let canPublish = try await req.holds(.resultsPublish, onCampaign: campaign)
        return try await req.view.render("campaigns/results", ResultsPage(
            page: PageContext(req, title: "Kết quả — \(campaign.name)"), results: live,
            versions: try await ResultsService(request: req).snapshots(id),
            canPublish: canPublish, live: true, errors: errors))
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        try await req.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(id))
        do {
            let r = try await ResultsService(request: req).publish(id, reason: reason)
            req.flash(.success, "Đã công bố kết quả (phiên bản \(r.version ?? 1)).")
            return req.redirect(to: "/public/campaigns/\(id)")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderResults(req, id, errors: FormErrors(error)).encodeResponse(for: req)
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
