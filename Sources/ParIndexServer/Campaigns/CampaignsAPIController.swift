import Fluent
import Foundation
import ParIndexCore
import Vapor

/// `/api/v1/campaigns`, `/api/v1/assessments`, `/api/v1/evidence`.
struct CampaignsAPIController {
    func register(_ api: GuardedRoutes) {
        let campaigns = api.grouped("campaigns")
        campaigns.get(permission: .assessmentsRead, use: list)
        campaigns.post(permission: .campaignsManage, use: create)
        campaigns.get(":campaignID", permission: .assessmentsRead, use: show)
        campaigns.post(":campaignID", "reopen", permission: .campaignsManage, use: reopen)
        campaigns.on(.PUT, ":campaignID", "schedule", permission: .campaignsManage, use: schedule)
        campaigns.on(.PUT, ":campaignID", "results-rules", permission: .campaignsManage, use: resultsRules)

        let assessments = api.grouped("assessments")
        assessments.get(":assessmentID", permission: .assessmentsRead, use: grid)
        assessments.get(":assessmentID", "report", permission: .assessmentsRead, use: report)
        assessments.on(.PUT, ":assessmentID", "entries", ":leafCode", permission: .assessmentsEdit, use: saveEntry)
        assessments.post(":assessmentID", "preview", ":leafCode", permission: .assessmentsRead, use: preview)
        assessments.post(":assessmentID", "approve", permission: .assessmentsApprove, use: approve)
        assessments.post(":assessmentID", "submit", permission: .assessmentsEdit, use: submit)
        assessments.on(.POST, ":assessmentID", "evidence", permission: .assessmentsEdit,
                       body: .stream, use: upload)
        api.get("evidence", ":documentID", "download", permission: .assessmentsRead, use: download)
    }

    @Sendable func list(req: Request) async throws -> [CampaignDTO] { try await CampaignService(request: req).list() }

    @Sendable func create(req: Request) async throws -> Response {
        let c = try await CampaignService(request: req).create(try req.content.decode(CampaignInput.self))
        let response = try await CampaignService(request: req).detail(c.id!).encodeResponse(for: req)
        response.status = .created
        return response
    }

    @Sendable func show(req: Request) async throws -> CampaignDTO {
        try await CampaignService(request: req).detail(try req.parameters.require("campaignID", as: UUID.self))
    }

    @Sendable func reopen(req: Request) async throws -> CampaignDTO {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        _ = try await CampaignService(request: req).reopen(id, try req.content.decode(ReopenInput.self))
        return try await CampaignService(request: req).detail(id)
    }

    @Sendable func resultsRules(req: Request) async throws -> CampaignDTO {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let c = try await CampaignService(request: req).updateResultsRules(id, try req.decodeBody(ResultsRulesInput.self))
        return CampaignService.dto(try await CampaignService(request: req).find(c.id!))
    }

    @Sendable func schedule(req: Request) async throws -> CampaignDTO {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        _ = try await CampaignService(request: req).updateSchedule(id, try req.content.decode(ScheduleInput.self))
        return try await CampaignService(request: req).detail(id)
    }

    private func assessment(_ req: Request, _ permission: Permission) async throws -> AssessmentModel {
        try await AssessmentAccess.load(req, try req.parameters.require("assessmentID", as: UUID.self), permission)
    }

    /// `ETag` carries the assessment's version, which approve/submit take in `If-Match`.
    @Sendable func grid(req: Request) async throws -> Response {
        let grid = try await AssessmentService(request: req).grid(try await assessment(req, .assessmentsRead))
        return try await grid.encodeResponse(for: req).versioned(grid.version)
    }

    /// `?format=xlsx` (default) or `csv`.
    @Sendable func report(req: Request) async throws -> Response {
        let grid = try await AssessmentService(request: req).grid(try await assessment(req, .assessmentsRead))
        return try AssessmentReport.response(grid, format: try req.formatParameter(["xlsx", "csv"], default: "xlsx"))
    }

    /// Body: the form's fields (`{"numerator": "1.238", "denominator": "2.476"}`).
    @Sendable func preview(req: Request) async throws -> PreviewDTO {
        let a = try await assessment(req, .assessmentsRead)
        var fields = try req.decodeOptionalBody([String: String].self, or: [:])
        fields["_csrf"] = nil
        return try await AssessmentService(request: req).preview(a, leafCode: try req.parameters.require("leafCode"), fields: fields)
    }

    struct EntryDTO: Content {
        var leafCode: String
        var input: LeafInput?
        var points: Double
        var explanation: String
        var note: String
        var version: Int
    }

    /// Needs the entry's version (body `version`, or `If-Match`; 0 for a first save): 428
    /// without it, 409 `version.stale` when someone saved in between. Answers with the new one.
    @Sendable func saveEntry(req: Request) async throws -> Response {
        let a = try await assessment(req, .assessmentsEdit)
        let code = try req.parameters.require("leafCode")
        let body = try req.decodeBody(EntryInput.self)
        // An empty object (or a JSON body sent as a form, which decodes the same) says nothing:
        // it used to clear the criterion (issue #20).
        guard body.savesSomething else {
            throw AppError.bodyInvalid("Yêu cầu không có gì để lưu cho tiêu chí \(code): gửi “input”, “fields”, “explanation”, “note” hoặc “clear”: true.")
        }
        let e = try await AssessmentService(request: req).save(a, leafCode: code, body)
        return try await EntryDTO(leafCode: e.leafCode, input: e.input, points: e.points, explanation: e.explanation, note: e.note,
                                  version: e.version).encodeResponse(for: req).versioned(e.version)
    }

    @Sendable func approve(req: Request) async throws -> Response {
        try await transition(req, .approve, .assessmentsApprove)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        try await transition(req, .submit, .assessmentsEdit)
    }

    /// Needs the assessment's version (body `version` or `If-Match`), like every versioned write.
    private func transition(_ req: Request, _ action: AssessmentAction, _ permission: Permission) async throws -> Response {
        let a = try await assessment(req, permission)
        let body = try req.decodeOptionalBody(TransitionInput.self, or: TransitionInput())
        let service = AssessmentService(request: req)
        let grid = try await service.grid(try await service.transition(a, action, body))
        return try await grid.encodeResponse(for: req).versioned(grid.version)
    }

    /// Multipart: `file`, `documentNumber`, `documentDate` (dd/mm/yyyy), `issuer`, `title`,
    /// `leafCodes` (comma-separated), optional `replaces` (document id).
    @Sendable func upload(req: Request) async throws -> Response {
        let a = try await assessment(req, .assessmentsEdit)
        try await req.collectEvidenceUpload()
        let form = try req.content.decode(EvidenceForm.self)
        let dto = try await EvidenceService(request: req).upload(a, form.upload)
        let response = try await dto.encodeResponse(for: req)
        response.status = .created
        return response
    }

    @Sendable func download(req: Request) async throws -> Response {
        let (doc, data) = try await EvidenceService(request: req).download(try req.parameters.require("documentID", as: UUID.self))
        return EvidenceForm.fileResponse(doc, data)
    }
}

/// The evidence upload form, shared by the web page and the API.
struct EvidenceForm: Content {
    var file: File?
    var documentNumber: String?
    var documentDate: String?
    var issuer: String?
    var title: String?
    var leafCodes: String?
    var replaces: String?

    var upload: EvidenceService.Upload {
        EvidenceService.Upload(data: file.map { Data(buffer: $0.data) } ?? Data(), filename: file?.filename ?? "",
                               documentNumber: documentNumber ?? "", documentDate: documentDate ?? "",
                               issuer: issuer ?? "", title: title ?? "",
                               leafCodes: (leafCodes ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init),
                               replaces: replaces.flatMap { UUID(uuidString: $0) })
    }

    /// Sends a stored file as an attachment with its (cleaned) Vietnamese name.
    static func fileResponse(_ doc: EvidenceDocumentModel, _ data: Data) -> Response {
        let type = EvidenceFileType(rawValue: doc.file.fileType)?.mimeType ?? "application/octet-stream"
        return Download.response(data, filename: doc.filename, contentType: type)
    }
}
