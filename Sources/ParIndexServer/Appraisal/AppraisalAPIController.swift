import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Appraisal and explanation through `/api/v1`.
struct AppraisalAPIController {
    func register(_ api: GuardedRoutes) {
        let c = api.grouped("campaigns", ":campaignID")
        c.get("appraisers", permission: .appraisalsRead, use: appraisers)
        c.post("appraisers", permission: .campaignsManage, use: assign)
        c.get("appraisal", permission: .appraisalsRead, use: queue)
        let a = api.grouped("assessments", ":assessmentID")
        a.on(.PUT, "appraisals", ":leafCode", permission: .appraisalsWrite, use: appraise)
        a.on(.PUT, "explanations", ":leafCode", permission: .assessmentsEdit, use: explain)
    }

    private func campaignID(_ req: Request) throws -> UUID { try req.parameters.require("campaignID", as: UUID.self) }

    @Sendable func appraisers(req: Request) async throws -> [AppraiserAssignmentDTO] {
        try await AppraisalService(request: req).assignments(try campaignID(req))
    }

    @Sendable func assign(req: Request) async throws -> Response {
        let dto = try await AppraisalService(request: req).assign(try campaignID(req), try req.content.decode(AssignAppraiserInput.self))
        let r = try await dto.encodeResponse(for: req)
        r.status = .created
        return r
    }

    @Sendable func queue(req: Request) async throws -> [AppraisalRowDTO] {
        try await AppraisalService(request: req).queue(try campaignID(req), unitCode: try? req.query.get(String.self, at: "unit"))
    }

    /// Needs the stage's version (body `version` or `If-Match`; 0 for the stage's first result).
    @Sendable func appraise(req: Request) async throws -> Response {
        let a = try await AssessmentAccess.load(req, try req.parameters.require("assessmentID", as: UUID.self), .appraisalsWrite)
        let m = try await AppraisalService(request: req).appraise(a, leafCode: try req.parameters.require("leafCode"),
                                                                  try req.content.decode(AppraisalInput.self))
        return try await StageValueDTO(stage: m.stage, input: m.input, inputDisplay: InputDisplay.text(m.input, method: nil), points: m.points,
                                       pointsDisplay: VietnameseNumber.format(m.points), reason: m.reason, appraiser: m.appraiser,
                                       version: m.version).encodeResponse(for: req).versioned(m.version)
    }

    struct ExplanationDTO: Content { var leafCode: String; var text: String; var author: String }

    @Sendable func explain(req: Request) async throws -> ExplanationDTO {
        let a = try await AssessmentAccess.load(req, try req.parameters.require("assessmentID", as: UUID.self), .assessmentsEdit)
        let m = try await AppraisalService(request: req).explain(a, leafCode: try req.parameters.require("leafCode"),
                                                                 try req.content.decode(ExplanationInput.self))
        return ExplanationDTO(leafCode: m.leafCode, text: m.text, author: m.author)
    }
}
