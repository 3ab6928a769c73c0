import Fluent
import ParIndexCore
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct AuditTrailTests {
    @Test(arguments: Engine.available)
    func filtersByUnitActorEntityAndDate(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            let coordID = try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
            let adminID = try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let coord = APIClient(app: app, token: try await Fixtures.token(app, userID: coordID))
            let admin = APIClient(app: app, token: try await Fixtures.token(app, userID: adminID))
            _ = try await coord.send(.POST, "/api/v1/units", json: ["code": "STP", "name": "Sở Tư pháp", "kind": "Sở", "parentCode": "HD"])
            _ = try await admin.send(.POST, "/api/v1/units", json: ["code": "SCT", "name": "Sở Công thương", "kind": "Sở", "parentCode": "HD"])
            _ = try await admin.send(.POST, "/api/v1/users", json: ["username": "moi", "fullName": "Mới"])

            func entries(_ query: String) async throws -> [[String: Any]] {
                (try await coord.send(.GET, "/api/v1/audit\(query)").json["items"] as? [[String: Any]]) ?? []
            }
            #expect(try await entries("?unit=STP").compactMap { $0["entityId"] as? String } == ["STP"])
            #expect(try await entries("?actor=admin").count == 2)
            #expect(try await entries("?entity=user").compactMap { $0["action"] as? String } == ["user.create"])
            let today = VietnameseDateFormatting.today()
            #expect(try await entries("?from=\(today)&to=\(today)").count == 3)
            #expect(try await entries("?to=01/01/2020").isEmpty)
            let bad = try await coord.send(.GET, "/api/v1/audit?from=32/13/2024")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("dd/mm/yyyy"))
            // Reporters may not read it.
            let rid = try await Fixtures.user(app, "baocao", roles: [(.unitReporter, nil)])
            let reporter = APIClient(app: app, token: try await Fixtures.token(app, userID: rid))
            #expect(try await reporter.send(.GET, "/api/v1/audit").status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func theAuditPageRendersInVietnamese(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let b = Browser(app)
            _ = try await b.login("admin")
            let page = try await b.get("/audit?from=abc")
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.string.contains("không phải là ngày hợp lệ"))
            #expect(try await b.get("/audit").status == .ok)
        }
    }
}

enum VietnameseDateFormatting {
    static func today() -> String {
        let s = VietnameseDate.format(Date())
        return s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}
