import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct AccountTests {
    @Test(arguments: Engine.available)
    func passwordChangeChecksTheCurrentPasswordAndRules(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "baocao")
            let b = Browser(app)
            _ = try await b.login("baocao")
            try await b.get("/account")
            let wrong = try await b.post("/account/password", form: ["currentPassword": "x", "newPassword": "mot-mat-khau-moi", "confirmPassword": "mot-mat-khau-moi"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Mật khẩu hiện tại không đúng."))
            let short = try await b.post("/account/password", form: ["currentPassword": Fixtures.password, "newPassword": "ngan", "confirmPassword": "ngan"])
            #expect(short.body.string.contains("ít nhất 10 ký tự"))
            let ok = try await b.post("/account/password", form: ["currentPassword": Fixtures.password, "newPassword": "mot-mat-khau-moi", "confirmPassword": "mot-mat-khau-moi"])
            #expect(ok.status == .seeOther)
            try await b.post("/logout")
            #expect(try await Browser(app).login("baocao", password: "mot-mat-khau-moi").status == .seeOther)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.password.change").count()
            #expect(audit == 1)
        }
    }

    @Test(arguments: Engine.available)
    func apiTokensAreShownOnceListedAndRevocable(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
            let login = try await APIClient(app: app, token: nil).send(.POST, "/api/v1/auth/token",
                json: ["username": "dieuphoi", "password": Fixtures.password, "tokenName": "kịch bản"])
            #expect(login.status == .ok)
            let token = try #require(login.json["token"] as? String)
            #expect(token.hasPrefix("pxt_"))
            let api = APIClient(app: app, token: token)
            let me = try await api.send(.GET, "/api/v1/me")
            #expect(me.json["username"] as? String == "dieuphoi")
            let list = try await api.send(.GET, "/api/v1/tokens")
            #expect(!list.body.string.contains(token))
            #expect(list.body.string.contains("kịch bản"))
            let id = try #require(login.json["id"] as? String)
            #expect(try await api.send(.DELETE, "/api/v1/tokens/\(id)").status == .noContent)
            let after = try await api.send(.GET, "/api/v1/me")
            #expect(after.status == .unauthorized)
            #expect(after.problemCode == "auth.invalid_token")
            #expect(after.json["detail"] as? String == "Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
        }
    }

    @Test(arguments: Engine.available)
    func tokensCreatedInTheUIAreShownOnce(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "baocao")
            let b = Browser(app)
            _ = try await b.login("baocao")
            try await b.get("/account")
            let page = try await b.post("/account/tokens", form: ["name": "Excel", "expiresInDays": "30"])
            #expect(page.body.string.contains("chỉ hiển thị một lần"))
            let again = try await b.get("/account")
            #expect(again.body.string.contains("Excel"))
            #expect(!again.body.string.contains("chỉ hiển thị một lần, hãy lưu lại"))
            let bad = try await b.post("/account/tokens", form: ["name": "", "expiresInDays": "0"])
            #expect(bad.body.string.contains("Thời hạn phải từ 1 đến 3.650 ngày."))
        }
    }

    @Test(arguments: Engine.available)
    func adminCreatesUsersAssignsScopedRolesAndResetsPasswords(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            let adminID = try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: adminID))
            let created = try await api.send(.POST, "/api/v1/users", json: ["username": "BaoCao.SNV", "fullName": "Nguyễn Văn A"])
            #expect(created.status == .created)
            let temp = try #require(created.json["generatedPassword"] as? String)
            let user = try #require(created.json["user"] as? [String: Any])
            #expect(user["username"] as? String == "baocao.snv")
            let uid = try #require(user["id"] as? String)
            let dup = try await api.send(.POST, "/api/v1/users", json: ["username": "baocao.snv", "fullName": "B"])
            #expect(dup.status == .unprocessableEntity)
            #expect((dup.json["errors"] as? [[String: String]])?.first?["message"] == "Tên đăng nhập “baocao.snv” đã tồn tại.")
            let noUnit = try await api.send(.POST, "/api/v1/users/\(uid)/roles", json: ["role": "unit_reporter"])
            #expect(noUnit.status == .unprocessableEntity)
            let role = try await api.send(.POST, "/api/v1/users/\(uid)/roles", json: ["role": "unit_reporter", "unitCode": "SNV"])
            #expect(role.status == .created)
            #expect(role.json["unitId"] as? String == p.snv.uuidString)
            // The temporary password works and must be changed.
            let b = Browser(app)
            #expect(try await b.login("baocao.snv", password: temp).headers.first(name: .location) == "/account?change=1")
            let reset = try await api.send(.POST, "/api/v1/users/\(uid)/reset-password", json: ["reason": "Quên mật khẩu"])
            let newTemp = try #require(reset.json["temporaryPassword"] as? String)
            #expect(newTemp != temp)
            #expect(try await Browser(app).login("baocao.snv", password: temp).status == .unauthorized)
            let deact = try await api.send(.POST, "/api/v1/users/\(uid)/deactivate", json: ["reason": "Chuyển công tác"])
            #expect(deact.json["active"] as? Bool == false)
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "user").all().map(\.action)
            #expect(Set(actions) == ["user.create", "user.role.assign", "user.password.reset", "user.deactivate"])
        }
    }
}
