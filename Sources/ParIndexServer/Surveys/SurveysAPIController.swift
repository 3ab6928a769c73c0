import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Surveys through `/api/v1`: the plan, batches, ballots (keyed or imported), corrections,
/// reviews and the report.
struct SurveysAPIController {
    func register(_ api: GuardedRoutes) {
        let c = api.grouped("campaigns", ":campaignID", "surveys")
        c.get(permission: .surveysRead, use: overview)
        c.post("questionnaires", permission: .surveysManage, use: createQuestionnaire)
        c.on(.POST, "xlsform", permission: .surveysManage, body: .collect(maxSize: "10mb"), use: importXLSForm)
        c.on(.PUT, "groups", ":code", permission: .surveysManage, use: upsertGroup)
        c.on(.DELETE, "groups", ":code", permission: .surveysManage, use: deleteGroup)
        c.post("batches", permission: .surveysEnter, use: createBatch)
        c.get("report", permission: .surveysRead, use: report)
        c.get("official", permission: .surveysRead, use: officialResults)
        c.on(.POST, "official", permission: .surveysManage, body: .collect(maxSize: "16mb"), use: importOfficialResults)
        let s = api.grouped("surveys")
        s.get("sample-size", permission: .surveysRead, use: sampleSize)
        s.get("questionnaires", ":questionnaireID", permission: .surveysRead, use: questionnaire)
        s.get("questionnaires", ":questionnaireID", "xlsform", permission: .surveysRead, use: exportXLSForm)
        s.on(.DELETE, "questionnaires", ":questionnaireID", permission: .surveysManage, use: deleteQuestionnaire)
        s.get("batches", ":batchID", permission: .surveysRead, use: batch)
        s.get("batches", ":batchID", "ballots", permission: .surveysRead, use: ballots)
        s.post("batches", ":batchID", "ballots", permission: .surveysEnter, use: enter)
        s.on(.POST, "batches", ":batchID", "import", permission: .surveysEnter, body: .collect(maxSize: "512mb"), use: importBallots)
        s.post("batches", ":batchID", "close", permission: .surveysEnter, use: close)
        s.on(.PUT, "ballots", ":ballotID", permission: .surveysManage, use: correct)
        s.post("ballots", ":ballotID", "review", permission: .surveysManage, use: review)
    }

    private func campaignID(_ req: Request) throws -> UUID { try req.parameters.require("campaignID", as: UUID.self) }
    private func batchID(_ req: Request) throws -> UUID { try req.parameters.require("batchID", as: UUID.self) }
    private func ballotID(_ req: Request) throws -> UUID { try req.parameters.require("ballotID", as: UUID.self) }
    private func questionnaireID(_ req: Request) throws -> UUID { try req.parameters.require("questionnaireID", as: UUID.self) }

    private func created<T: Content>(_ value: T, _ req: Request) async throws -> Response {
        let r = try await value.encodeResponse(for: req)
        r.status = .created
        return r
    }

    static func body(_ req: Request, what: String) throws -> Data {
        guard let body = req.body.data, body.readableBytes > 0 else { throw AppError.badRequest("Thiếu nội dung \(what) trong yêu cầu.") }
        return Data(buffer: body)
    }

    @Sendable func officialResults(req: Request) async throws -> [OfficialSurveyResultDTO] {
        try await OfficialSurveyService(request: req).list(try campaignID(req))
    }

    /// Body: CSV or XLSX (unit code, survey criterion, points or index, document number and date). `?dryRun=true` checks only.
    @Sendable func importOfficialResults(req: Request) async throws -> OfficialSurveyImportDTO {
        try await OfficialSurveyService(request: req).importResults(try campaignID(req), try Self.body(req, what: "tệp kết quả điều tra"),
                                                                    dryRun: (try? req.query.get(Bool.self, at: "dryRun")) ?? false)
    }

    @Sendable func overview(req: Request) async throws -> SurveyOverviewDTO {
        try await SurveyService(request: req).overview(try campaignID(req))
    }

    @Sendable func createQuestionnaire(req: Request) async throws -> Response {
        let m = try await SurveyService(request: req).createFromTemplate(try campaignID(req), try req.content.decode(QuestionnaireInput.self))
        return try await created(try SurveyService.dto(m), req)
    }

    /// Body: the XLSForm workbook itself. `?alertThreshold=70` sets the low-satisfaction threshold (%).
    @Sendable func importXLSForm(req: Request) async throws -> Response {
        let threshold = try? req.query.get(Double.self, at: "alertThreshold")
        let m = try await SurveyService(request: req).importXLSForm(try campaignID(req), try Self.body(req, what: "tệp XLSForm"),
                                                                     alertThreshold: threshold)
        return try await created(try SurveyService.dto(m), req)
    }

    @Sendable func questionnaire(req: Request) async throws -> QuestionnaireDTO {
        try SurveyService.dto(try await SurveyService(request: req).questionnaire(try questionnaireID(req)))
    }

    @Sendable func exportXLSForm(req: Request) async throws -> Response {
        let file = try await SurveyService(request: req).xlsform(try questionnaireID(req))
        return Download.response(file.data, filename: file.name, contentType: Download.xlsx)
    }

    @Sendable func deleteQuestionnaire(req: Request) async throws -> HTTPStatus {
        try await SurveyService(request: req).deleteQuestionnaire(try questionnaireID(req))
        return .noContent
    }

    @Sendable func upsertGroup(req: Request) async throws -> RespondentGroupDTO {
        var input = try req.content.decode(GroupInput.self)
        input.code = try req.parameters.require("code")
        return SurveyService.dto(try await SurveyService(request: req).upsertGroup(try campaignID(req), input))
    }

    @Sendable func deleteGroup(req: Request) async throws -> HTTPStatus {
        try await SurveyService(request: req).deleteGroup(try campaignID(req), code: try req.parameters.require("code"))
        return .noContent
    }

    @Sendable func createBatch(req: Request) async throws -> Response {
        let service = BallotService(request: req)
        let b = try await service.createBatch(try campaignID(req), try req.content.decode(BatchInput.self))
        return try await created(try await service.dto(b), req)
    }

    @Sendable func batch(req: Request) async throws -> Response {
        let service = BallotService(request: req)
        let dto = try await service.dto(try await service.find(try batchID(req)))
        return try await dto.encodeResponse(for: req).versioned(dto.version)
    }

    @Sendable func ballots(req: Request) async throws -> [BallotDTO] {
        let flagged = (try? req.query.get(Bool.self, at: "flagged")) ?? false
        return try await BallotService(request: req).ballots(try batchID(req), flaggedOnly: flagged)
    }

    @Sendable func enter(req: Request) async throws -> Response {
        let r = try await BallotService(request: req).enter(try batchID(req), try req.content.decode(BallotEntryInput.self))
        return try await created(r, req)
    }

    /// Body: the CSV (UTF-8) or XLSX file itself. `?dryRun=true` validates without writing.
    @Sendable func importBallots(req: Request) async throws -> BallotImportSummary {
        let dryRun = (try? req.query.get(Bool.self, at: "dryRun")) ?? false
        return try await BallotService(request: req).importFile(try batchID(req), try Self.body(req, what: "tệp phiếu"), dryRun: dryRun)
    }

    /// Needs the batch's version (body `version` or `If-Match`): a ballot keyed after the client
    /// read the batch makes the close stale.
    @Sendable func close(req: Request) async throws -> Response {
        let input = try req.decodeOptionalBody(CloseBatchInput.self, or: CloseBatchInput())
        let service = BallotService(request: req)
        let dto = try await service.dto(try await service.close(try batchID(req), input))
        return try await dto.encodeResponse(for: req).versioned(dto.version)
    }

    /// Needs the ballot's version (body `version` or `If-Match`).
    @Sendable func correct(req: Request) async throws -> Response {
        let dto = try await BallotService(request: req).correct(try ballotID(req), try req.content.decode(BallotCorrectionInput.self))
        return try await dto.encodeResponse(for: req).versioned(dto.version)
    }

    /// Needs the ballot's version (body `version` or `If-Match`).
    @Sendable func review(req: Request) async throws -> Response {
        let dto = try await BallotService(request: req).review(try ballotID(req), try req.content.decode(BallotReviewInput.self))
        return try await dto.encodeResponse(for: req).versioned(dto.version)
    }

    /// JSON, or `?format=xlsx` / `?format=csv` for a file.
    @Sendable func report(req: Request) async throws -> Response {
        let c = try await CampaignService(request: req).find(try campaignID(req))
        let report = try await SurveyReportDTO.build(campaign: c, on: req.db).visible(to: req)
        return try await Self.reportResponse(report, format: try req.formatParameter(["xlsx", "csv"]), req)
    }

    static func reportResponse(_ report: SurveyReportDTO, format: String?, _ req: Request) async throws -> Response {
        switch format {
        case "xlsx": return Download.response(try report.xlsx(), filename: "dieu-tra-xa-hoi-hoc.xlsx", contentType: Download.xlsx)
        case "csv": return Download.response(report.csv(), filename: "dieu-tra-xa-hoi-hoc.csv", contentType: Download.csv)
        default: return try await report.encodeResponse(for: req)
        }
    }

    struct SampleSizeDTO: Content { var population: Int; var margin: Double; var sample: Int }

    /// n = N / (1 + N·e²): `?population=2476&margin=0.05`.
    @Sendable func sampleSize(req: Request) async throws -> SampleSizeDTO {
        guard let n = try? req.query.get(Int.self, at: "population"), n >= 0 else {
            throw AppError.validation([.init(field: "population", message: "Nhập quy mô tổng thể (số nguyên không âm).")])
        }
        let e = (try? req.query.get(Double.self, at: "margin")) ?? 0.05
        guard e > 0 && e < 1 else { throw AppError.validation([.init(field: "margin", message: "Sai số phải lớn hơn 0 và nhỏ hơn 1 (ví dụ 0.05).")]) }
        return SampleSizeDTO(population: n, margin: e, sample: SampleSize.required(population: n, margin: e))
    }
}
