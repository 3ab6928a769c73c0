import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// A database that refuses writes (issue 20): writes get a clear Vietnamese answer, `/readyz`
/// says so, and the login page and the public results still answer.
@Suite struct StorageFaultTests {
    /// Every pooled SQLite connection refuses writes from now on, as a read-only file would.
    static func makeReadOnly(_ app: Application) async throws {
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(.sqlite, logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw("PRAGMA query_only = ON").run()
        }
    }

    @Test func aReadOnlyDatabaseIsReportedAndReadingPagesStillAnswer() async throws {
        try await withTestApp(.sqlite) { app in
            try await Fixtures.province(app)
            let admin = try await Fixtures.user(app, "quantri", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: admin))
            #expect(try await app.testing().sendRequest(.GET, "/readyz").status == .ok)

            try await Self.makeReadOnly(app)
            // A token's first use would record it; reading still works when that write cannot.
            #expect(try await api.send(.GET, "/api/v1/units").status == .ok)
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["status"] as? String == "database_read_only")
            #expect(ready.json["databaseWritable"] as? Bool == false)

            let login = try await app.testing().sendRequest(.GET, "/login")
            #expect(login.status == .ok)
            #expect(login.body.string.contains("Đăng nhập"))
            #expect(try await app.testing().sendRequest(.GET, "/public").status == .ok)

            let write = try await api.send(.POST, "/api/v1/units", json: ["code": "STP", "name": "Sở Tư pháp", "kind": "department",
                                                                          "parentCode": "HD"])
            #expect(write.status == .serviceUnavailable, "\(write.body.string)")
            #expect(write.problemCode == "storage.database_read_only")
            #expect((write.json["detail"] as? String)?.contains("chỉ đọc") == true)
        }
    }
}
