import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Login, logout, the user's own account (password, API tokens): web pages and API.
struct AuthController {
    func register(web: GuardedRoutes, api: GuardedRoutes) {
        web.get("login", permission: .anonymous, use: loginPage)
        web.post("login", permission: .anonymous, use: login)
        web.post("logout", permission: .anonymous, use: logout)
        web.get("account", permission: .authenticated, beforePasswordChange: true, use: accountPage)
        web.post("account", "password", permission: .authenticated, beforePasswordChange: true, use: changePassword)
        web.post("account", "tokens", permission: .authenticated, use: createTokenForm)
        web.post("account", "tokens", ":tokenID", "revoke", permission: .authenticated, use: revokeTokenForm)

        api.post("auth", "token", permission: .anonymous, use: apiLogin)
        api.get("me", permission: .authenticated, beforePasswordChange: true, use: me)
        api.post("me", "password", permission: .authenticated, beforePasswordChange: true, use: apiChangePassword)
        api.get("tokens", permission: .authenticated, use: listTokens)
        api.post("tokens", permission: .authenticated, use: apiCreateToken)
        api.on(.DELETE, "tokens", ":tokenID", permission: .authenticated, use: apiRevokeToken)
    }

    // MARK: Web

    struct LoginPage: Encodable, Sendable {
        var page: PageContext
        var username: String
        var next: String
        var error: String?
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable func loginPage(req: Request) async throws -> View {
        let next = LocalRedirect.sanitise(try? req.query.get(String.self, at: "next"))
        return try await req.view.render("login", LoginPage(page: PageContext(req, title: "Đăng nhập"), username: "", next: next))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await LoginService(request: req).authenticate(username: form.username, password: form.password,
                                                                         from: req.clientAddress)
            try await req.startSession(for: user)
            let target = LocalRedirect.sanitise(form.next)
            return req.redirect(to: user.mustChangePassword ? Authorize.passwordChangePage : target)
        } catch let error as AppError {
            let page = LoginPage(page: PageContext(req, title: "Đăng nhập"), username: form.username,
                                 next: LocalRedirect.sanitise(form.next), error: error.messageVI)
            let response = try await req.view.render("login", page).encodeResponse(for: req)
            response.status = error.status == .tooManyRequests ? .tooManyRequests : .unauthorized
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    struct AccountPage: Encodable, Sendable {
        var page: PageContext
        var errors: FormErrors
        var tokens: [TokenDTO]
        var newToken: String?
        var mustChange: Bool
        var roles: [String]
    }

    @Sendable func accountPage(req: Request) async throws -> View {
        try await renderAccount(req, errors: FormErrors(), newToken: nil)
    }

    private func renderAccount(_ req: Request, errors: FormErrors, newToken: String?) async throws -> View {
        let user = try req.requireUser()
        let tokens = try await TokenService(request: req).list(for: user.id)
        let roleRows = try await RoleAssignmentModel.query(on: req.db).filter(\.$user.$id == user.id).with(\.$unit).all()
        let roles = roleRows.map { r in
            (Role(rawValue: r.role)?.labelVI ?? r.role) + " — " + (r.unit.map { $0.name + (r.includeDescendants ? " và các đơn vị trực thuộc" : "") } ?? "toàn hệ thống")
        }
        return try await req.view.render("account", AccountPage(page: PageContext(req, title: "Tài khoản"), errors: errors,
                                                                tokens: tokens, newToken: newToken,
                                                                mustChange: user.mustChangePassword, roles: roles))
    }

    struct PasswordChange: Content {
        var currentPassword: String
        var newPassword: String
        var confirmPassword: String?
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let form = try req.content.decode(PasswordChange.self)
        do {
            let version = try await UserService(request: req).changeOwnPassword(form)
            // This session carries on (under a new id); every other one of the user is over.
            try await req.renewSession(userID: try req.requireUser().id, credentialsVersion: version)
            req.flash(.success, "Đã đổi mật khẩu.")
            return req.redirect(to: "/account")
        } catch where FormErrors.isUserError(error) {
            let response = try await renderAccount(req, errors: FormErrors(error, typedIn: req), newToken: nil).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct TokenForm: Content {
        var name: String
        /// Days until the token expires; empty for no expiry.
        var expiresInDays: Int?
    }

    @Sendable func createTokenForm(req: Request) async throws -> View {
        let form = try req.content.decode(TokenForm.self)
        do {
            let created = try await TokenService(request: req).create(name: form.name, expiresInDays: form.expiresInDays)
            return try await renderAccount(req, errors: FormErrors(), newToken: created.token)
        } catch where FormErrors.isUserError(error) {
            return try await renderAccount(req, errors: FormErrors(error, typedIn: req), newToken: nil)
        }
    }

    @Sendable func revokeTokenForm(req: Request) async throws -> Response {
        try await TokenService(request: req).revoke(try req.parameters.require("tokenID", as: UUID.self))
        req.flash(.success, "Đã thu hồi mã truy cập.")
        return req.redirect(to: "/account")
    }

    // MARK: API

    struct APILogin: Content {
        var username: String
        var password: String
        var tokenName: String?
        var expiresInDays: Int?
    }

    @Sendable func apiLogin(req: Request) async throws -> CreatedToken {
        let body = try req.content.decode(APILogin.self)
        let user = try await LoginService(request: req).authenticate(username: body.username, password: body.password,
                                                                     from: req.clientAddress)
        req.currentUser = try await CurrentUserMiddleware.load(userID: user.id!, on: req.db, viaToken: true)
        return try await TokenService(request: req).create(name: body.tokenName ?? "API", expiresInDays: body.expiresInDays ?? 30)
    }

    struct MeDTO: Content {
        var id: UUID
        var username: String
        var fullName: String
        var roles: [RoleAssignmentDTO]
    }

    @Sendable func me(req: Request) async throws -> MeDTO {
        let user = try req.requireUser()
        let roles = try await UserService(request: req).roleDTOs(for: user.id)
        return MeDTO(id: user.id, username: user.username, fullName: user.fullName, roles: roles)
    }

    @Sendable func apiChangePassword(req: Request) async throws -> HTTPStatus {
        let version = try await UserService(request: req).changeOwnPassword(try req.content.decode(PasswordChange.self))
        let user = try req.requireUser()
        if !user.viaToken { try await req.renewSession(userID: user.id, credentialsVersion: version) }
        return .noContent
    }

    @Sendable func listTokens(req: Request) async throws -> [TokenDTO] {
        try await TokenService(request: req).list(for: try req.requireUser().id)
    }

    @Sendable func apiCreateToken(req: Request) async throws -> Response {
        let form = try req.content.decode(TokenForm.self)
        let created = try await TokenService(request: req).create(name: form.name, expiresInDays: form.expiresInDays)
        let response = try await created.encodeResponse(for: req)
        response.status = .created
        return response
    }

    @Sendable func apiRevokeToken(req: Request) async throws -> HTTPStatus {
        try await TokenService(request: req).revoke(try req.parameters.require("tokenID", as: UUID.self))
        return .noContent
    }
}
