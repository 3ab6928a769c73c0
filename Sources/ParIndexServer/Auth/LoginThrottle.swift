import Fluent
import Foundation
import SQLKit
import Vapor

/// Login throttling counters, kept in the database so the limits hold across instances.
///
/// Issue #20: the old check read the recent attempts, verified the password, then inserted
/// the attempt; fifteen parallel guesses all read "four failures" and all got checked. Here
/// each attempt first *reserves* itself with one atomic upsert and learns its own rank in the
/// window; only ranks within the limit go on to the bcrypt check. So at most
/// `loginMaxFailures` passwords are ever checked per username and address per window,
/// whatever the parallelism. Counters are per username + address (an attacker elsewhere
/// cannot lock the real user out) and per address across usernames (spraying).
struct LoginThrottle {
    static let schema = "login_throttles"

    enum Scope: String {
        case userAddress = "user_address"
        case address
    }

    struct Reservation {
        var allowed: Bool
        /// When the blocking window ends (only when refused).
        var retryAt: Date?
    }

    let db: any Database
    let maxPerUserAddress: Int
    let maxPerAddress: Int
    let window: TimeInterval

    init(db: any Database, settings: Settings) {
        self.db = db
        maxPerUserAddress = settings.loginMaxFailures
        maxPerAddress = settings.loginMaxFailuresPerAddress
        window = settings.loginThrottleWindow
    }

    static func subject(username: String, address: String) -> String { username + "|" + address }

    /// Counts this attempt in both counters, in one write transaction; refused when either
    /// count goes past its limit.
    func reserve(username: String, address: String, now: Date) async throws -> Reservation {
        let window = self.window
        let counts = try await db.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let user = try await Self.bump(sql, .userAddress, Self.subject(username: username, address: address),
                                           username: username, now: now, window: window)
            let addr = try await Self.bump(sql, .address, address, username: nil, now: now, window: window)
            return (user, addr)
        }
        var retry: Date?
        if counts.0.count > maxPerUserAddress { retry = counts.0.started.addingTimeInterval(window) }
        if counts.1.count > maxPerAddress {
            let end = counts.1.started.addingTimeInterval(window)
            retry = max(retry ?? end, end)
        }
        return Reservation(allowed: retry == nil, retryAt: retry)
    }

    private struct Row: Decodable {
        var failures: Int
        var window_started: Double
    }

    private static func bump(_ sql: any SQLDatabase, _ scope: Scope, _ subject: String, username: String?,
                             now: Date, window: TimeInterval) async throws -> (count: Int, started: Date) {
        let t = now.timeIntervalSince1970
        let cutoff = t - window
        // One statement: insert or count up, restarting the window when it has passed.
        // SET expressions see the row as it was before the update, on both engines.
        let row = try await sql.raw("""
            INSERT INTO login_throttles (scope, subject, username, failures, window_started)
            VALUES (\(bind: scope.rawValue), \(bind: subject), \(bind: username), 1, \(bind: t))
            ON CONFLICT (scope, subject) DO UPDATE SET
              failures = CASE WHEN login_throttles.window_started < \(bind: cutoff) THEN 1 ELSE login_throttles.failures + 1 END,
              window_started = CASE WHEN login_throttles.window_started < \(bind: cutoff) THEN \(bind: t) ELSE login_throttles.window_started END
            RETURNING failures, window_started
            """).first(decoding: Row.self)
        guard let row else { throw AppError.badRequest("Không ghi được lượt đăng nhập.") }
        return (row.failures, Date(timeIntervalSince1970: row.window_started))
    }

    /// A correct password: the username + address pair starts afresh, and the address gives
    /// back the attempt it reserved (an office behind one NAT address logs in all day).
    static func succeeded(username: String, address: String, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            DELETE FROM login_throttles WHERE scope = \(bind: Scope.userAddress.rawValue)
              AND subject = \(bind: subject(username: username, address: address))
            """).run()
        try await sql.raw("""
            UPDATE login_throttles SET failures = failures - 1
            WHERE scope = \(bind: Scope.address.rawValue) AND subject = \(bind: address) AND failures > 0
            """).run()
    }

    /// The admin's unlock: forgets every username + address counter of `username`.
    /// Returns how many counters were cleared.
    @discardableResult
    static func clear(username: String, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT subject FROM login_throttles WHERE scope = \(bind: Scope.userAddress.rawValue) AND username = \(bind: username)
            """).all()
        try await sql.raw("""
            DELETE FROM login_throttles WHERE scope = \(bind: Scope.userAddress.rawValue) AND username = \(bind: username)
            """).run()
        return rows.count
    }
}

extension Request {
    /// The address the throttle counts by: the socket's peer, or the proxy's `X-Forwarded-For`
    /// entry when the operator said a proxy sets it (its last entry is the one the proxy added).
    var clientAddress: String {
        if application.settings.trustForwardedFor,
           let last = headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !last.isEmpty {
            return String(last.prefix(64))
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
