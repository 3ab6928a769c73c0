import Fluent
import Foundation
import ParIndexCore
import Synchronization
import Vapor

/// Password checks with throttling (``LoginThrottle``). Counters and history live in the
/// database, not in memory, so the limits hold across several app instances.
struct LoginService: ContextService {
    let context: ServiceContext

    /// A bcrypt hash of nothing anyone knows: unknown usernames are verified against it, so
    /// response time does not reveal which usernames exist.
    private static let decoyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5cgNb7fLnqDIDV5Nvvyb1nlEuDPFq6."

    /// `address` is the client's, for the per-address throttle.
    func authenticate(username rawUsername: String, password: String, from address: String) async throws -> UserModel {
        let username = UserModel.normalise(username: rawUsername)
        let app = context.application
        let now = context.clock.now()
        let throttle = LoginThrottle(db: db, settings: app.settings)
        // Reserve first, check the password after: a refused attempt never reaches bcrypt.
        let reservation = try await throttle.reserve(username: username, address: address, now: now)
        if !reservation.allowed {
            let wait = (reservation.retryAt ?? now).timeIntervalSince(now)
            throw AppError.tooManyLoginAttempts(minutes: max(1, Int((wait / 60).rounded(.up))))
        }
        let user = try await UserModel.query(on: db).filter(\.$username == username).first()
        let hash = user?.passwordHash ?? Self.decoyHash
        let ok = ((try? await app.passwordHashing.verify(password, created: hash, on: app.eventLoopGroup.next())) ?? false)
            && user != nil
        let at = context.clock.now()
        // Every write of the login path in one write transaction: on SQLite a plain write
        // next to the others' `BEGIN IMMEDIATE` is where "database is locked" came from.
        try await db.writeTransaction { db in
            try await LoginAttemptModel(username: username, ip: address, succeeded: ok, at: at).create(on: db)
            if ok, let user {
                try await LoginThrottle.succeeded(username: username, address: address, on: db)
                if user.active {
                    user.lastLoginAt = at
                    try await user.save(on: db)
                }
            }
        }
        guard ok, let user else { throw AppError.invalidCredentials }
        guard user.active else { throw AppError.accountInactive }
        return user
    }
}

/// The browser session of a login; the request's, so not part of ``LoginService``.
extension Request {
    /// Starts a browser session: a fresh session id (against fixation), a fresh CSRF token,
    /// and the user's credentials version (a later password change ends this session).
    func startSession(for user: UserModel) async throws {
        try await renewSession(userID: user.id!, credentialsVersion: user.credentialsVersion, keepData: false)
    }

    /// After the user's own password change: the same session carries on under a new id and
    /// the new credentials version, every other session of the user is over.
    func renewSession(userID: UUID, credentialsVersion: Int, keepData: Bool = true) async throws {
        let kept = keepData ? session.data : SessionData()
        if let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
        }
        session.id = nil
        session.data = kept
        session.data[CurrentUserMiddleware.sessionUserKey] = userID.uuidString
        session.data[CurrentUserMiddleware.sessionVersionKey] = String(credentialsVersion)
        session.data[CurrentUserMiddleware.sessionSeenKey] = String(clock.now().timeIntervalSince1970)
        if !keepData { session.data[CSRFMiddleware.sessionKey] = Request.newCSRFToken() }
    }
}

/// The server's side of ``PasswordPolicy``: its problems as form field errors.
extension PasswordPolicy {
    static func fieldProblems(_ password: String, username: String, fullName: String?,
                              field: String = "password") -> [AppError.FieldProblem] {
        problems(password, username: username, fullName: fullName).map { .init(field: field, message: $0.messageVI) }
    }
}

/// bcrypt on its own threads. Issue #20: 50 parallel logins answered 14–22 × 500 on SQLite.
/// SQLite's queries run on the application's thread pool (one thread per core), and every
/// bcrypt check was queued on the same pool, so the queries of the other requests waited
/// behind seconds of hashing while holding their pool connection, until the connection
/// pool timed out. Hashing here leaves the database its threads.
final class PasswordHashing: Sendable {
    let pool: NIOThreadPool
    let hasher: any PasswordHasher

    init(hasher: any PasswordHasher, threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        self.hasher = hasher
    }

    func verify(_ password: String, created hash: String, on loop: any EventLoop) async throws -> Bool {
        try await hasher.async(on: pool, hopTo: loop).verify(password, created: hash).get()
    }

    func hash(_ password: String, on loop: any EventLoop) async throws -> String {
        try await hasher.async(on: pool, hopTo: loop).hash(password).get()
    }
}

extension Application {
    private struct PasswordHashingKey: StorageKey { typealias Value = PasswordHashing }
    private static let passwordHashingLock = Mutex(())

    var passwordHashing: PasswordHashing {
        Self.passwordHashingLock.withLock { _ in
            if let h = storage[PasswordHashingKey.self] { return h }
            let h = PasswordHashing(hasher: password.sync, threads: System.coreCount)
            storage.set(PasswordHashingKey.self, to: h, onShutdown: { try $0.pool.syncShutdownGracefully() })
            return h
        }
    }
}
