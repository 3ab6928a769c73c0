import Fluent
import Foundation
import ParIndexCore
import Vapor

/// First start: with no user at all, create `admin` with a random password printed once,
/// so a fresh installation is usable and no default password exists anywhere.
public enum Bootstrap {
    public static func ensureAdmin(_ app: Application) async throws -> (username: String, password: String)? {
        guard try await UserModel.query(on: app.db).count() == 0 else { return nil }
        let password = PasswordPolicy.generate()
        let user = UserModel(username: "admin", fullName: "Quản trị hệ thống",
                             passwordHash: try await app.password.async.hash(password).get(), mustChangePassword: true)
        try await app.db.writeTransaction { db in
            try await user.create(on: db)
            try await RoleAssignmentModel(userID: user.id!, role: .admin, unitID: nil, includeDescendants: false).create(on: db)
            try await ServiceContext.system(app).audit(on: db, "user.bootstrap", entity: "user", entityID: "admin",
                                                       after: ["role": "admin"], reason: "Khởi tạo hệ thống lần đầu")
        }
        return ("admin", password)
    }

    /// Applies pending migrations and SQLite tuning; used by `serve`, `demo` and `migrate`.
    public static func prepareDatabase(_ app: Application) async throws {
        try await DatabaseSetup.tuneSQLite(app)
        try await app.autoMigrate()
    }
}
