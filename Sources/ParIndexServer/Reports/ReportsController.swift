import Foundation
import ParIndexCore
import Vapor

/// The annual report as DOCX (default), PDF, XLSX or CSV: public once results are published
/// (`/public/reports/{year}`), and for staff who read live results also as a draft before
/// publication (`/reports/annual/{year}`).
struct ReportsController {
    func register(web: GuardedRoutes, api: GuardedRoutes) {
        web.get("reports", "annual", ":year", permission: .resultsRead, use: draftAllowed)
        web.get("public", "reports", ":year", permission: .anonymous, use: published)
        api.get("reports", "annual", ":year", permission: .resultsRead, use: draftAllowed)
        api.get("public", "reports", ":year", permission: .anonymous, use: published)
    }

    @Sendable func published(req: Request) async throws -> Response { try await file(req, scope: .published) }
    @Sendable func draftAllowed(req: Request) async throws -> Response { try await file(req, scope: .draftAllowed) }

    static let formats = ["docx", "pdf", "xlsx", "csv"]

    private func file(_ req: Request, scope: AnnualReportService.Scope) async throws -> Response {
        guard let year = req.parameters.get("year", as: Int.self), (2000...2100).contains(year) else {
            throw AppError.badRequest("Năm báo cáo không hợp lệ.")
        }
        let format = (try? req.query.get(String.self, at: "format")) ?? "docx"
        guard Self.formats.contains(format) else {
            throw AppError.badRequest("Định dạng “\(format)” không hỗ trợ; chọn docx, pdf, xlsx hoặc csv.")
        }
        let built = try await AnnualReportService(db: req.db).build(year: year, scope: scope)
        let document = AnnualReportDocument(report: built.report, isDraft: built.isDraft)
        let name = "bao-cao-chi-so-cchc-\(year)\(built.isDraft ? "-du-thao" : "")"
        switch format {
        case "csv": return Download.response(document.csv(), filename: name + ".csv", contentType: Download.csv)
        case "xlsx": return Download.response(try document.xlsx(), filename: name + ".xlsx", contentType: Download.xlsx)
        case "pdf":
            let pdf = try await PDFConverter.pdf(fromDOCX: try document.docx(), name: name)
            return Download.response(pdf, filename: name + ".pdf", contentType: "application/pdf")
        default:
            return Download.response(try document.docx(), filename: name + ".docx",
                                     contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        }
    }
}
