import Fluent
import Foundation
import Vapor

/// Password checks with throttling. Attempts are stored in the database, not in memory, so
/// the limit holds across several app instances behind a load balancer.
struct LoginService {
    let request: Request

    func authenticate(username rawUsername: String, password: String) async throws -> UserModel {
        let username = UserModel.normalise(username: rawUsername)
        let settings = request.application.settings
        let ip = request.remoteAddress?.ipAddress ?? "unknown"
        let since = Date().addingTimeInterval(-settings.loginThrottleWindow)
        let recent = try await LoginAttemptModel.query(on: request.db)
            .filter(\.$username == username).filter(\.$at >= since)
            .sort(\.$at, .descending).all()
        let failuresSinceSuccess = recent.prefix { !$0.succeeded }
        if failuresSinceSuccess.count >= settings.loginMaxFailures, let last = failuresSinceSuccess.first {
            let wait = max(1, Int((last.at.addingTimeInterval(settings.loginThrottleWindow).timeIntervalSinceNow / 60).rounded(.up)))
            throw AppError.tooManyLoginAttempts(minutes: wait)
        }
        let user = try await UserModel.query(on: request.db).filter(\.$username == username).first()
        // Verify even for unknown users, so response time does not reveal which usernames exist.
        let hash = user?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5cgNb7fLnqDIDV5Nvvyb1nlEuDPFq6."
        let ok = (try? await request.password.async.verify(password, created: hash).get()) ?? false
        try await LoginAttemptModel(username: username, ip: ip, succeeded: ok && user != nil, at: Date()).create(on: request.db)
        guard ok, let user else { throw AppError.invalidCredentials }
        guard user.active else { throw AppError.accountInactive }
        user.lastLoginAt = Date()
        try await user.save(on: request.db)
        return user
    }

    /// Starts a browser session: a fresh session id (against fixation) and a fresh CSRF token.
    func startSession(for user: UserModel) async throws {
        if let old = request.session.id {
            try await request.application.sessions.driver.deleteSession(old, for: request).get()
        }
        request.session.id = nil
        request.session.data = SessionData()
        request.session.data[CurrentUserMiddleware.sessionUserKey] = user.id!.uuidString
        request.session.data[CurrentUserMiddleware.sessionSeenKey] = String(Date().timeIntervalSince1970)
        _ = request.csrfToken
    }
}

/// Password rules, one place for forms, API and CLI.
enum PasswordPolicy {
    static let minimumLength = 10

    static func problems(_ password: String, username: String) -> [AppError.FieldProblem] {
        var p: [AppError.FieldProblem] = []
        if password.count < minimumLength {
            p.append(.init(field: "password", message: "Mật khẩu phải có ít nhất \(minimumLength) ký tự."))
        }
        if password.lowercased() == username.lowercased() {
            p.append(.init(field: "password", message: "Mật khẩu không được trùng tên đăng nhập."))
        }
        return p
    }

    /// A readable random password for bootstrap and admin resets.
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
