import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #20, finding 3: a temporary password opens nothing but the change-password page.
@Suite struct PasswordChangeRequiredTests {
    static let newPassword = "Sông-Hồng-mùa-lũ-2026"

    static func temporaryUser(_ app: Application) async throws -> (id: UUID, password: String) {
        let uid = try await Fixtures.user(app, "baocao", roles: [(.coordinator, nil)])
        let svc = UserService(context: .system(app))
        return (uid, try await svc.resetPassword(userID: uid, reason: "Cấp mới"))
    }

    @Test(arguments: Engine.available)
    func theWebShowsOnlyTheChangePage(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let (_, temp) = try await Self.temporaryUser(app)
            let b = Browser(app)
            #expect(try await b.login("baocao", password: temp).headers.first(name: .location) == "/account?change=1")
            for path in ["/", "/units", "/users", "/campaigns", "/notifications"] {
                let res = try await b.get(path)
                #expect(res.status == .seeOther, "\(path)")
                #expect(res.headers.first(name: .location) == "/account?change=1", "\(path)")
            }
            let account = try await b.get("/account?change=1")
            #expect(account.status == .ok)
            #expect(account.body.string.contains("mật khẩu tạm thời"))
            #expect(!account.body.string.contains("Tạo mã truy cập"))
            let tokenForm = try await b.post("/account/tokens", form: ["name": "Excel"])
            #expect(tokenForm.headers.first(name: .location) == "/account?change=1")
            #expect(try await TokenModelCount.of(app) == 0)
            // Anonymous pages stay reachable.
            #expect(try await b.get("/public").status == .ok)
            try await b.get("/account")
            let changed = try await b.post("/account/password", form: ["currentPassword": temp, "newPassword": Self.newPassword,
                                                                     "confirmPassword": Self.newPassword])
            #expect(changed.status == .seeOther)
            #expect(try await b.get("/units").status == .ok)
        }
    }

    @Test(arguments: Engine.available)
    func logoutStaysAllowed(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let (_, temp) = try await Self.temporaryUser(app)
            let b = Browser(app)
            _ = try await b.login("baocao", password: temp)
            try await b.get("/account")
            let out = try await b.post("/logout")
            #expect(out.headers.first(name: .location) == "/login")
            #expect(try await b.get("/account").headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: Engine.available)
    func theAPIAnswers403UntilThePasswordIsChanged(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let (_, temp) = try await Self.temporaryUser(app)
            let login = try await apiLogin(app, "baocao", password: temp)
            #expect(login.status == .ok)
            let api = APIClient(app: app, token: try #require(login.json["token"] as? String))
            for (method, path) in [(HTTPMethod.GET, "/api/v1/units"), (.GET, "/api/v1/tokens"), (.POST, "/api/v1/tokens"),
                                   (.GET, "/api/v1/users"), (.GET, "/api/v1/roles")] {
                let res = try await api.send(method, path, json: method == .GET ? nil : ["name": "x"])
                #expect(res.status == .forbidden, "\(method) \(path)")
                #expect(res.problemCode == "auth.password_change_required", "\(method) \(path)")
                #expect(res.json["detail"] as? String == "Bạn phải đổi mật khẩu tạm thời trước khi sử dụng hệ thống (POST /api/v1/me/password).")
            }
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            // Anonymous routes answer as for anyone.
            #expect(try await api.send(.GET, "/api/v1/public/campaigns").status == .ok)
            let change = try await api.send(.POST, "/api/v1/me/password", json: ["currentPassword": temp, "newPassword": Self.newPassword])
            #expect(change.status == .noContent)
            #expect(try await api.send(.GET, "/api/v1/units").status == .ok)
        }
    }
}

enum TokenModelCount {
    static func of(_ app: Application) async throws -> Int { try await APITokenModel.query(on: app.db).count() }
}
