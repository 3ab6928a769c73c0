import Foundation
import ParIndexCore
import Vapor

struct RoleAssignmentDTO: Content, Equatable {
    var id: UUID
    var role: String
    var roleLabel: String
    /// nil: the whole installation.
    var unitId: UUID?
    var unitCode: String?
    var unitName: String?
    var includeDescendants: Bool
}

struct UserDTO: Content {
    var id: UUID
    var username: String
    var fullName: String
    var email: String?
    var active: Bool
    var lastLoginAt: String?
    var roles: [RoleAssignmentDTO]
}

struct UserInput: Content {
    var username: String
    var fullName: String
    /// For notification e-mail; optional.
    var email: String?
    /// Empty: a password is generated and returned once.
    var password: String?
    var reason: String?
}

struct RoleInput: Content {
    var role: String
    /// Empty for the whole installation.
    var unitCode: String?
    var includeDescendants: Bool?
    var reason: String?
}

struct CreatedUser: Content {
    var user: UserDTO
    /// Present only when the server generated the password.
    var generatedPassword: String?
}
