import Fluent
import Foundation
import ParIndexCore

package final class UserModel: Model, @unchecked Sendable {
    // @unchecked: see UnitModel.
    package static let schema = "users"

    @ID(key: .id) package var id: UUID?
    @Field(key: "username") package var username: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "password_hash") var passwordHash: String
    /// Users who scored, uploaded or entered ballots are never deleted, only deactivated.
    @Field(key: "active") var active: Bool
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    /// Bumped whenever existing sessions must end (password changed or reset, account
    /// deactivated); a session opened under another version is logged out (issue #20).
    @Field(key: "credentials_version") var credentialsVersion: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$user) var roles: [RoleAssignmentModel]

    package init() {}

    package init(username: String, fullName: String, passwordHash: String, mustChangePassword: Bool = false) {
        self.username = username
        self.fullName = fullName
        self.passwordHash = passwordHash
        self.active = true
        self.mustChangePassword = mustChangePassword
        self.credentialsVersion = 0
    }

    static func normalise(username: String) -> String {
        username.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

package final class RoleAssignmentModel: Model, @unchecked Sendable {
    // @unchecked: see UnitModel.
    package static let schema = "role_assignments"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "role") var role: String
    @OptionalParent(key: "unit_id") package var unit: UnitModel?
    @Field(key: "include_descendants") var includeDescendants: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    package init(userID: UUID, role: Role, unitID: UUID?, includeDescendants: Bool) {
        self.$user.id = userID
        self.role = role.rawValue
        self.$unit.id = unitID
        self.includeDescendants = includeDescendants
    }

    var assignment: RoleAssignment? {
        guard let r = Role(rawValue: role) else { return nil }
        if let u = $unit.id { return RoleAssignment(role: r, scope: .unit(u, includeDescendants: includeDescendants)) }
        return RoleAssignment(role: r, scope: .installation)
    }
}

final class APITokenModel: Model, @unchecked Sendable {
    // @unchecked: see UnitModel.
    package static let schema = "api_tokens"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "name") var name: String
    /// SHA-256 of the token: a database leak does not leak usable tokens.
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters, shown in lists so users can tell tokens apart.
    @Field(key: "prefix") var prefix: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    package init() {}
}

final class LoginAttemptModel: Model, @unchecked Sendable {
    // @unchecked: see UnitModel.
    package static let schema = "login_attempts"

    @ID(key: .id) package var id: UUID?
    @Field(key: "username") package var username: String
    @Field(key: "ip") var ip: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date

    package init() {}

    init(username: String, ip: String, succeeded: Bool, at: Date) {
        self.username = username
        self.ip = ip
        self.succeeded = succeeded
        self.at = at
    }
}
