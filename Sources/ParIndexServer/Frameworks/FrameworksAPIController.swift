import Fluent
import Foundation
import ParIndexCore
import Vapor

/// `/api/v1/frameworks`: list, upload (YAML body or JSON), show as a tree, export, diff,
/// publish, delete a draft.
struct FrameworksAPIController {
    /// Framework files are tens of kilobytes; a national one with every guidance text stays well under this.
    static let maxUpload: ByteCount = "5mb"

    func register(_ api: GuardedRoutes) {
        let frameworks = api.grouped("frameworks")
        frameworks.get(permission: .frameworksRead, use: list)
        frameworks.on(.POST, permission: .frameworksManage, body: .collect(maxSize: Self.maxUpload), use: upload)
        frameworks.get(":frameworkID", permission: .frameworksRead, use: show)
        frameworks.get(":frameworkID", "export", permission: .frameworksRead, use: export)
        frameworks.get(":frameworkID", "diff", permission: .frameworksRead, use: diff)
        frameworks.post(":frameworkID", "publish", permission: .frameworksManage, use: publish)
        frameworks.on(.DELETE, ":frameworkID", permission: .frameworksManage, use: delete)
    }

    @Sendable func list(req: Request) async throws -> Page<FrameworkSummaryDTO> {
        try await FrameworkService(request: req).list(page: try req.pageRequest())
    }

    /// Body: the YAML itself (`text/yaml`, `application/yaml`, `application/x-yaml`, `text/plain`;
    /// `?reason=` for the audit trail) or JSON `{"yaml": "…", "reason": "…"}`.
    /// 201 for a new draft, 200 when it replaced the draft with the same kind, year and version.
    @Sendable func upload(req: Request) async throws -> Response {
        let (yaml, reason) = try Self.uploadedYAML(req)
        let (model, outcome) = try await FrameworkService(request: req).upload(yaml, reason: reason)
        let response = try await FrameworkSummaryDTO(model).encodeResponse(for: req)
        response.status = outcome == .created ? .created : .ok
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/frameworks/\(model.id!)")
        return response
    }

    static let yamlTypes: Set<String> = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain"]

    private static func uploadedYAML(_ req: Request) throws -> (String, String?) {
        let type = req.headers.contentType.map { "\($0.type)/\($0.subType)".lowercased() }
        if type == "application/json" {
            let input = try req.content.decode(FrameworkUploadInput.self)
            guard let yaml = input.yaml, !yaml.isEmpty else {
                throw AppError.badRequest("Thiếu nội dung bộ chỉ số: gửi tệp YAML trong trường “yaml”.")
            }
            return (yaml, input.reason)
        }
        guard let type, yamlTypes.contains(type) else { throw Abort(.unsupportedMediaType) }
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw AppError.badRequest("Thiếu nội dung tệp YAML của bộ chỉ số trong yêu cầu.")
        }
        return (try decodeUTF8(Data(buffer: body)), try? req.query.get(String.self, at: "reason"))
    }

    /// Vietnamese text in another encoding would be stored garbled; say so instead.
    static func decodeUTF8(_ data: Data) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw AppError.frameworkInvalid([FrameworkProblem(.malformedYAML(
                detail: "tệp không phải mã UTF-8 (có thể là Windows-1258 hoặc TCVN3); vui lòng lưu lại dưới dạng UTF-8", line: nil))])
        }
        return text
    }

    @Sendable func show(req: Request) async throws -> FrameworkDetailDTO {
        try await FrameworkService(request: req).show(try req.parameters.require("frameworkID", as: UUID.self))
    }

    @Sendable func export(req: Request) async throws -> Response {
        try await Self.exportResponse(req)
    }

    /// The exact uploaded text, as a download.
    static func exportResponse(_ req: Request) async throws -> Response {
        let (yaml, filename) = try await FrameworkService(request: req).export(try req.parameters.require("frameworkID", as: UUID.self))
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "yaml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: yaml))
    }

    @Sendable func diff(req: Request) async throws -> FrameworkDiffDTO {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        guard let against = try? req.query.get(UUID.self, at: "against") else {
            throw AppError.badRequest("Tham số “against” (mã phiên bản bộ chỉ số để so sánh) bị thiếu hoặc không hợp lệ.")
        }
        return try await FrameworkService(request: req).diff(id, against: against)
    }

    @Sendable func publish(req: Request) async throws -> FrameworkSummaryDTO {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        let reason = try req.decodeOptionalBody(FrameworkReasonInput?.self, or: nil)?.reason
        return FrameworkSummaryDTO(try await FrameworkService(request: req).publish(id, reason: reason))
    }

    /// Drafts only; `?reason=` for the audit trail.
    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("frameworkID", as: UUID.self)
        _ = try await FrameworkService(request: req).deleteDraft(id, reason: try? req.query.get(String.self, at: "reason"))
        return .noContent
    }
}
