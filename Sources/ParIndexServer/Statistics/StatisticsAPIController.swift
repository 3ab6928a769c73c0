import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Periodic reports through `/api/v1` (issue #14): forms, regimes, periods, submissions,
/// the approval chain, roll-up and import. Route permissions are the coarse gate; the service
/// checks each on the regime's owner or the submission's unit.
struct StatisticsAPIController {
    func register(_ api: GuardedRoutes) {
        api.get("report-forms", permission: .reportsRead, use: forms)
        api.on(.POST, "report-forms", permission: .reportsManage, body: .collect(maxSize: "2mb"), use: uploadForm)
        api.get("report-regimes", permission: .reportsRead, use: regimes)
        api.post("report-regimes", permission: .reportsManage, use: createRegime)
        api.get("report-regimes", ":regimeID", permission: .reportsRead, use: regime)
        api.on(.PUT, "report-regimes", ":regimeID", "outline", permission: .reportsManage, use: updateOutline)
        api.post("report-regimes", ":regimeID", "periods", permission: .reportsManage, use: openPeriod)
        api.get("report-periods", ":periodID", permission: .reportsRead, use: period)
        api.get("report-periods", ":periodID", "rollup", ":formCode", permission: .reportsRead, use: rollUp)
        api.post("report-periods", ":periodID", "remind", permission: .reportsManage, use: remind)
        api.on(.POST, "report-periods", ":periodID", "import", ":formCode", permission: .reportsManage,
               body: .collect(maxSize: "64mb"), use: importValues)
        api.get("report-submissions", ":submissionID", permission: .reportsRead, use: submission)
        api.on(.PUT, "report-submissions", ":submissionID", permission: .reportsEdit, use: save)
        api.post("report-submissions", ":submissionID", "check", permission: .reportsRead, use: check)
        api.on(.POST, "report-submissions", ":submissionID", "forms", ":formCode", "import", permission: .reportsEdit,
               body: .collect(maxSize: "8mb"), use: importFilledForm)
        api.post("report-submissions", ":submissionID", "actions", permission: .reportsRead, use: act)
        api.post("report-submissions", ":submissionID", "extension", permission: .reportsManage, use: extend)
    }

    private func id(_ req: Request, _ name: String) throws -> UUID { try req.parameters.require(name, as: UUID.self) }

    private func created<T: Content>(_ value: T, _ req: Request) async throws -> Response {
        let r = try await value.encodeResponse(for: req)
        r.status = .created
        return r
    }

    private func versioned(_ s: SubmissionDTO, _ req: Request) async throws -> Response {
        let r = try await s.encodeResponse(for: req)
        r.headers.replaceOrAdd(name: .eTag, value: VersionedWrite.etag(s.version))
        return r
    }

    @Sendable func forms(req: Request) async throws -> [ReportFormSummaryDTO] { try await ReportingService(request: req).forms() }

    /// Body: the form's YAML (a form file, like a framework file).
    @Sendable func uploadForm(req: Request) async throws -> Response {
        let text = try FrameworksAPIController.decodeUTF8(try SurveysAPIController.body(req, what: "tệp biểu mẫu"))
        return try await created(try await ReportingService(request: req).uploadForm(text), req)
    }

    @Sendable func regimes(req: Request) async throws -> [RegimeDTO] { try await ReportingService(request: req).regimes() }

    @Sendable func createRegime(req: Request) async throws -> Response {
        try await created(try await ReportingService(request: req).createRegime(try req.decodeBody(RegimeInput.self)), req)
    }

    @Sendable func regime(req: Request) async throws -> RegimeDTO {
        try await ReportingService(request: req).regimeDetail(try id(req, "regimeID"))
    }

    @Sendable func updateOutline(req: Request) async throws -> RegimeDTO {
        try await ReportingService(request: req).updateOutline(try id(req, "regimeID"), try req.decodeBody(OutlineInput.self))
    }

    @Sendable func openPeriod(req: Request) async throws -> Response {
        try await created(try await ReportingService(request: req).openPeriod(try id(req, "regimeID"), try req.decodeBody(PeriodInput.self)), req)
    }

    @Sendable func period(req: Request) async throws -> PeriodDetailDTO {
        try await ReportingService(request: req).periodDetail(try id(req, "periodID"))
    }

    struct Reminded: Content { var notified: Int }

    @Sendable func remind(req: Request) async throws -> Reminded {
        Reminded(notified: try await ReportingService(request: req).remindMissing(try id(req, "periodID")))
    }

    /// `?row=` picks the row (the total row by default).
    @Sendable func rollUp(req: Request) async throws -> RollUpDTO {
        try await ReportingService(request: req).rollUp(try id(req, "periodID"), form: try req.parameters.require("formCode"),
                                                         row: try? req.query.get(String.self, at: "row"))
    }

    /// Body: the CSV (form column, row, period, unit code, value, comment). `?dryRun=true` checks only.
    @Sendable func importValues(req: Request) async throws -> ImportSummary {
        try await ReportingService(request: req).importValues(try id(req, "periodID"), form: try req.parameters.require("formCode"),
                                                              csv: try SurveysAPIController.body(req, what: "tệp CSV"),
                                                              dryRun: (try? req.query.get(Bool.self, at: "dryRun")) ?? false)
    }

    @Sendable func submission(req: Request) async throws -> Response {
        try await versioned(try await ReportingService(request: req).submission(try id(req, "submissionID")), req)
    }

    @Sendable func save(req: Request) async throws -> Response {
        try await versioned(try await ReportingService(request: req).save(try id(req, "submissionID"), try req.decodeBody(SubmissionInput.self)), req)
    }

    /// Body as for saving; nothing is saved.
    @Sendable func check(req: Request) async throws -> SubmissionCheckDTO {
        try await ReportingService(request: req).check(try id(req, "submissionID"), try req.decodeBody(SubmissionInput.self))
    }

    /// Body: the filled form's XLSX. `?dryRun=true` checks only; `?version=` (or `If-Match`) is the report's version.
    @Sendable func importFilledForm(req: Request) async throws -> FilledFormImportDTO {
        try await ReportingService(request: req).importFilledForm(
            try id(req, "submissionID"), form: try req.parameters.require("formCode"),
            data: try SurveysAPIController.body(req, what: "tệp biểu mẫu (XLSX)"), version: try? req.query.get(Int.self, at: "version"),
            dryRun: (try? req.query.get(Bool.self, at: "dryRun")) ?? false)
    }

    @Sendable func act(req: Request) async throws -> Response {
        try await versioned(try await ReportingService(request: req).act(try id(req, "submissionID"), try req.decodeBody(SubmissionActionInput.self)), req)
    }

    @Sendable func extend(req: Request) async throws -> Response {
        try await versioned(try await ReportingService(request: req).extend(try id(req, "submissionID"), try req.decodeBody(ExtensionInput.self)), req)
    }
}
