import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct LoginTests {
    @Test(arguments: Engine.available)
    func loginSetsAHardenedCookieAndLogoutEndsTheSession(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
            let b = Browser(app)
            let res = try await b.login("dieuphoi")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/")
            let cookie = try #require(res.headers[.setCookie].first { $0.hasPrefix("parindex_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("SameSite=Lax"))
            let home = try await b.get("/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("Người dùng dieuphoi"))
            try await b.post("/logout")
            #expect(try await b.get("/").status == .seeOther)
        }
    }

    @Test(arguments: Engine.available)
    func wrongPasswordIsRefusedInVietnamese(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "baocao")
            let res = try await Browser(app).login("baocao", password: "sai-mat-khau")
            #expect(res.status == .unauthorized)
            #expect(res.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            let api = try await APIClient(app: app, token: nil)
                .send(.POST, "/api/v1/auth/token", json: ["username": "baocao", "password": "sai"])
            #expect(api.status == .unauthorized)
            #expect(api.problemCode == "auth.invalid_credentials")
            #expect(api.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        }
    }

    @Test(arguments: Engine.available)
    func repeatedFailuresAreThrottledEvenWithTheRightPassword(engine: Engine) async throws {
        try await withTestApp(engine, settings: .testing { $0.loginMaxFailures = 3 }) { app in
            try await Fixtures.user(app, "baocao")
            let b = Browser(app)
            for _ in 0..<3 { #expect(try await b.login("baocao", password: "sai-mat-khau").status == .unauthorized) }
            let blocked = try await b.login("baocao")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("Đăng nhập sai quá nhiều lần"))
            // Another account is not affected.
            try await Fixtures.user(app, "khac")
            #expect(try await Browser(app).login("khac").status == .seeOther)
        }
    }

    @Test(arguments: Engine.available)
    func formsWithoutAValidCSRFTokenAreRefused(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let b = Browser(app)
            #expect(try await b.login("admin").status == .seeOther)
            let missing = try await b.post("/units", form: ["code": "X", "name": "Y", "kind": "province"], csrf: "")
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("mã xác thực CSRF"))
            let wrong = try await b.post("/units", form: ["code": "X", "name": "Y", "kind": "province"], csrf: "forged")
            #expect(wrong.status == .forbidden)
            #expect(try await UnitModel.query(on: app.db).count() == 0)
            // A login form posted without ever loading the page (no session) is refused too.
            let cold = try await Browser(app).post("/login", form: ["username": "admin", "password": Fixtures.password])
            #expect(cold.status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func idleSessionsExpireWithAClearMessage(engine: Engine) async throws {
        try await withTestApp(engine, settings: .testing { $0.sessionIdleTimeout = 0.5 }) { app in
            try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let b = Browser(app)
            _ = try await b.login("admin")
            try await Task.sleep(for: .seconds(1.1))
            let res = try await b.get("/units")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)
            let login = try await b.get("/login")
            #expect(login.body.string.contains("Phiên đăng nhập đã hết hạn"))
            let api = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/units")
            #expect(api.status == .unauthorized)
        }
    }

    @Test(arguments: Engine.available)
    func inactiveAccountsCannotLogIn(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let id = try await Fixtures.user(app, "cu")
            let u = try #require(try await UserModel.find(id, on: app.db))
            u.active = false
            try await u.save(on: app.db)
            let res = try await Browser(app).login("cu")
            #expect(res.status == .unauthorized)
            #expect(res.body.string.contains("Tài khoản đã bị khóa"))
        }
    }

    @Test(arguments: Engine.available)
    func openRedirectsAreNeutralised(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            // Issue #20: `/%09/evil.example` used to pass (the browser drops the tab).
            for hostile in ["//evil.example", "/%09/evil.example", "/\\evil.example", "/%2F%2Fevil.example", "https://evil.example"] {
                let b = Browser(app)
                try await b.get("/login?next=" + (hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                let res = try await b.post("/login", form: ["username": "admin", "password": Fixtures.password, "next": hostile])
                #expect(res.headers.first(name: .location) == "/", "\(hostile)")
            }
            let b = Browser(app)
            try await b.get("/login")
            let local = try await b.post("/login", form: ["username": "admin", "password": Fixtures.password, "next": "/units?page=2"])
            #expect(local.headers.first(name: .location) == "/units?page=2")
            // The login page never echoes a hostile target into its form.
            let page = try await Browser(app).get("/login?next=%2F%2509%2Fevil.example")
            #expect(!page.body.string.contains("evil.example"))
        }
    }
}
