import Fluent
import Foundation
import SQLKit
import Vapor

/// A stored browser session (`web_sessions`, M018).
final class WebSessionModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    static let schema = "web_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    /// The session's data as JSON text (the same on SQLite and PostgreSQL).
    @Field(key: "data") var data: String
    /// Seconds since 1970 after which the row is dead and the job runner deletes it.
    @Field(key: "expires_at") var expiresAt: Double

    init() {}
}

/// Sessions in the database, with three differences from Fluent's driver (issue #19: every
/// anonymous page view created a row, no row was ever deleted, and every request rewrote it):
/// - a session with no data is never stored: an anonymous page that only peeked at the session
///   leaves nothing behind (its CSRF token lives in a cookie, see ``CSRFMiddleware``);
/// - each row carries an expiry (the idle timeout plus the cookie's extra hour, so an idle
///   session is still found and can say "phiên đã hết hạn"), which ``JobRunner`` purges by;
/// - a request that changed nothing writes nothing.
struct DatabaseSessionDriver: AsyncSessionDriver {
    private struct ReadKey: StorageKey { typealias Value = SessionData }

    static func lifetime(_ app: Application) -> TimeInterval { app.settings.sessionIdleTimeout + 3600 }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64String()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
        guard !data.snapshot.isEmpty else { return id }
        try await store(id, data, for: request)
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let now = request.clock.now().timeIntervalSince1970
        guard let row = try await WebSessionModel.query(on: request.db).filter(\.$key == sessionID.string)
            .filter(\.$expiresAt > now).first(),
              let snapshot = try? JSONDecoder().decode([String: String].self, from: Data(row.data.utf8)) else { return nil }
        let data = SessionData(initialData: snapshot)
        request.storage[ReadKey.self] = data
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if data.snapshot.isEmpty {
            try await deleteSession(sessionID, for: request)
            return sessionID
        }
        // Unchanged data: no write. The expiry still moves, because an active user's
        // ``CurrentUserMiddleware`` stamps the session once a minute, which is a change.
        if request.storage[ReadKey.self] == data { return sessionID }
        try await store(sessionID, data, for: request)
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await request.db.writeTransaction { db in
            try await WebSessionModel.query(on: db).filter(\.$key == sessionID.string).delete()
        }
    }

    private func store(_ id: SessionID, _ data: SessionData, for request: Request) async throws {
        let json = String(decoding: try JSONEncoder().encode(data.snapshot), as: UTF8.self)
        let expires = request.clock.now().timeIntervalSince1970 + Self.lifetime(request.application)
        try await request.db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("""
                INSERT INTO web_sessions (id, key, data, expires_at) VALUES (\(bind: UUID()), \(bind: id.string), \(bind: json), \(bind: expires))
                ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at
                """).run()
        }
        request.storage[ReadKey.self] = data
    }

    /// Deletes the sessions past their expiry; returns how many.
    static func purge(now: Date, on db: any Database) async throws -> Int {
        try await db.writeTransaction { db in
            try await (db as! any SQLDatabase).raw("DELETE FROM web_sessions WHERE expires_at <= \(bind: now.timeIntervalSince1970) RETURNING id")
                .all().count
        }
    }
}
