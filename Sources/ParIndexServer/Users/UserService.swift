import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Accounts and role assignments, shared by web pages, API and CLI. Every write audited.
struct UserService {
    let db: any Database
    let actor: Audit.Actor
    let requestID: String?
    let hasher: AsyncPasswordHasher
    let currentUserID: UUID?
    /// Dropped for a user whenever their roles, password or active flag change.
    let cache: AuthCache

    init(request: Request) {
        db = request.db
        actor = Audit.Actor(request)
        requestID = request.requestID
        hasher = request.password.async
        currentUserID = request.currentUser?.id
        cache = request.application.authCache
    }

    init(application app: Application, actor: Audit.Actor = .system) {
        db = app.db
        self.actor = actor
        requestID = nil
        hasher = app.password.async
        currentUserID = nil
        cache = app.authCache
    }

    private func audit(on db: any Database, _ action: String, _ user: UserModel, before: (any Encodable & Sendable)?,
                       after: (any Encodable & Sendable)?, reason: String? = nil, unitID: UUID? = nil) async throws {
        try await Audit.record(on: db, actor: actor, action: action, entity: "user", entityID: user.username,
                               unitID: unitID, before: before, after: after, reason: reason, requestID: requestID)
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
        if let given { problems += PasswordPolicy.problems(given, username: username) }
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
    func resetPassword(userID: UUID, newPassword: String? = nil, reason: String?) async throws -> String {
        let user = try await find(userID)
        let password = newPassword ?? PasswordPolicy.generate()
        if newPassword != nil {
            let p = PasswordPolicy.problems(password, username: user.username)
            if !p.isEmpty { throw AppError.validation(p) }
        }
        user.passwordHash = try await hasher.hash(password).get()
        user.mustChangePassword = true
        try await db.writeTransaction { db in
            try await user.save(on: db)
            try await audit(on: db, "user.password.reset", user, before: nil, after: ["mustChangePassword": true], reason: reason)
        }
        cache.invalidate(userID: userID)
        return password
    }

    func setActive(userID: UUID, _ active: Bool, reason: String?) async throws -> UserDTO {
        let user = try await find(userID)
        if !active, userID == currentUserID { throw AppError.conflict("Không thể tự khóa tài khoản của chính mình.") }
        let before = user.active
        user.active = active
        try await db.writeTransaction { db in
            try await user.save(on: db)
            try await audit(on: db, active ? "user.activate" : "user.deactivate", user,
                            before: ["active": before], after: ["active": active], reason: reason)
        }
        cache.invalidate(userID: userID)
        return Self.dto(user)
    }

    func changeOwnPassword(_ change: AuthController.PasswordChange) async throws {
        guard let id = currentUserID else { throw AppError.notAuthenticated }
        let user = try await find(id)
        guard try await hasher.verify(change.currentPassword, created: user.passwordHash).get() else {
            throw AppError.validation([.init(field: "currentPassword", message: "Mật khẩu hiện tại không đúng.")])
        }
        var problems = PasswordPolicy.problems(change.newPassword, username: user.username)
        if let c = change.confirmPassword, c != change.newPassword {
            problems.append(.init(field: "confirmPassword", message: "Mật khẩu nhập lại không khớp."))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        user.passwordHash = try await hasher.hash(change.newPassword).get()
        user.mustChangePassword = false
        try await db.writeTransaction { db in
            try await user.save(on: db)
            try await audit(on: db, "user.password.change", user, before: nil, after: ["changed": true])
        }
        cache.invalidate(userID: id)
    }
}
