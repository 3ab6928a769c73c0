import Fluent
import Foundation
import ParIndexCore
import Vapor

struct AuditEntryDTO: Content {
    var id: UUID
    var at: Date
    var atDisplay: String
    var actor: String
    var action: String
    var entity: String
    var entityId: String
    var unitId: UUID?
    var before: String?
    var after: String?
    var reason: String?
    var requestId: String?
}

/// Filters: `unit` (unit code, includes nothing else), `actor` (username), `entity`,
/// `from` / `to` (dd/mm/yyyy, inclusive, Vietnam time).
struct AuditFilter: Content {
    var unit: String?
    var actor: String?
    var entity: String?
    var from: String?
    var to: String?
}

/// The audit trail, read-only, in the UI and the API. There is deliberately no write route.
struct AuditController {
    func register(web: GuardedRoutes, api: GuardedRoutes) {
        web.get("audit", permission: .auditRead, use: page)
        api.get("audit", permission: .auditRead, use: list)
    }

    func query(_ req: Request) async throws -> Page<AuditEntryDTO> {
        let f = try req.query.decode(AuditFilter.self)
        var q = AuditEntryModel.query(on: req.db)
        var problems: [AppError.FieldProblem] = []
        if let code = f.unit?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first()
            q = q.filter(\.$unitID == (unit?.id ?? UUID()))
        }
        if let a = f.actor?.trimmingCharacters(in: .whitespaces), !a.isEmpty { q = q.filter(\.$actorName == a.lowercased()) }
        if let e = f.entity?.trimmingCharacters(in: .whitespaces), !e.isEmpty { q = q.filter(\.$entity == e) }
        if let from = f.from, !from.isEmpty {
            do { let start = try VietnameseDate.parse(from); q = q.filter(\.$at >= start) }
            catch { problems.append(.init(field: "from", message: error.messageVI)) }
        }
        if let to = f.to, !to.isEmpty {
            do { let end = try VietnameseDate.parse(to).addingTimeInterval(86400); q = q.filter(\.$at < end) }
            catch { problems.append(.init(field: "to", message: error.messageVI)) }
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        // Audit readers scoped to units see only lines about their units.
        if let visible = try await req.context.unitsVisible(for: .auditRead) { q = q.filter(\.$unitID ~~ Array(visible)) }
        let page = try await q.sort(\.$at, .descending).paginate(try req.pageRequest())
        return Page(items: page.items.map { e in
            AuditEntryDTO(id: e.id!, at: e.at, atDisplay: VietnameseDate.formatDateTime(e.at), actor: e.actorName,
                          action: e.action, entity: e.entity, entityId: e.entityID, unitId: e.unitID,
                          before: e.before, after: e.after, reason: e.reason, requestId: e.requestID)
        }, metadata: page.metadata)
    }

    @Sendable func list(req: Request) async throws -> Page<AuditEntryDTO> { try await query(req) }

    struct AuditPage: Encodable, Sendable {
        var page: PageContext
        var entries: [AuditEntryDTO]
        var filter: AuditFilter
        var errors: FormErrors
        var total: String
    }

    @Sendable func page(req: Request) async throws -> Response {
        let filter = try req.query.decode(AuditFilter.self)
        do {
            let result = try await query(req)
            return try await req.view.render("audit", AuditPage(page: PageContext(req, title: "Nhật ký thay đổi"),
                                                                 entries: result.items, filter: filter, errors: FormErrors(),
                                                                 total: VietnameseNumber.format(result.metadata.total)))
                .encodeResponse(for: req)
        } catch where FormErrors.isUserError(error) {
            let response = try await req.view.render("audit", AuditPage(page: PageContext(req, title: "Nhật ký thay đổi"),
                                                                        entries: [], filter: filter, errors: FormErrors(error),
                                                                        total: "0")).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
