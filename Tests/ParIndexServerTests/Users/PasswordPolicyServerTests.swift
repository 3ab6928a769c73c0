import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #20, finding 5: the policy applies to creation (API, web, CLI), admin resets with a
/// chosen password and the user's own change.
@Suite struct PasswordPolicyServerTests {
    @Test(arguments: Engine.available)
    func commonAndTrivialPasswordsAreRefusedEverywhere(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let adminID = try await Fixtures.user(app, "admin", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: adminID))
            let created = try await api.send(.POST, "/api/v1/users", json: ["username": "baocao", "fullName": "Trần Thị B",
                                                                          "password": "password123"])
            #expect(created.status == .unprocessableEntity)
            #expect(created.body.string.contains("quá phổ biến"))

            let b = Browser(app)
            _ = try await b.login("admin")
            try await b.get("/users")
            let web = try await b.post("/users", form: ["username": "baocao", "fullName": "Trần Thị B", "password": "tranthib2026"])
            #expect(web.status == .unprocessableEntity)
            #expect(web.body.string.contains("Mật khẩu không được chứa họ và tên."))

            do {
                _ = try await AdminTasks.createUser(app, username: "baocao", fullName: "Trần Thị B", password: "1234567890", roles: [])
                Issue.record("the CLI accepted 1234567890")
            } catch let AppError.validation(problems) {
                #expect(problems.contains { $0.field == "password" && $0.message.contains("dãy chữ số") })
            }
            _ = try await AdminTasks.createUser(app, username: "baocao", fullName: "Trần Thị B", password: "Mưa-phùn-tháng-hai", roles: [])
            do {
                _ = try await AdminTasks.resetPassword(app, username: "baocao", newPassword: "matkhau123")
                Issue.record("the reset accepted matkhau123")
            } catch let AppError.validation(problems) {
                #expect(problems.first?.message.contains("quá phổ biến") == true)
            }

            let user = Browser(app)
            _ = try await user.login("baocao", password: "Mưa-phùn-tháng-hai")
            try await user.get("/account")
            let change = try await user.post("/account/password", form: ["currentPassword": "Mưa-phùn-tháng-hai",
                                                                        "newPassword": "aaaaaaaaaaaa", "confirmPassword": "aaaaaaaaaaaa"])
            #expect(change.status == .unprocessableEntity)
            #expect(change.body.string.contains("chỉ lặp lại một ký tự"))
        }
    }
}
