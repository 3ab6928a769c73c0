import Fluent
import Foundation
import NIOCore
import Vapor

/// The user's notifications: a page and `/api/v1/notifications`.
struct NotificationsController {
    func register(web: GuardedRoutes, api: GuardedRoutes) {
        web.get("notifications", permission: .authenticated, use: page)
        web.post("notifications", "read", permission: .authenticated, use: markAllRead)
        api.get("notifications", permission: .authenticated, use: list)
        api.post("notifications", "read", permission: .authenticated, use: apiMarkRead)
    }

    struct Page: Encodable, Sendable {
        var page: PageContext
        var items: [NotificationDTO]
    }

    @Sendable func page(req: Request) async throws -> View {
        let user = try req.requireUser()
        return try await req.view.render("notifications", Page(page: PageContext(req, title: "Thông báo"),
                                                               items: try await Notifier.list(for: user.id, on: req.db)))
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        try await Notifier.markRead(nil, userID: try req.requireUser().id, on: req.db, now: req.clock.now())
        return req.redirect(to: "/notifications")
    }

    @Sendable func list(req: Request) async throws -> [NotificationDTO] {
        try await Notifier.list(for: try req.requireUser().id, on: req.db)
    }

    struct ReadInput: Content { var id: UUID? }

    @Sendable func apiMarkRead(req: Request) async throws -> HTTPStatus {
        let body = try req.decodeOptionalBody(ReadInput.self, or: ReadInput())
        try await Notifier.markRead(body.id, userID: try req.requireUser().id, on: req.db, now: req.clock.now())
        return .noContent
    }
}
