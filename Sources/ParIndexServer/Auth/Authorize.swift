import ParIndexCore
import Vapor

/// The single authorization layer. Every route is registered through ``GuardedRoutes`` with
/// exactly one ``Permission``; the permission is checked here before the handler runs and is
/// recorded on the route. At start-up ``Authorize/verifyAllRoutesDeclared(_:)`` refuses to
/// boot if any route escaped this (deny by default).
struct Authorize: AsyncMiddleware {
    let permission: Permission
    /// Whether the route stays open to a user who must still change a temporary password
    /// (the account page, the password change itself, `GET /api/v1/me`).
    var beforePasswordChange = false

    /// Where the browser goes while a temporary password is unchanged.
    static let passwordChangePage = "/account?change=1"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            try Self.check(permission, request, beforePasswordChange: beforePasswordChange)
        } catch AppError.passwordChangeRequired where !request.isAPI {
            return request.redirect(to: Self.passwordChangePage)
        }
        return try await next.respond(to: request)
    }

    static func check(_ permission: Permission, _ request: Request, beforePasswordChange: Bool = false) throws {
        if permission == .anonymous { return }
        guard let user = request.currentUser else {
            throw request.sessionExpired ? AppError.sessionExpired : AppError.notAuthenticated
        }
        // Issue #20: a temporary password (first login, admin reset) used to open every page
        // and the whole API. Until it is changed, only the routes marked for it answer.
        if user.mustChangePassword, !beforePasswordChange { throw AppError.passwordChangeRequired }
        guard user.policy.allowsSomewhere(permission) else { throw AppError.forbidden }
    }

    static let userInfoKey = "parindex.permission"
    static let beforePasswordChangeKey = "parindex.beforePasswordChange"

    struct UndeclaredRoutes: Error, CustomStringConvertible {
        var routes: [String]
        var description: String { "Routes without a declared permission: \(routes.joined(separator: ", "))" }
    }

    static func verifyAllRoutesDeclared(_ app: Application) throws {
        let missing = app.routes.all.filter { $0.userInfo[AnySendableHashable(userInfoKey)] == nil }
        if !missing.isEmpty { throw UndeclaredRoutes(routes: missing.map(\.description)) }
    }
}

extension Route {
    var permission: Permission? { userInfo[AnySendableHashable(Authorize.userInfoKey)] as? Permission }
    var openBeforePasswordChange: Bool { userInfo[AnySendableHashable(Authorize.beforePasswordChangeKey)] as? Bool ?? false }
}

/// Registers routes with their permission. The only way routes are added in ParIndex.
struct GuardedRoutes {
    let builder: any RoutesBuilder

    init(_ builder: any RoutesBuilder) { self.builder = builder }

    func grouped(_ path: PathComponent...) -> GuardedRoutes { GuardedRoutes(builder.grouped(path)) }

    @discardableResult
    func on<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., permission: Permission,
                                       body: HTTPBodyStreamStrategy = .collect, beforePasswordChange: Bool = false,
                                       use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        register(method, path, permission, body, beforePasswordChange, handler)
    }

    @discardableResult
    func get<R: AsyncResponseEncodable>(_ path: PathComponent..., permission: Permission, beforePasswordChange: Bool = false,
                                        use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        register(.GET, path, permission, .collect, beforePasswordChange, handler)
    }

    @discardableResult
    func post<R: AsyncResponseEncodable>(_ path: PathComponent..., permission: Permission, beforePasswordChange: Bool = false,
                                         use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        register(.POST, path, permission, .collect, beforePasswordChange, handler)
    }

    private func register<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: [PathComponent], _ permission: Permission,
                                                     _ body: HTTPBodyStreamStrategy, _ beforePasswordChange: Bool,
                                                     _ handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        let guardMiddleware = Authorize(permission: permission, beforePasswordChange: beforePasswordChange)
        let route = builder.grouped(guardMiddleware).on(method, path, body: body, use: handler)
        route.userInfo[AnySendableHashable(Authorize.userInfoKey)] = permission
        route.userInfo[AnySendableHashable(Authorize.beforePasswordChangeKey)] = beforePasswordChange
        return route
    }
}

extension ServiceContext {
    /// The units on which the actor holds `permission`: nil when it is held installation-wide
    /// (no restriction; the system), else the scoped units (with their subtrees where the role
    /// says so). Lists filter by this; single-unit actions use ``requirePermission(_:onUnit:)``.
    func unitsVisible(for permission: Permission) async throws -> Set<UUID>? {
        guard let policy = try policy(), let scopes = policy.unitRestriction(for: permission) else { return nil }
        var ids: Set<UUID> = []
        for s in scopes { ids.formUnion(s.includeDescendants ? try await UnitTree.subtree(of: s.unit, on: db) : [s.unit]) }
        return ids
    }

    /// Scope check for one unit: the permission must be granted on that unit (directly, via an
    /// ancestor with descendants, or installation-wide).
    func requirePermission(_ permission: Permission, onUnit unitID: UUID) async throws {
        guard let policy = try policy(), !policy.allowsEverywhere(permission) else { return }
        let ancestors = try await UnitTree.ancestors(of: unitID, on: db)
        guard policy.allows(permission, on: unitID, ancestors: ancestors) else { throw AppError.forbidden }
    }
}
