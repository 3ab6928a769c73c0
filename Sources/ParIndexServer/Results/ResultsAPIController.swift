import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Live results, publication and its versions through `/api/v1`, and the public results.
struct ResultsAPIController {
    func register(_ api: GuardedRoutes) {
        let c = api.grouped("campaigns", ":campaignID")
        c.get("results", permission: .resultsRead, use: results)
        c.get("results", "versions", permission: .resultsRead, use: versions)
        c.post("publish", permission: .resultsPublish, use: publish)
        api.get("public", "campaigns", permission: .anonymous, use: publicList)
        api.get("public", "campaigns", ":campaignID", permission: .anonymous, use: publicResults)
    }

    private func campaignID(_ req: Request) throws -> UUID { try req.parameters.require("campaignID", as: UUID.self) }

    /// Live results: a unit-scoped reader gets their units' rows only.
    @Sendable func results(req: Request) async throws -> PublishedResults {
        let c = try await CampaignService(request: req).find(try campaignID(req))
        return try await req.campaignResults(of: c) { try await ResultsService(request: req).compute(c) }
    }

    @Sendable func versions(req: Request) async throws -> [PublishedResults] {
        try await req.requireVisible(try await CampaignService(request: req).find(try campaignID(req)), unitPermission: .resultsRead)
        return try await ResultsService(request: req).snapshots(try campaignID(req))
    }

    struct PublishInput: Content { var reason: String? }

    @Sendable func publish(req: Request) async throws -> PublishedResults {
        let body = try req.decodeOptionalBody(PublishInput.self, or: PublishInput())
        try await req.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(try campaignID(req)))
        return try await ResultsService(request: req).publish(try campaignID(req), reason: body.reason)
    }

    struct PublicCampaign: Content { var id: UUID; var name: String; var year: Int; var version: Int; var publishedAt: String }

    @Sendable func publicList(req: Request) async throws -> [PublicCampaign] {
        try await PublicResults.list(req)
    }

    /// JSON, or `?format=xlsx` / `?format=csv` for the ranking as a file.
    @Sendable func publicResults(req: Request) async throws -> Response {
        guard let r = try await ResultsService(request: req).latestSnapshot(try campaignID(req)) else {
            throw AppError.notFound(entity: "kết quả đã công bố")
        }
        if let file = try RankingExport.response(r, format: try req.formatParameter(["xlsx", "csv"])) { return file }
        return try await r.encodeResponse(for: req)
    }
}

enum PublicResults {
    /// Campaigns with at least one published snapshot, newest first.
    static func list(_ req: Request) async throws -> [ResultsAPIController.PublicCampaign] {
        let snaps = try await ResultSnapshotModel.query(on: req.db).with(\.$campaign).sort(\.$version, .descending).all()
        var seen: Set<UUID> = []
        var out: [ResultsAPIController.PublicCampaign] = []
        for s in snaps where seen.insert(s.$campaign.id).inserted {
            out.append(.init(id: s.$campaign.id, name: s.campaign.name, year: s.campaign.year, version: s.version,
                             publishedAt: VietnameseDate.formatDateTime(s.publishedAt)))
        }
        return out.sorted { ($0.year, $0.name) > ($1.year, $1.name) }
    }
}
