import Fluent
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
        web.get("campaigns", ":campaignID", "units", ":unitCode", permission: .resultsRead, use: liveSheetPage)
        web.get("public", "campaigns", ":campaignID", "units", ":unitCode", permission: .anonymous, use: publicSheetPage)
        api.get("campaigns", ":campaignID", "units", ":unitCode", "score-sheet", permission: .resultsRead, use: liveSheet)
        api.get("public", "campaigns", ":campaignID", "units", ":unitCode", permission: .anonymous, use: publicSheet)
    }

    // MARK: Score sheets

    /// A unit's score sheet against live results (staff) or the published ones (anyone).
    private func sheet(_ req: Request, published: Bool) async throws -> ScoreSheetDTO {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let code = try req.parameters.require("unitCode")
        guard let c = try await CampaignModel.query(on: req.db).filter(\.$id == id).with(\.$framework).first() else {
            throw AppError.notFound(entity: "đợt đánh giá")
        }
        let results: PublishedResults
        if !published { try await req.context.requirePermission(.resultsRead, onUnitCode: code) }
        if published {
            guard let r = try await ResultsService(request: req).latestSnapshot(id) else {
                throw AppError.notFound(entity: "kết quả đã công bố của đợt đánh giá này")
            }
            results = r
        } else {
            results = try await ResultsService(request: req).compute(c)
        }
        return try await ScoreSheets(request: req).sheet(c, unitCode: code, results: results)
    }

    struct SheetPage: Encodable, Sendable {
        var page: PageContext
        var sheet: ScoreSheetDTO
        /// Evidence files open for staff; the public sees document numbers only.
        var evidenceLinks: Bool
        var back: String
    }

    @Sendable func liveSheet(req: Request) async throws -> ScoreSheetDTO { try await sheet(req, published: false) }
    @Sendable func publicSheet(req: Request) async throws -> ScoreSheetDTO { try await sheet(req, published: true) }

    @Sendable func liveSheetPage(req: Request) async throws -> View {
        let s = try await sheet(req, published: false)
        return try await req.view.render("campaigns/score-sheet", SheetPage(page: PageContext(req, title: "Bảng điểm — \(s.unitName)"),
                                                                           sheet: s, evidenceLinks: true, back: "/campaigns/\(s.campaignId)/results"))
    }

    @Sendable func publicSheetPage(req: Request) async throws -> View {
        let s = try await sheet(req, published: true)
        return try await req.view.render("campaigns/score-sheet", SheetPage(page: PageContext(req, title: "Bảng điểm — \(s.unitName)"),
                                                                           sheet: s, evidenceLinks: false, back: "/public/campaigns/\(s.campaignId)"))
    }

    @Sendable func published(req: Request) async throws -> Response { try await file(req, scope: .published) }
    @Sendable func draftAllowed(req: Request) async throws -> Response { try await file(req, scope: .draftAllowed) }

    static let formats = ["docx", "pdf", "xlsx", "csv"]

    private func file(_ req: Request, scope: AnnualReportService.Scope) async throws -> Response {
        guard let year = req.parameters.get("year", as: Int.self), (2000...2100).contains(year) else {
            throw AppError.badRequest("Năm báo cáo không hợp lệ.")
        }
        let format = try req.formatParameter(Self.formats, default: "docx") ?? "docx"
        var unpublished: [UUID] = []
        if scope == .draftAllowed {
            // A draft is the whole year's live results: a unit-scoped reader may not see it (issue #20).
            unpublished = try await AnnualReportService(request: req).unpublishedCampaigns(year: year)
            try await req.context.requirePermission(.resultsRead, onEveryUnitOf: unpublished, what: "Báo cáo dự thảo năm \(year)")
        }
        let files = req.application.reportFiles
        // Published inputs only: each format is made once per snapshot version and stored, and
        // concurrent requests wait for that one conversion (issue #19).
        if unpublished.isEmpty, let key = try await AnnualReportCacheKey.key(year: year, on: req.db) {
            // The file outlives this request (other requests wait for it): built as the system.
            let context = ServiceContext.system(req.application)
            let name = "bao-cao-chi-so-cchc-\(year)"
            let data = try await files.file(key: key, format: format) { converter in
                let built = try await AnnualReportService(context: context).build(year: year, scope: .published)
                return try await Self.render(AnnualReportDocument(report: built.report, isDraft: built.isDraft),
                                             format: format, name: name, converter: converter)
            }
            return Self.download(data, format: format, name: name)
        }
        let built = try await AnnualReportService(request: req).build(year: year, scope: scope)
        let name = "bao-cao-chi-so-cchc-\(year)\(built.isDraft ? "-du-thao" : "")"
        let data = try await Self.render(AnnualReportDocument(report: built.report, isDraft: built.isDraft),
                                         format: format, name: name, converter: files.converter)
        return Self.download(data, format: format, name: name)
    }

    private static func render(_ document: AnnualReportDocument, format: String, name: String,
                               converter: any DocumentConverter) async throws -> Data {
        switch format {
        case "csv": document.csv()
        case "xlsx": try document.xlsx()
        case "pdf": try await converter.pdf(fromDOCX: try document.docx(), name: name)
        default: try document.docx()
        }
    }

    private static func download(_ data: Data, format: String, name: String) -> Response {
        let type = switch format {
        case "csv": Download.csv
        case "xlsx": Download.xlsx
        case "pdf": "application/pdf"
        default: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        return Download.response(data, filename: name + "." + format, contentType: type)
    }
}
