import Crypto
import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Loads the current user from a bearer token (`Authorization: Bearer pxt_…`) or from the
/// session, and expires idle sessions. It never refuses a request itself: refusing is the
/// job of the authorization layer (``Authorize``), so there is one place that decides.
struct CurrentUserMiddleware: AsyncMiddleware {
    static let sessionUserKey = "uid"
    static let sessionSeenKey = "seen"
    /// The credentials version the session was opened with (absent in sessions opened
    /// before issue #20's fix: those count as version 0).
    static let sessionVersionKey = "cv"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard let user = try await userFromToken(bearer.token, on: request) else { throw AppError.invalidToken }
            request.currentUser = user
        } else if request.hasSessionCookie, let uid = request.session.data[Self.sessionUserKey].flatMap({ UUID(uuidString: $0) }) {
            try await loadSessionUser(uid, on: request)
        }
        // The bell in the page header: one count, only for pages a person looks at.
        if let user = request.currentUser, !request.isAPI, request.method == .GET {
            request.unreadNotifications = try await Notifier.unreadCount(for: user.id, on: request.db)
        }
        return try await next.respond(to: request)
    }

    private func loadSessionUser(_ uid: UUID, on request: Request) async throws {
        let now = request.clock.now()
        let seen = request.session.data[Self.sessionSeenKey].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? now
        if now.timeIntervalSince(seen) > request.application.settings.sessionIdleTimeout {
            request.session.data[Self.sessionUserKey] = nil
            request.sessionExpired = true
            return
        }
        let cache = request.application.authCache
        let cached = cache.user(id: uid)
        var loaded = cached
        if loaded == nil { loaded = try await Self.load(userID: uid, on: request.db, viaToken: false) }
        // A password change, reset or deactivation since this session began ends it.
        let opened = request.session.data[Self.sessionVersionKey].flatMap(Int.init) ?? 0
        guard let user = loaded, user.credentialsVersion == opened else {
            request.session.data[Self.sessionUserKey] = nil
            return
        }
        // Touch the session at most once a minute: a write per request would serialise
        // every page view on the session row.
        if now.timeIntervalSince(seen) > 60 || request.session.data[Self.sessionSeenKey] == nil {
            request.session.data[Self.sessionSeenKey] = String(now.timeIntervalSince1970)
        }
        if cached == nil { cache.remember(userID: uid, user) }
        request.currentUser = user
    }

    private func userFromToken(_ token: String, on request: Request) async throws -> CurrentUser? {
        let hash = APITokens.hash(token)
        let cache = request.application.authCache
        if let known = cache.user(forTokenHash: hash) { return known }
        let now = request.clock.now()
        guard let row = try await APITokenModel.query(on: request.db)
            .filter(\.$tokenHash == hash).first(),
              row.revokedAt == nil, (row.expiresAt ?? .distantFuture) > now else { return nil }
        if (row.lastUsedAt ?? .distantPast) < now.addingTimeInterval(-60) {
            row.lastUsedAt = now
            // Best effort: "last used" is a hint for the account page, and a database that refuses
            // writes must still let a token read (issue 20: reading pages answer during storage faults).
            do { try await request.db.writeTransaction { db in try await row.save(on: db) } } catch where StorageFault(error) != nil {
                request.logger.warning("Token last-use not recorded: \(String(describing: error))")
            }
        }
        guard var user = try await Self.load(userID: row.$user.id, on: request.db, viaToken: true) else { return nil }
        user.tokenID = row.id
        cache.remember(tokenHash: hash, user)
        return user
    }

    static func load(userID: UUID, on db: any Database, viaToken: Bool) async throws -> CurrentUser? {
        guard let user = try await UserModel.query(on: db).filter(\.$id == userID).with(\.$roles).first(),
              user.active else { return nil }
        return CurrentUser(id: userID, username: user.username, fullName: user.fullName,
                           mustChangePassword: user.mustChangePassword,
                           policy: AccessPolicy(assignments: user.roles.compactMap(\.assignment)),
                           viaToken: viaToken, credentialsVersion: user.credentialsVersion)
    }
}

extension Request {
    /// Whether the browser sent our session cookie (so the request carries ambient credentials).
    var hasSessionCookie: Bool {
        cookies[application.sessions.configuration.cookieName] != nil
    }
}

/// API tokens: 32 random bytes, shown once, stored as SHA-256.
enum APITokens {
    static let prefix = "pxt_"

    static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
