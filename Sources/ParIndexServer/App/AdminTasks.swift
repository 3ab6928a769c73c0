import Fluent
import Foundation
import ParIndexCore
import Vapor

/// What the command line can do to accounts and units. The same services as the web and
/// API, audited with the actor `cli:<os user>`.
public enum AdminTasks {
    static var cliActor: Audit.Actor {
        Audit.Actor(id: nil, name: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"))
    }

    public struct UserLine: Sendable {
        public var username: String
        public var fullName: String
        public var active: Bool
        public var roles: [String]
    }

    /// Creates a user with roles like `coordinator` or `unit_reporter@SNV` (`+` after the code
    /// includes descendants). Returns the generated password when none was given.
    public static func createUser(_ app: Application, username: String, fullName: String, email: String? = nil,
                                  password: String?, roles: [String]) async throws -> String? {
        let svc = UserService(context: .system(app, actor: cliActor))
        let created = try await svc.create(UserInput(username: username, fullName: fullName, email: email, password: password,
                                                     reason: "Tạo bằng dòng lệnh"))
        for spec in roles {
            let parts = spec.split(separator: "@", maxSplits: 1).map(String.init)
            var unit = parts.count > 1 ? parts[1] : nil
            let descendants = unit?.hasSuffix("+") ?? false
            if descendants { unit?.removeLast() }
            _ = try await svc.assignRole(userID: created.user.id, RoleInput(role: parts[0], unitCode: unit,
                                                                            includeDescendants: descendants,
                                                                            reason: "Tạo bằng dòng lệnh"))
        }
        return created.generatedPassword
    }

    public static func listUsers(_ app: Application) async throws -> [UserLine] {
        let page = try await UserService(context: .system(app, actor: cliActor)).list(q: nil, page: PageRequest(page: 1, per: 100_000))
        return page.items.map { u in
            UserLine(username: u.username, fullName: u.fullName, active: u.active,
                     roles: u.roles.map { $0.role + ($0.unitCode.map { "@\($0)" } ?? "") })
        }
    }

    public static func resetPassword(_ app: Application, username: String, newPassword: String?) async throws -> String {
        let svc = UserService(context: .system(app, actor: cliActor))
        let user = try await svc.find(username: username)
        return try await svc.resetPassword(userID: user.id!, newPassword: newPassword, reason: "Đặt lại bằng dòng lệnh")
    }

    public struct ImportResult: Sendable {
        public var created: Int
        public var updated: Int
        public var rows: Int
    }

    /// Imports a units CSV; throws ``AppError/importFailed(_:)`` with every row's errors.
    public static func importUnits(_ app: Application, csv: Data, dryRun: Bool) async throws -> ImportResult {
        let s = try await UnitService(context: .system(app, actor: cliActor)).importCSV(csv, dryRun: dryRun)
        return ImportResult(created: s.created, updated: s.updated, rows: s.rows)
    }

    /// Vietnamese lines describing an error for the terminal.
    public static func describe(_ error: any Error) -> [String] {
        switch error {
        case let AppError.importFailed(rows): [ImportErrors(rows: rows).messageVI] + rows.map(\.displayVI)
        case let AppError.validation(problems): [AppError.validation(problems).messageVI] + problems.map { "- \($0.field): \($0.message)" }
        case let e as any DomainError: [e.messageVI]
        default: [String(describing: error)]
        }
    }
}
