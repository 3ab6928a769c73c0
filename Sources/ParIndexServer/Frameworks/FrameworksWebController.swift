import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The criteria framework pages: list and upload (file or pasted text, every error listed
/// with its line), review a version as a tree with its rule texts, compare two versions,
/// download the YAML, publish or delete a draft.
struct FrameworksWebController {
    func register(_ web: GuardedRoutes) {
        let frameworks = web.grouped("frameworks")
        frameworks.get(permission: .frameworksRead, use: index)
        frameworks.on(.POST, permission: .frameworksManage, body: .collect(maxSize: FrameworksAPIController.maxUpload), use: upload)
        frameworks.get(":frameworkID", permission: .frameworksRead, use: show)
        frameworks.get(":frameworkID", "diff", permission: .frameworksRead, use: diff)
        frameworks.get(":frameworkID", "export", permission: .frameworksRead, use: export)
        frameworks.post(":frameworkID", "publish", permission: .frameworksManage, use: publish)
        frameworks.post(":frameworkID", "delete", permission: .frameworksManage, use: delete)
    }

    // MARK: List and upload

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var frameworks: [FrameworkSummaryDTO]
        var canManage: Bool
        var errors: FormErrors
        var problems: [FrameworkProblem]
        var pageNumber: Int
        var pageCount: Int
        var prevPage: Int?
        var nextPage: Int?
    }

    struct UploadForm: Content {
        var file: File?
        var yaml: String?
        var reason: String?
    }

    @Sendable func index(req: Request) async throws -> View {
        try await renderIndex(req, errors: FormErrors(), problems: [])
    }

    private func renderIndex(_ req: Request, errors: FormErrors, problems: [FrameworkProblem]) async throws -> View {
        let result = try await FrameworkService(request: req).list(page: try req.pageRequest())
        let m = result.metadata
        return try await req.view.render("frameworks/index", IndexPage(
            page: PageContext(req, title: "Bộ chỉ số"), frameworks: result.items,
            canManage: try req.requireUser().policy.allowsSomewhere(.frameworksManage), errors: errors, problems: problems,
            pageNumber: m.page, pageCount: max(1, m.pageCount),
            prevPage: m.page > 1 ? m.page - 1 : nil, nextPage: m.page < m.pageCount ? m.page + 1 : nil))
    }

    /// A `.yaml` file in `file`, or the text pasted in `yaml` when no file is chosen.
    @Sendable func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        do {
            let text: String
            if let file = form.file, file.data.readableBytes > 0 {
                text = try FrameworksAPIController.decodeUTF8(Data(buffer: file.data))
            } else if let pasted = form.yaml, !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                text = pasted
            } else {
                throw AppError.validation([.init(field: "yaml", message: "Chọn tệp YAML của bộ chỉ số hoặc dán nội dung tệp vào ô bên dưới.")])
            }
            let (model, outcome) = try await FrameworkService(request: req).upload(text, reason: form.reason)
            let what = "“\(model.title)” năm \(model.year), phiên bản \(model.version)"
            req.flash(.success, outcome == .created ? "Đã tải lên bản nháp \(what)." : "Đã thay thế bản nháp \(what).")
            return req.redirect(to: "/frameworks/\(model.id!)")
        } catch let error as AppError where FormErrors.isUserError(error) {
            var problems: [FrameworkProblem] = []
            if case let .frameworkInvalid(p) = error { problems = p }
            let response = try await renderIndex(req, errors: FormErrors(error, typed: ["yaml": form.yaml ?? "", "reason": form.reason ?? ""]),
                                               problems: problems).encodeResponse(for: req)
            response.status = error.status
            return response
        }
    }

    // MARK: One version

    struct ShowPage: Encodable, Sendable {
        var page: PageContext
        var detail: FrameworkDetailDTO
        var isDraft: Bool
        var canManage: Bool
        var others: [FrameworkSummaryDTO]
        var errors: FormErrors
    }

    @Sendable func show(req: Request) async throws -> View {
        try await renderShow(req, errors: FormErrors())
    }

    private func renderShow(_ req: Request, errors: FormErrors) async throws -> View {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        let svc = FrameworkService(request: req)
        let detail = try await svc.show(id)
        let f = detail.framework
        return try await req.view.render("frameworks/show", ShowPage(
            page: PageContext(req, title: "\(f.title) — \(f.year), phiên bản \(f.version)"), detail: detail,
            isDraft: f.isDraft, canManage: try req.requireUser().policy.allowsSomewhere(.frameworksManage),
            others: try await svc.others(than: id), errors: errors))
    }

    struct DiffPage: Encodable, Sendable {
        var page: PageContext
        var diff: FrameworkDiffDTO
    }

    @Sendable func diff(req: Request) async throws -> View {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        guard let against = try? req.query.get(UUID.self, at: "against") else {
            throw AppError.badRequest("Chọn một phiên bản bộ chỉ số để so sánh.")
        }
        let diff = try await FrameworkService(request: req).diff(id, against: against)
        return try await req.view.render("frameworks/diff", DiffPage(page: PageContext(req, title: "So sánh bộ chỉ số"), diff: diff))
    }

    @Sendable func export(req: Request) async throws -> Response {
        try await FrameworksAPIController.exportResponse(req)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        do {
            let m = try await FrameworkService(request: req).publish(id, reason: reason)
            req.flash(.success, "Đã công bố bộ chỉ số “\(m.title)” năm \(m.year), phiên bản \(m.version). Phiên bản này không thể sửa hay xóa.")
            return req.redirect(to: "/frameworks/\(id)")
        } catch let error as AppError where FormErrors.isUserError(error) {
            return try await rerenderShow(req, error)
        }
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        do {
            let gone = try await FrameworkService(request: req).deleteDraft(id, reason: try req.optionalBodyField("reason"))
            req.flash(.success, "Đã xóa bản nháp “\(gone.title)” năm \(gone.year), phiên bản \(gone.version).")
            return req.redirect(to: "/frameworks")
        } catch let error as AppError where FormErrors.isUserError(error) {
            return try await rerenderShow(req, error)
        }
    }

    private func rerenderShow(_ req: Request, _ error: AppError) async throws -> Response {
        let response = try await renderShow(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
        response.status = error.status
        return response
    }
}
