import Foundation
import ParIndexCore
import Vapor

/// Who is making the request, with their roles, loaded once per request by
/// ``CurrentUserMiddleware`` from the session cookie or an API bearer token.
struct CurrentUser: Sendable {
    var id: UUID
    var username: String
    var fullName: String
    var mustChangePassword: Bool
    var policy: AccessPolicy
    var viaToken: Bool
    /// The user's ``UserModel/credentialsVersion`` when loaded: a session opened under an
    /// older one is over (issue #20).
    var credentialsVersion: Int = 0
    /// The API token of this request, kept when its owner changes the password through it.
    var tokenID: UUID? = nil

    var roles: Set<Role> { policy.roles }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The logged-in user, or `notAuthenticated`.
    func requireUser() throws -> CurrentUser {
        guard let u = currentUser else { throw AppError.notAuthenticated }
        return u
    }

    private struct UnreadKey: StorageKey { typealias Value = Int }
    var unreadNotifications: Int {
        get { storage[UnreadKey.self] ?? 0 }
        set { storage[UnreadKey.self] = newValue }
    }

    private struct SessionExpiredKey: StorageKey { typealias Value = Bool }
    var sessionExpired: Bool {
        get { storage[SessionExpiredKey.self] ?? false }
        set { storage[SessionExpiredKey.self] = newValue }
    }
}
