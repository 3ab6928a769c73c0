import Fluent
import Foundation
import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers and takes writes, every
/// migration is applied, and the evidence folder can be written with room to spare, so a load
/// balancer sends traffic only to instances that can serve it and an operator sees which part
/// of the storage failed (issue 20: a read-only database or a full disk went unnoticed).
struct HealthController {
    /// Below this much free space in the data directory the instance reports itself not ready.
    static let minimumFreeBytes: Int64 = 64 << 20

    func register(_ web: GuardedRoutes) {
        web.get("healthz", permission: .anonymous) { _ in HealthStatus(status: "ok") }
        web.get("readyz", permission: .anonymous, use: ready)
    }

    struct HealthStatus: Content {
        var status: String
        var pendingMigrations: Int?
        var databaseWritable: Bool?
        var filesWritable: Bool?
        var freeBytes: Int64?
        var error: String?
    }

    @Sendable func ready(req: Request) async throws -> Response {
        var status = HealthStatus(status: "ready")
        do {
            let pending = try await DatabaseSetup.pendingMigrations(req.application, on: req.db)
            status.pendingMigrations = pending
            if pending > 0 { status.status = "migrations_pending" }
            do {
                try await DatabaseSetup.probeWritable(req.db)
                status.databaseWritable = true
            } catch {
                status.databaseWritable = false
                status.status = "database_read_only"
                status.error = StorageFault(error)?.messageVI ?? String(describing: error)
            }
        } catch {
            status.status = "database_unavailable"
            status.error = String(describing: error)
        }
        let store = EvidenceService.store(req.application)
        let fault = store.probeWritable()
        status.filesWritable = fault == nil
        status.freeBytes = Self.freeBytes(at: req.application.settings.dataDirectory)
        if status.status == "ready" {
            if let fault {
                status.status = "files_unwritable"
                status.error = fault.messageVI
            } else if let free = status.freeBytes, free < Self.minimumFreeBytes {
                status.status = "storage_low"
                status.error = StorageFault.filesFull.messageVI
            }
        }
        let response = try await status.encodeResponse(for: req)
        response.status = status.status == "ready" ? .ok : .serviceUnavailable
        return response
    }

    static func freeBytes(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
