import Foundation
import ParIndexCore
import Vapor

/// The documents people file from periodic reports (issue #14 item 6), on the pages and
/// through `/api/v1`: a filled form as XLSX in its official layout, the periodic report as
/// DOCX (Decree 30/2020) or PDF, the roll-up as XLSX, the period's values as DHIS2-shaped CSV.
/// Route permissions are the coarse gate; the service checks each on the submission's unit or
/// the regime's owner, as for the pages the files come from.
struct StatisticsExportsController {
    func register(web: GuardedRoutes, api: GuardedRoutes) {
        web.get("reports", "submissions", ":submissionID", "forms", ":formCode", "xlsx", permission: .reportsRead, use: formWorkbook)
        web.get("reports", "submissions", ":submissionID", "document", permission: .reportsRead, use: document)
        web.get("reports", "periods", ":periodID", "rollup", ":formCode", "xlsx", permission: .reportsRead, use: rollUpWorkbook)
        web.get("reports", "periods", ":periodID", "data-values", ":formCode", "csv", permission: .reportsRead, use: dataValues)
        api.get("report-submissions", ":submissionID", "forms", ":formCode", "xlsx", permission: .reportsRead, use: formWorkbook)
        api.get("report-submissions", ":submissionID", "document", permission: .reportsRead, use: document)
        api.get("report-periods", ":periodID", "rollup", ":formCode", "xlsx", permission: .reportsRead, use: rollUpWorkbook)
        api.get("report-periods", ":periodID", "data-values", ":formCode", "csv", permission: .reportsRead, use: dataValues)
    }

    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    private func id(_ req: Request, _ name: String) throws -> UUID { try req.parameters.require(name, as: UUID.self) }

    @Sendable func formWorkbook(req: Request) async throws -> Response {
        let code = try req.parameters.require("formCode")
        let files = try await ReportingService(request: req).submissionFiles(try id(req, "submissionID"))
        guard let filled = files.forms.first(where: { $0.code == code }) else {
            throw AppError.notFound(entity: "biểu mẫu “\(code)” của báo cáo này")
        }
        let data = try ReportFormWorkbook(paper: files.paper, filled: filled).xlsx()
        return Download.response(data, filename: "bieu-\(code)-\(files.paper.unitCode)-\(files.paper.periodCode).xlsx", contentType: Download.xlsx)
    }

    /// `?format=docx` (default) or `pdf`: the PDF is the DOCX through the server's converter,
    /// with its timeout and concurrency limit; a failure is a 502 or a 503 problem as for the annual report.
    @Sendable func document(req: Request) async throws -> Response {
        let format = try req.formatParameter(["docx", "pdf"], default: "docx") ?? "docx"
        let files = try await ReportingService(request: req).submissionFiles(try id(req, "submissionID"))
        let document = PeriodicReportDocument(paper: files.paper, submission: files.submission, forms: files.forms,
                                              outline: files.outline)
        let name = "bao-cao-\(files.paper.unitCode)-\(files.paper.periodCode)"
        let docx = try document.docx()
        if format == "pdf" {
            let pdf = try await req.application.reportFiles.converter.pdf(fromDOCX: docx, name: name)
            return Download.response(pdf, filename: name + ".pdf", contentType: "application/pdf")
        }
        return Download.response(docx, filename: name + ".docx", contentType: Self.docx)
    }

    /// `?row=` picks the row (the total row by default), as on the page.
    @Sendable func rollUpWorkbook(req: Request) async throws -> Response {
        let code = try req.parameters.require("formCode")
        let r = try await ReportingService(request: req).rollUp(try id(req, "periodID"), form: code, row: try? req.query.get(String.self, at: "row"))
        return Download.response(try RollUpWorkbook(rollUp: r).xlsx(), filename: "tong-hop-\(code).xlsx", contentType: Download.xlsx)
    }

    @Sendable func dataValues(req: Request) async throws -> Response {
        let code = try req.parameters.require("formCode")
        let (data, period) = try await ReportingService(request: req).dataValuesCSV(try id(req, "periodID"), form: code)
        return Download.response(data, filename: "so-lieu-\(code)-\(period).csv", contentType: Download.csv)
    }
}
