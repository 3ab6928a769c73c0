import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #20, finding 2: sessions and tokens must not outlive a password change or reset.
@Suite struct CredentialRevocationTests {
    static let newPassword = "Sông-Hồng-mùa-lũ-2026"

    @Test(arguments: Engine.available)
    func ownChangeKeepsThisSessionAndEndsEveryOther(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "baocao")
            let here = Browser(app), elsewhere = Browser(app)
            #expect(try await here.login("baocao").status == .seeOther)
            #expect(try await elsewhere.login("baocao").status == .seeOther)
            let token = try #require(try await apiLogin(app, "baocao", password: Fixtures.password).json["token"] as? String)
            #expect(try await APIClient(app: app, token: token).send(.GET, "/api/v1/me").status == .ok)
            #expect(try await elsewhere.get("/account").status == .ok)

            try await here.get("/account")
            let before = here.cookie
            let res = try await here.post("/account/password", form: ["currentPassword": Fixtures.password,
                                                                      "newPassword": Self.newPassword, "confirmPassword": Self.newPassword])
            #expect(res.status == .seeOther)
            #expect(here.cookie != nil && here.cookie != before)  // the session id was re-issued
            #expect(try await here.get("/account").status == .ok)
            let other = try await elsewhere.get("/account")
            #expect(other.status == .seeOther)
            #expect(other.headers.first(name: .location)?.hasPrefix("/login") == true)
            let api = try await APIClient(app: app, token: token).send(.GET, "/api/v1/me")
            #expect(api.status == .unauthorized)
            #expect(api.problemCode == "auth.invalid_token")
        }
    }

    @Test(arguments: Engine.available)
    func aChangeThroughATokenKeepsThatToken(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "baocao")
            let browser = Browser(app)
            #expect(try await browser.login("baocao").status == .seeOther)
            let used = try #require(try await apiLogin(app, "baocao", password: Fixtures.password).json["token"] as? String)
            let other = try #require(try await apiLogin(app, "baocao", password: Fixtures.password).json["token"] as? String)
            let res = try await APIClient(app: app, token: used).send(.POST, "/api/v1/me/password", json: [
                "currentPassword": Fixtures.password, "newPassword": Self.newPassword])
            #expect(res.status == .noContent)
            #expect(try await APIClient(app: app, token: used).send(.GET, "/api/v1/me").status == .ok)
            #expect(try await APIClient(app: app, token: other).send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await browser.get("/account").status == .seeOther)
            let audit = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.password.change").first())
            #expect(audit.after?.contains("\"tokensRevoked\":\"1\"") == true)
        }
    }

    @Test(arguments: Engine.available)
    func anAdminResetEndsEverySessionAndToken(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let adminID = try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let uid = try await Fixtures.user(app, "baocao")
            let browser = Browser(app)
            #expect(try await browser.login("baocao").status == .seeOther)
            let token = try #require(try await apiLogin(app, "baocao", password: Fixtures.password).json["token"] as? String)
            // Warm the auth cache: the reset must not be hidden behind it.
            #expect(try await browser.get("/account").status == .ok)
            #expect(try await APIClient(app: app, token: token).send(.GET, "/api/v1/me").status == .ok)

            let admin = APIClient(app: app, token: try await Fixtures.token(app, userID: adminID))
            #expect(try await admin.send(.POST, "/api/v1/users/\(uid)/reset-password", json: ["reason": "Lộ mật khẩu"]).status == .ok)
            #expect(try await browser.get("/account").status == .seeOther)
            #expect(try await APIClient(app: app, token: token).send(.GET, "/api/v1/me").status == .unauthorized)
            // The admin's own credentials are untouched.
            #expect(try await admin.send(.GET, "/api/v1/me").status == .ok)
        }
    }

    @Test(arguments: Engine.available)
    func deactivationEndsThemForGood(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let adminID = try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let uid = try await Fixtures.user(app, "baocao")
            let browser = Browser(app)
            #expect(try await browser.login("baocao").status == .seeOther)
            let token = try await Fixtures.token(app, userID: uid)
            let admin = APIClient(app: app, token: try await Fixtures.token(app, userID: adminID))
            #expect(try await admin.send(.POST, "/api/v1/users/\(uid)/deactivate", json: [:]).status == .ok)
            #expect(try await admin.send(.POST, "/api/v1/users/\(uid)/activate", json: [:]).status == .ok)
            #expect(try await APIClient(app: app, token: token).send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await browser.get("/account").status == .seeOther)
            #expect(try await Browser(app).login("baocao").status == .seeOther)
        }
    }
}
