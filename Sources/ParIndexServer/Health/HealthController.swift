import Fluent
import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers and every migration is
/// applied, so a load balancer sends traffic only to instances that can serve it.
struct HealthController {
    func register(_ web: GuardedRoutes) {
        web.get("healthz", permission: .anonymous) { _ in HealthStatus(status: "ok", pendingMigrations: nil) }
        web.get("readyz", permission: .anonymous, use: ready)
    }

    struct HealthStatus: Content {
        var status: String
        var pendingMigrations: Int?
        var error: String?
    }

    @Sendable func ready(req: Request) async throws -> Response {
        let status: HealthStatus
        do {
            let pending = try await DatabaseSetup.pendingMigrations(req.application, on: req.db)
            status = HealthStatus(status: pending == 0 ? "ready" : "migrations_pending", pendingMigrations: pending)
        } catch {
            status = HealthStatus(status: "database_unavailable", error: String(describing: error))
        }
        let response = try await status.encodeResponse(for: req)
        response.status = status.status == "ready" ? .ok : .serviceUnavailable
        return response
    }
}
