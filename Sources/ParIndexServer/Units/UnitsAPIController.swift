import Fluent
import Foundation
import ParIndexCore
import Vapor

/// `/api/v1/units`: list (search, filter, paginate), show, create, update, deactivate, import.
struct UnitsAPIController {
    func register(_ api: GuardedRoutes) {
        let units = api.grouped("units")
        units.get(permission: .unitsRead, use: list)
        units.post(permission: .unitsManage, use: create)
        units.on(.POST, "import", permission: .unitsManage, body: .collect(maxSize: "20mb"), use: importCSV)
        units.get(":unitID", permission: .unitsRead, use: show)
        units.on(.PATCH, ":unitID", permission: .unitsManage, use: update)
        units.post(":unitID", "deactivate", permission: .unitsManage, use: deactivate)
        units.post(":unitID", "activate", permission: .unitsManage, use: activate)
    }

    @Sendable func list(req: Request) async throws -> Page<UnitDTO> {
        let filter = try req.query.decode(UnitFilter.self)
        return try await UnitService(request: req).list(filter, restrictTo: try await req.context.unitsVisible(for: .unitsRead),
                                                        page: try req.pageRequest())
    }

    @Sendable func show(req: Request) async throws -> UnitDTO {
        let id = try req.parameters.require("unitID", as: UUID.self)
        try await req.context.requirePermission(.unitsRead, onUnit: id)
        let svc = UnitService(request: req)
        return try await svc.dto(try await svc.find(id))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UnitInput.self)
        let svc = UnitService(request: req)
        let unit = try await svc.create(input.draft(), reason: input.reason)
        let response = try await svc.dto(unit).encodeResponse(for: req)
        response.status = .created
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/units/\(unit.id!)")
        return response
    }

    @Sendable func update(req: Request) async throws -> UnitDTO {
        let id = try req.parameters.require("unitID", as: UUID.self)
        let input = try req.content.decode(UnitInput.self)
        let svc = UnitService(request: req)
        let current = try await svc.find(id)
        let currentParent = try await svc.dto(current).parentCode
        // PATCH: absent fields keep their value; an explicit empty parentCode removes the parent.
        let draft = input.draft(defaults: current, parentCode: currentParent)
        return try await svc.dto(try await svc.update(id, draft, reason: input.reason))
    }

    struct ReasonBody: Content { var reason: String? }

    @Sendable func deactivate(req: Request) async throws -> UnitDTO {
        try await setActive(req, false)
    }

    @Sendable func activate(req: Request) async throws -> UnitDTO {
        try await setActive(req, true)
    }

    private func setActive(_ req: Request, _ active: Bool) async throws -> UnitDTO {
        let id = try req.parameters.require("unitID", as: UUID.self)
        let reason = try req.decodeOptionalBody(ReasonBody?.self, or: nil)?.reason
        let svc = UnitService(request: req)
        return try await svc.dto(try await svc.setActive(id, active, reason: reason))
    }

    /// Body: the CSV file itself (`text/csv`). `?dryRun=true` validates without writing.
    @Sendable func importCSV(req: Request) async throws -> ImportSummary {
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw AppError.badRequest("Thiếu nội dung tệp CSV trong yêu cầu.")
        }
        let dryRun = (try? req.query.get(Bool.self, at: "dryRun")) ?? false
        return try await UnitService(request: req).importCSV(Data(buffer: body), dryRun: dryRun)
    }
}
