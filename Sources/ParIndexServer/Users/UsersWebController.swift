import Fluent
import Foundation
import ParIndexCore
import Vapor

/// User administration pages.
struct UsersWebController {
    func register(_ web: GuardedRoutes) {
        let users = web.grouped("users")
        users.get(permission: .usersRead, use: index)
        users.post(permission: .usersManage, use: create)
        users.get(":userID", permission: .usersRead, use: show)
        users.post(":userID", "roles", permission: .usersManage, use: assignRole)
        users.post(":userID", "roles", ":assignmentID", "remove", permission: .usersManage, use: removeRole)
        users.post(":userID", "reset-password", permission: .usersManage, use: resetPassword)
        users.post(":userID", "unlock", permission: .usersManage, use: unlock)
        users.post(":userID", "deactivate", permission: .usersManage, use: deactivate)
        users.post(":userID", "activate", permission: .usersManage, use: activate)
    }

    struct RoleOption: Encodable, Sendable { var value: String; var label: String }

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var users: [UserDTO]
        var q: String
        var canManage: Bool
        var errors: FormErrors
        var created: CreatedUser?
    }

    @Sendable func index(req: Request) async throws -> View {
        try await render(req, errors: FormErrors(), created: nil)
    }

    private func render(_ req: Request, errors: FormErrors, created: CreatedUser?) async throws -> View {
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let result = try await UserService(request: req).list(q: q, page: PageRequest(page: 1, per: 500))
        return try await req.view.render("users/index", IndexPage(
            page: PageContext(req, title: "Người dùng"), users: result.items, q: q,
            canManage: try req.requireUser().policy.allowsSomewhere(.usersManage), errors: errors, created: created))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UserInput.self)
        do {
            let created = try await UserService(request: req).create(input)
            return try await render(req, errors: FormErrors(), created: created).encodeResponse(for: req)
        } catch where FormErrors.isUserError(error) {
            let response = try await render(req, errors: FormErrors(error, typedIn: req), created: nil).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct ShowPage: Encodable, Sendable {
        var page: PageContext
        var user: UserDTO
        var roles: [RoleOption]
        var canManage: Bool
        var errors: FormErrors
        var temporaryPassword: String?
    }

    @Sendable func show(req: Request) async throws -> View {
        try await renderShow(req, errors: FormErrors(), temporaryPassword: nil)
    }

    private func renderShow(_ req: Request, errors: FormErrors, temporaryPassword: String?) async throws -> View {
        let user = try await UserService(request: req).find(try req.parameters.require("userID", as: UUID.self))
        return try await req.view.render("users/show", ShowPage(
            page: PageContext(req, title: "Người dùng \(user.username)"), user: UserService.dto(user),
            roles: Role.allCases.map { RoleOption(value: $0.rawValue, label: $0.labelVI) },
            canManage: try req.requireUser().policy.allowsSomewhere(.usersManage), errors: errors,
            temporaryPassword: temporaryPassword))
    }

    struct RoleForm: Content {
        var role: String
        var unitCode: String?
        var includeDescendants: String?
        var reason: String?
    }

    @Sendable func assignRole(req: Request) async throws -> Response {
        let id = try req.parameters.require("userID", as: UUID.self)
        let form = try req.content.decode(RoleForm.self)
        do {
            _ = try await UserService(request: req).assignRole(userID: id, RoleInput(
                role: form.role, unitCode: form.unitCode, includeDescendants: form.includeDescendants != nil, reason: form.reason))
            req.flash(.success, "Đã phân quyền.")
            return req.redirect(to: "/users/\(id)")
        } catch where FormErrors.isUserError(error) {
            let response = try await renderShow(req, errors: FormErrors(error, typedIn: req), temporaryPassword: nil).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    @Sendable func removeRole(req: Request) async throws -> Response {
        let id = try req.parameters.require("userID", as: UUID.self)
        try await UserService(request: req).removeRole(userID: id, assignmentID: try req.parameters.require("assignmentID", as: UUID.self),
                                                       reason: try req.optionalBodyField("reason"))
        req.flash(.success, "Đã gỡ quyền.")
        return req.redirect(to: "/users/\(id)")
    }

    @Sendable func resetPassword(req: Request) async throws -> View {
        let id = try req.parameters.require("userID", as: UUID.self)
        let pw = try await UserService(request: req).resetPassword(userID: id, reason: try req.optionalBodyField("reason"))
        return try await renderShow(req, errors: FormErrors(), temporaryPassword: pw)
    }

    @Sendable func unlock(req: Request) async throws -> Response {
        let id = try req.parameters.require("userID", as: UUID.self)
        let cleared = try await UserService(request: req).unlock(userID: id, reason: try? req.content.get(String.self, at: "reason"))
        req.flash(.success, cleared == 0 ? "Tài khoản không bị chặn đăng nhập ở địa chỉ nào."
                                         : "Đã gỡ chặn đăng nhập (\(cleared) địa chỉ).")
        return req.redirect(to: "/users/\(id)")
    }

    @Sendable func deactivate(req: Request) async throws -> Response { try await setActive(req, false) }
    @Sendable func activate(req: Request) async throws -> Response { try await setActive(req, true) }

    private func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let id = try req.parameters.require("userID", as: UUID.self)
        _ = try await UserService(request: req).setActive(userID: id, active, reason: try req.optionalBodyField("reason"))
        req.flash(.success, active ? "Đã mở khóa tài khoản." : "Đã khóa tài khoản.")
        return req.redirect(to: "/users/\(id)")
    }
}
