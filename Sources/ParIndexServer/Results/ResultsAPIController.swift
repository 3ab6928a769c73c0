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
        c.get("results", "versions", ":version", permission: .resultsRead, use: version)
        c.get("publish", "preview", permission: .resultsPublish, use: preview)
        c.post("publish", permission: .resultsPublish, use: publish)
        c.post("corrections", permission: .resultsPublish, use: openCorrection)
        api.get("public", "campaigns", permission: .anonymous, use: publicList)
        api.get("public", "campaigns", ":campaignID", permission: .anonymous, use: publicResults)
    }

    private func campaignID(_ req: Request) throws -> UUID { try req.parameters.require("campaignID", as: UUID.self) }

    /// Live results: a unit-scoped reader gets their units' rows only.
    @Sendable func results(req: Request) async throws -> ResultsView {
        let c = try await CampaignService(request: req).find(try campaignID(req))
        return ResultsView(try await req.context.campaignResults(of: c) { try await ResultsService(request: req).compute(c) })
    }

    /// Every published version, newest first (coordinators read any of them).
    @Sendable func versions(req: Request) async throws -> [ResultsVersionDTO] {
        try await req.context.requireVisible(try await CampaignService(request: req).find(try campaignID(req)), unitPermission: .resultsRead)
        return try await ResultsService(request: req).versions(try campaignID(req))
    }

    @Sendable func version(req: Request) async throws -> ResultsView {
        let n = try req.parameters.require("version", as: Int.self)
        try await req.context.requireVisible(try await CampaignService(request: req).find(try campaignID(req)), unitPermission: .resultsRead)
        return ResultsView(try await req.context.visibleResults(try await ResultsService(request: req).snapshot(try campaignID(req), version: n)))
    }

    /// What a publication now would put out, with the `confirmation` to send back.
    @Sendable func preview(req: Request) async throws -> PublicationPreviewDTO {
        try await req.context.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(try campaignID(req)))
        return try await ResultsService(request: req).preview(try campaignID(req))
    }

    struct PublishInput: Content { var reason: String?; var confirmation: String? }

    /// 409 `results.confirmation_required` with the current preview when the confirmation is
    /// missing or no longer matches (the data changed since the preview).
    @Sendable func publish(req: Request) async throws -> Response {
        let body = try req.decodeOptionalBody(PublishInput.self, or: PublishInput())
        try await req.context.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(try campaignID(req)))
        let service = ResultsService(request: req)
        do {
            let r = try await service.publish(try campaignID(req), reason: body.reason, confirmation: .token(body.confirmation))
            return try await ResultsView(r).encodeResponse(for: req)
        } catch let error as AppError where error.code == AppError.publicationNotConfirmed("").code {
            return try ConfirmationProblem.response(ProblemDetails(error: error, request: req),
                                                    preview: try await service.preview(try campaignID(req)))
        }
    }

    struct CorrectionInput: Content { var reason: String? }

    struct CorrectionDTO: Content {
        var id: UUID
        var campaignId: UUID
        var reason: String
        var openedBy: String
        var openedAt: String
    }

    @Sendable func openCorrection(req: Request) async throws -> Response {
        let body = try req.decodeOptionalBody(CorrectionInput.self, or: CorrectionInput())
        try await req.context.requirePermission(.resultsPublish, onCampaign: try await CampaignService(request: req).find(try campaignID(req)))
        let c = try await ResultsService(request: req).openCorrection(try campaignID(req), reason: body.reason)
        let response = try await CorrectionDTO(id: c.id!, campaignId: c.$campaign.id, reason: c.reason, openedBy: c.openedBy,
                                               openedAt: VietnameseDate.formatDateTime(c.openedAt)).encodeResponse(for: req)
        response.status = .created
        return response
    }

    struct PublicCampaign: Content { var id: UUID; var name: String; var year: Int; var version: Int; var publishedAt: String }

    @Sendable func publicList(req: Request) async throws -> [PublicCampaign] {
        try await PublicResults.list(req)
    }

    /// JSON, or `?format=xlsx` / `?format=csv` for the ranking as a file: the latest snapshot only.
    @Sendable func publicResults(req: Request) async throws -> Response {
        guard let r = try await ResultsService(request: req).latestSnapshot(try campaignID(req)) else {
            throw AppError.notFound(entity: "kết quả đã công bố")
        }
        if let file = try RankingExport.response(r, format: try req.formatParameter(["xlsx", "csv"])) { return file }
        return try await ResultsView(r).encodeResponse(for: req)
    }
}

/// The problem details of an unconfirmed publication, with the preview it must confirm.
enum ConfirmationProblem {
    static func response(_ problem: ProblemDetails, preview: PublicationPreviewDTO) throws -> Response {
        struct Body: Encodable {
            var problem: ProblemDetails
            var preview: PublicationPreviewDTO
            func encode(to encoder: any Encoder) throws {
                try problem.encode(to: encoder)
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(preview, forKey: .preview)
            }
            enum Key: String, CodingKey { case preview }
        }
        let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
        try response.content.encode(Body(problem: problem, preview: preview), as: .json)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        return response
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
