import Foundation
import Synchronization
import Vapor

/// A few seconds' memory of who a token or session user is, so that a busy API client does
/// not cost three queries per request just to be recognised (benchmarked: the database
/// round trips, not Vapor, bounded `GET /api/v1/units`). Entries live `ttl` seconds; this
/// instance drops them at once when it revokes a token or changes a user, and other
/// instances behind the load balancer see the change within `ttl` (README, Security model).
final class AuthCache: Sendable {
    struct Entry: Sendable {
        var user: CurrentUser
        var expires: Date
        /// For tokens: when `last_used_at` was last written, to keep writing it once a minute.
        var tokenID: UUID?
    }

    let ttl: TimeInterval
    private let tokens = Mutex<[String: Entry]>([:])
    private let users = Mutex<[UUID: Entry]>([:])

    init(ttl: TimeInterval = 5) { self.ttl = ttl }

    func user(forTokenHash hash: String, now: Date = Date()) -> CurrentUser? {
        tokens.withLock { d in
            guard let e = d[hash] else { return nil }
            if e.expires <= now { d[hash] = nil; return nil }
            return e.user
        }
    }

    func remember(tokenHash hash: String, _ user: CurrentUser, now: Date = Date()) {
        guard ttl > 0 else { return }
        tokens.withLock { d in
            if d.count > 10_000 { d.removeAll() }
            d[hash] = Entry(user: user, expires: now.addingTimeInterval(ttl))
        }
    }

    func user(id: UUID, now: Date = Date()) -> CurrentUser? {
        users.withLock { d in
            guard let e = d[id] else { return nil }
            if e.expires <= now { d[id] = nil; return nil }
            return e.user
        }
    }

    func remember(userID: UUID, _ user: CurrentUser, now: Date = Date()) {
        guard ttl > 0 else { return }
        users.withLock { d in
            if d.count > 10_000 { d.removeAll() }
            d[userID] = Entry(user: user, expires: now.addingTimeInterval(ttl))
        }
    }

    /// Forget everything about a user (role, password or active flag changed; token revoked).
    func invalidate(userID: UUID) {
        users.withLock { $0[userID] = nil }
        tokens.withLock { d in d = d.filter { $0.value.user.id != userID } }
    }
}

extension Application {
    private struct AuthCacheKey: StorageKey { typealias Value = AuthCache }
    var authCache: AuthCache {
        get {
            if let c = storage[AuthCacheKey.self] { return c }
            let c = AuthCache(ttl: settings.authCacheSeconds)
            storage[AuthCacheKey.self] = c
            return c
        }
        set { storage[AuthCacheKey.self] = newValue }
    }
}
