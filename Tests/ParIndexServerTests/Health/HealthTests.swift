import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexDemo
@testable import ParIndexServer

@Suite struct HealthTests {
    @Test(arguments: Engine.available)
    func healthAndReadiness(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.json["pendingMigrations"] as? Int == 0)
            #expect(health.headers.first(name: "X-Request-Id")?.isEmpty == false)
        }
    }

    @Test(arguments: Engine.available)
    func readinessFailsWhileMigrationsArePending(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await app.autoRevert()
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            try await app.autoMigrate()
        }
    }

    @Test(arguments: Engine.available)
    func bootstrapCreatesOneAdminOnce(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let first = try await Bootstrap.ensureAdmin(app)
            #expect(first?.username == "admin")
            #expect(try await Bootstrap.ensureAdmin(app) == nil)
            let b = Browser(app)
            let res = try await b.login("admin", password: first!.password)
            #expect(res.headers.first(name: .location) == "/account?change=1")
        }
    }

    @Test(arguments: Engine.available)
    func demoProvinceHasSeed004Units(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let first = try await DemoProvince.load(into: app)
            let second = try await DemoProvince.load(into: app)
            #expect(first && !second)
            #expect(try await UnitModel.query(on: app.db).filter(\.$kind == "department").count() == 18)
            #expect(try await UnitModel.query(on: app.db).filter(\.$kind == "district").count() == 12)
            let b = Browser(app)
            #expect(try await b.login("baocao.snv", password: DemoProvince.password).status == .seeOther)
        }
    }
}
