import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Accounts and role assignments, shared by web pages, API and CLI. Every write audited.
struct UserService: ContextService {
    let context: ServiceContext

    private var hasher: AsyncPasswordHasher {
        let app = context.application
        return app.password.sync.async(on: app.passwordHashing.pool, hopTo: app.eventLoopGroup.next())
    }
    private var currentUserID: UUID? { context.user?.id }
    /// The API token the current request came with: kept when its owner changes the password.
    private var currentTokenID: UUID? { context.user?.tokenID }
    /// Dropped for a user whenever their roles, password or active flag change.
    private var cache: AuthCache { context.application.authCache }
    private var clock: Clock { context.clock }

    private func audit(on db: any Database, _ action: String, _ user: UserModel, before: (any Encodable & Sendable)?,
                       after: (any Encodable & Sendable)?, reason: String? = nil, unitID: UUID? = nil) async throws {
        try await context.audit(on: db, action, entity: "user", entityID: user.username, unitID: unitID,
                                before: before, after: after, reason: reason)
    }

    // MARK: Queries

    func list(q: String?, page: PageRequest) async throws -> Page<UserDTO> {
        var query = UserModel.query(on: db).with(\.$roles) { $0.with(\.$unit) }
        if let q, !q.isEmpty {
            query = query.group(.or) { $0.filter(\.$username, .contains(inverse: false, .anywhere), q.lowercased())
                .filter(\.$fullName, .contains(inverse: false, .anywhere), q) }
        }
        let result = try await query.sort(\.$username).paginate(page)
        return Page(items: result.items.map(Self.dto), metadata: result.metadata)
    }

    func find(_ id: UUID) async throws -> UserModel {
        guard let u = try await UserModel.query(on: db).filter(\.$id == id).with(\.$roles, { $0.with(\.$unit) }).first() else {
            throw AppError.notFound(entity: "người dùng")
        }
        return u
    }

    func find(username: String) async throws -> UserModel {
        guard let u = try await UserModel.query(on: db).filter(\.$username == UserModel.normalise(username: username))
            .with(\.$roles, { $0.with(\.$unit) }).first() else { throw AppError.notFound(entity: "người dùng “\(username)”") }
        return u
    }

    static func dto(_ u: UserModel) -> UserDTO {
        UserDTO(id: u.id!, username: u.username, fullName: u.fullName, email: u.email, active: u.active,
                lastLoginAt: u.lastLoginAt.map(VietnameseDate.formatDateTime),
                roles: u.roles.map(roleDTO).sorted { ($0.role, $0.unitCode ?? "") < ($1.role, $1.unitCode ?? "") })
    }

    static func roleDTO(_ r: RoleAssignmentModel) -> RoleAssignmentDTO {
        RoleAssignmentDTO(id: r.id!, role: r.role, roleLabel: Role(rawValue: r.role)?.labelVI ?? r.role,
                          unitId: r.$unit.id, unitCode: r.unit?.code, unitName: r.unit?.name,
                          includeDescendants: r.includeDescendants)
    }

    func roleDTOs(for userID: UUID) async throws -> [RoleAssignmentDTO] {
        try await RoleAssignmentModel.query(on: db).filter(\.$user.$id == userID).with(\.$unit).all().map(Self.roleDTO)
    }

    // MARK: Writes

    func create(_ input: UserInput) async throws -> CreatedUser {
        let username = UserModel.normalise(username: input.username)
        var problems: [AppError.FieldProblem] = []
        if !(3...64).contains(username.count) || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            problems.append(.init(field: "username", message: "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, chữ số, dấu . _ -"))
        } else if try await UserModel.query(on: db).filter(\.$username == username).count() > 0 {
            problems.append(.init(field: "username", message: "Tên đăng nhập “\(username)” đã tồn tại."))
        }
        let (fullName, fullNameProblem) = TextRules.check(input.fullName, .name, fieldVI: "Họ và tên", maxLength: 255).pair
        if let fullNameProblem { problems.append(.init(field: "fullName", message: fullNameProblem)) }
        let email = input.email?.trimmingCharacters(in: .whitespaces).lowercased()
        if let email, !email.isEmpty, !Self.looksLikeEmail(email) {
            problems.append(.init(field: "email", message: "Địa chỉ thư điện tử “\(email)” không hợp lệ."))
        }
        let given = input.password.flatMap { $0.isEmpty ? nil : $0 }
        if let given { problems += PasswordPolicy.fieldProblems(given, username: username, fullName: fullName) }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let password = given ?? PasswordPolicy.generate()
        let user = UserModel(username: username, fullName: fullName, passwordHash: try await hasher.hash(password).get(),
                             mustChangePassword: given == nil)
        user.email = (email?.isEmpty ?? true) ? nil : email
        try await db.writeTransaction { db in
            try await user.create(on: db)
            try await audit(on: db, "user.create", user, before: nil,
                            after: ["username": username, "fullName": fullName], reason: input.reason)
        }
        user.$roles.value = []
        return CreatedUser(user: Self.dto(user), generatedPassword: given == nil ? password : nil)
    }

    /// `name@domain.tld`, without spaces or angle brackets (they would break SMTP commands).
    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && s.count <= 254
            && !s.contains(where: { $0.isWhitespace || "<>,;\"".contains($0) })
    }

    func assignRole(userID: UUID, _ input: RoleInput) async throws -> RoleAssignmentDTO {
        let user = try await find(userID)
        guard let role = Role(rawValue: input.role) else {
            throw AppError.validation([.init(field: "role", message: "Vai trò “\(input.role)” không tồn tại.")])
        }
        var unit: UnitModel?
        if let code = input.unitCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            unit = try await UnitModel.query(on: db).filter(\.$code == code).first()
            if unit == nil { throw AppError.validation([.init(field: "unitCode", message: "Không tìm thấy đơn vị có mã “\(code)”.")]) }
        } else if [.unitReporter, .unitHead].contains(role) {
            throw AppError.validation([.init(field: "unitCode", message: "Vai trò \(role.labelVI) phải gắn với một đơn vị.")])
        }
        let scopeUnit = unit
        let assignment = RoleAssignmentModel(userID: userID, role: role, unitID: scopeUnit?.id,
                                             includeDescendants: input.includeDescendants ?? false)
        try await db.writeTransaction { db in
            try await assignment.create(on: db)
            try await audit(on: db, "user.role.assign", user, before: nil,
                            after: ["role": role.rawValue, "unit": scopeUnit?.code ?? "*",
                                    "includeDescendants": String(assignment.includeDescendants)],
                            reason: input.reason, unitID: scopeUnit?.id)
        }
        cache.invalidate(userID: userID)
        assignment.$unit.value = scopeUnit
        return Self.roleDTO(assignment)
    }

    func removeRole(userID: UUID, assignmentID: UUID, reason: String?) async throws {
        let user = try await find(userID)
        guard let a = user.roles.first(where: { $0.id == assignmentID }) else { throw AppError.notFound(entity: "phân quyền") }
        if a.role == Role.admin.rawValue, userID == currentUserID {
            throw AppError.conflict("Không thể tự gỡ quyền quản trị của chính mình.")
        }
        try await db.writeTransaction { db in
            try await a.delete(on: db)
            try await audit(on: db, "user.role.remove", user,
                            before: ["role": a.role, "unit": a.unit?.code ?? "*"], after: nil, reason: reason, unitID: a.$unit.id)
        }
        cache.invalidate(userID: userID)
    }

    /// Sets a new password (generated unless given) that must be changed at next login.
    /// Every session and API token of the user ends: a reset is what an admin does when the
    /// old password is compromised (issue #20: they used to keep working).
    func resetPassword(userID: UUID, newPassword: String? = nil, reason: String?) async throws -> String {
        let user = try await find(userID)
        let password = newPassword ?? PasswordPolicy.generate()
        if newPassword != nil {
            let p = PasswordPolicy.fieldProblems(password, username: user.username, fullName: user.fullName)
            if !p.isEmpty { throw AppError.validation(p) }
        }
        user.passwordHash = try await hasher.hash(password).get()
        user.mustChangePassword = true
        user.credentialsVersion += 1
        let now = clock.now()
        try await db.writeTransaction { db in
            try await user.save(on: db)
            let revoked = try await Self.revokeTokens(of: userID, except: nil, at: now, on: db)
            try await audit(on: db, "user.password.reset", user, before: nil,
                            after: ["mustChangePassword": "true", "tokensRevoked": String(revoked)], reason: reason)
        }
        cache.invalidate(userID: userID)
        return password
    }

    /// Revokes the user's live API tokens (all, or all but `keep`); returns how many.
    static func revokeTokens(of userID: UUID, except keep: UUID?, at now: Date, on db: any Database) async throws -> Int {
        var live = APITokenModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if let keep { live = live.filter(\.$id != keep) }
        let count = try await live.count()
        if count > 0 {
            var update = APITokenModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            if let keep { update = update.filter(\.$id != keep) }
            try await update.set(\.$revokedAt, to: now).update()
        }
        return count
    }

    /// Lifts the login throttle for a username on every address (the admin's answer to a user
    /// locked out by someone guessing from their office network). Audited.
    @discardableResult
    func unlock(userID: UUID, reason: String?) async throws -> Int {
        let user = try await find(userID)
        return try await db.writeTransaction { db in
            let cleared = try await LoginThrottle.clear(username: user.username, on: db)
            try await audit(on: db, "user.unlock", user, before: ["lockedCounters": cleared], after: ["lockedCounters": 0],
                            reason: reason)
            return cleared
        }
    }

    func setActive(userID: UUID, _ active: Bool, reason: String?) async throws -> UserDTO {
        let user = try await find(userID)
        if !active, userID == currentUserID { throw AppError.conflict("Không thể tự khóa tài khoản của chính mình.") }
        let before = user.active
        user.active = active
        // Deactivation ends every session and token for good: reactivating the account
        // later must not bring them back.
        if !active { user.credentialsVersion += 1 }
        let now = clock.now()
        try await db.writeTransaction { db in
            try await user.save(on: db)
            if !active { _ = try await Self.revokeTokens(of: userID, except: nil, at: now, on: db) }
            try await audit(on: db, active ? "user.activate" : "user.deactivate", user,
                            before: ["active": before], after: ["active": active], reason: reason)
        }
        cache.invalidate(userID: userID)
        return Self.dto(user)
    }

    /// The user's own change. Every other session and every API token but the one in use
    /// ends (issue #20); returns the new credentials version for the caller's session.
    @discardableResult
    func changeOwnPassword(_ change: AuthController.PasswordChange) async throws -> Int {
        guard let id = currentUserID else { throw AppError.notAuthenticated }
        let user = try await find(id)
        guard try await hasher.verify(change.currentPassword, created: user.passwordHash).get() else {
            throw AppError.validation([.init(field: "currentPassword", message: "Mật khẩu hiện tại không đúng.")])
        }
        var problems = PasswordPolicy.fieldProblems(change.newPassword, username: user.username, fullName: user.fullName)
        if problems.isEmpty, try await hasher.verify(change.newPassword, created: user.passwordHash).get() {
            problems.append(.init(field: "password", message: "Mật khẩu mới phải khác mật khẩu hiện tại."))
        }
        if let c = change.confirmPassword, c != change.newPassword {
            problems.append(.init(field: "confirmPassword", message: "Mật khẩu nhập lại không khớp."))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        user.passwordHash = try await hasher.hash(change.newPassword).get()
        user.mustChangePassword = false
        user.credentialsVersion += 1
        let now = clock.now()
        let keep = currentTokenID
        try await db.writeTransaction { db in
            try await user.save(on: db)
            let revoked = try await Self.revokeTokens(of: id, except: keep, at: now, on: db)
            try await audit(on: db, "user.password.change", user, before: nil,
                            after: ["changed": "true", "tokensRevoked": String(revoked)])
        }
        cache.invalidate(userID: id)
        return user.credentialsVersion
    }
}
