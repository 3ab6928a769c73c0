import Fluent
import Foundation
import ParIndexCore
import Vapor

/// `/api/v1/users`: accounts and role assignments (admin manages; coordinator reads).
struct UsersAPIController {
    func register(_ api: GuardedRoutes) {
        let users = api.grouped("users")
        users.get(permission: .usersRead, use: list)
        users.post(permission: .usersManage, use: create)
        users.get(":userID", permission: .usersRead, use: show)
        users.post(":userID", "roles", permission: .usersManage, use: assignRole)
        users.on(.DELETE, ":userID", "roles", ":assignmentID", permission: .usersManage, use: removeRole)
        users.post(":userID", "reset-password", permission: .usersManage, use: resetPassword)
        users.post(":userID", "unlock", permission: .usersManage, use: unlock)
        users.post(":userID", "deactivate", permission: .usersManage, use: deactivate)
        users.post(":userID", "activate", permission: .usersManage, use: activate)
        api.get("roles", permission: .authenticated, use: roles)
    }

    @Sendable func list(req: Request) async throws -> Page<UserDTO> {
        try await UserService(request: req).list(q: try? req.query.get(String.self, at: "q"),
                                                 page: try req.pageRequest())
    }

    @Sendable func show(req: Request) async throws -> UserDTO {
        UserService.dto(try await UserService(request: req).find(try req.parameters.require("userID", as: UUID.self)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let created = try await UserService(request: req).create(try req.content.decode(UserInput.self))
        let response = try await created.encodeResponse(for: req)
        response.status = .created
        return response
    }

    @Sendable func assignRole(req: Request) async throws -> Response {
        let dto = try await UserService(request: req).assignRole(userID: try req.parameters.require("userID", as: UUID.self),
                                                                 try req.content.decode(RoleInput.self))
        let response = try await dto.encodeResponse(for: req)
        response.status = .created
        return response
    }

    struct ReasonBody: Content { var reason: String? }

    @Sendable func removeRole(req: Request) async throws -> HTTPStatus {
        try await UserService(request: req).removeRole(userID: try req.parameters.require("userID", as: UUID.self),
                                                       assignmentID: try req.parameters.require("assignmentID", as: UUID.self),
                                                       reason: try? req.query.get(String.self, at: "reason"))
        return .noContent
    }

    struct ResetResult: Content { var temporaryPassword: String }

    @Sendable func resetPassword(req: Request) async throws -> ResetResult {
        let reason = try req.decodeOptionalBody(ReasonBody?.self, or: nil)?.reason
        let pw = try await UserService(request: req).resetPassword(userID: try req.parameters.require("userID", as: UUID.self),
                                                                   reason: reason)
        return ResetResult(temporaryPassword: pw)
    }

    struct UnlockResult: Content {
        /// How many username + address throttle counters were cleared (0: nothing was locked).
        var clearedCounters: Int
    }

    @Sendable func unlock(req: Request) async throws -> UnlockResult {
        let reason = (try? req.content.decode(ReasonBody.self))?.reason
        let cleared = try await UserService(request: req).unlock(userID: try req.parameters.require("userID", as: UUID.self),
                                                                 reason: reason)
        return UnlockResult(clearedCounters: cleared)
    }

    @Sendable func deactivate(req: Request) async throws -> UserDTO {
        try await UserService(request: req).setActive(userID: try req.parameters.require("userID", as: UUID.self), false,
                                                      reason: try req.decodeOptionalBody(ReasonBody?.self, or: nil)?.reason)
    }

    @Sendable func activate(req: Request) async throws -> UserDTO {
        try await UserService(request: req).setActive(userID: try req.parameters.require("userID", as: UUID.self), true,
                                                      reason: try req.decodeOptionalBody(ReasonBody?.self, or: nil)?.reason)
    }

    struct RoleInfo: Content { var code: String; var label: String }

    @Sendable func roles(req: Request) async throws -> [RoleInfo] {
        Role.allCases.map { RoleInfo(code: $0.rawValue, label: $0.labelVI) }
    }
}
