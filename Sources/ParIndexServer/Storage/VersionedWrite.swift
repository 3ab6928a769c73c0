import Fluent
import Foundation
import SQLKit
import Vapor

/// Optimistic locking, the one way every versioned write is made (issue #19, item 1).
///
/// Issue #19 found three holes: the version was compared in Swift after an ordinary read, so
/// two saves with the same version both passed on PostgreSQL; the submitted/locked/window
/// checks ran on a copy read before the write transaction, so a save racing a submission put a
/// submitted assessment back to draft; and a write without a version overwrote silently.
///
/// The rules, used by entries, transitions, appraisals, ballots and batches (and every later
/// module):
/// 1. ``expected(_:_:entity:)``: the client names the version it saw (body `version` or
///    `If-Match`), else 428 `version.required`.
/// 2. Inside ``Database/writeTransaction(_:)``: ``lock(_:id:on:)`` the parent row whose state
///    the write depends on, then read it fresh and check its state (submitted, locked,
///    published, window) there, never on a copy read before the transaction.
/// 3. ``claim(_:id:expected:on:stale:)`` checks and bumps the version in one statement,
///    `UPDATE … SET version = version + 1 WHERE id = ? AND version = ?`; no row → 409
///    `version.stale`. On PostgreSQL the statement also takes the row lock, so a second writer
///    with the same version waits, then finds the version moved and matches nothing.
///    A first save (version 0) of a row keyed by a natural key goes through
///    ``claimNew(_:values:key:on:stale:)``: the unique index decides which of two first saves wins.
/// 4. A write the server makes on behalf of another one (reopening, the edit that withdraws the
///    head's approval, a ballot added to a batch) uses ``bump(_:id:on:)``, unconditionally, so
///    a client holding the old version is refused next time.
enum VersionedWrite {
    // MARK: The version the client saw

    /// The body's `version`, else the `If-Match` header (`"3"`, `3` or `W/"3"`); neither is 428.
    static func expected(_ body: Int?, _ ifMatch: String?, entity: String) throws -> Int {
        let header = ifMatch
        if let body {
            guard body >= 0 else { throw invalid(String(body), entity: entity) }
            if let header, let h = parseIfMatch(header), h != body {
                throw AppError.badRequest("Phiên bản trong nội dung (\(body)) khác phiên bản trong tiêu đề If-Match (\(h)) của \(entity); chưa có gì được ghi. Chỉ gửi một phiên bản.")
            }
            return body
        }
        if let header {
            guard let v = parseIfMatch(header) else { throw invalid(header, entity: entity) }
            return v
        }
        throw AppError.versionRequired(entity: entity)
    }

    /// `3`, `"3"`, `W/"3"` → 3. A list or `*` names no single version, so it is refused.
    static func parseIfMatch(_ value: String) -> Int? {
        var s = value.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("W/") { s.removeFirst(2) }
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        guard let v = Int(s), v >= 0 else { return nil }
        return v
    }

    /// The `ETag` a versioned resource is answered with, which a client may echo in `If-Match`.
    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    private static func invalid(_ given: String, entity: String) -> AppError {
        .badRequest("Phiên bản “\(given)” của \(entity) không hợp lệ: phải là số nguyên không âm (ví dụ If-Match: \"3\"); chưa có gì được ghi.")
    }

    // MARK: Writes

    /// Checks that the row is still at `expected` and bumps it, in one statement. Returns the new
    /// version; when the row moved on (or is gone), throws what `stale` builds (it may read the
    /// current row to say who changed it). Call inside a write transaction; the rest of the write
    /// follows in it.
    @discardableResult
    static func claim(_ table: String, id: UUID, expected: Int, on db: any Database,
                      stale: @Sendable () async throws -> AppError) async throws -> Int {
        let rows = try await sql(db).raw("""
            UPDATE \(ident: table) SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version
            """).all()
        guard rows.count == 1 else { throw try await stale() }
        return try rows[0].decode(column: "version", as: Int.self)
    }

    /// A first save of a row identified by a natural key (`key`, backed by a unique index):
    /// inserts `values` at version 1, or, when a concurrent first save already holds the key,
    /// throws what `stale` builds. On PostgreSQL the second insert waits for the first
    /// transaction and then does nothing; on SQLite the write transactions are serialised.
    static func claimNew(_ table: String, values: [(String, any Encodable & Sendable)], key: [String], on db: any Database,
                         stale: @Sendable () async throws -> AppError) async throws {
        let columns = values.map(\.0) + ["version"]
        let binds = values.map(\.1) + [1]
        let q: SQLQueryString = """
            INSERT INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES (\(binds: binds))
            ON CONFLICT (\(idents: key, joinedBy: ", ")) DO NOTHING RETURNING version
            """
        guard try await sql(db).raw(q).all().count == 1 else { throw try await stale() }
    }

    /// Bumps the version without a check, for a write the server makes on behalf of another
    /// (reopening; the edit that withdraws the head's approval). Returns the new version.
    @discardableResult
    static func bump(_ table: String, id: UUID, on db: any Database) async throws -> Int {
        let rows = try await sql(db).raw("""
            UPDATE \(ident: table) SET version = version + 1 WHERE id = \(bind: id) RETURNING version
            """).all()
        guard let row = rows.first else { throw AppError.notFound(entity: "bản ghi cần cập nhật") }
        return try row.decode(column: "version", as: Int.self)
    }

    /// Locks a parent row for the rest of the transaction, before its state is read and checked.
    /// PostgreSQL: `SELECT … FOR UPDATE`, so a concurrent submission (or reopening, or close)
    /// waits for this write or this write waits for it. SQLite: ``Database/writeTransaction(_:)``
    /// is `BEGIN IMMEDIATE` behind one gate, so the transaction is alone and a fresh read suffices.
    static func lock(_ table: String, id: UUID, on db: any Database) async throws {
        precondition(WriteTransaction.active || db.inTransaction, "VersionedWrite.lock outside a write transaction")
        let sql = sql(db)
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }

    private static func sql(_ db: any Database) -> any SQLDatabase {
        // Both drivers this server runs on (SQLite, PostgreSQL) are SQL databases.
        db as! any SQLDatabase
    }
}

extension Response {
    /// Sets `ETag: "<version>"` on a versioned resource's answer.
    func versioned(_ version: Int) -> Response {
        headers.replaceOrAdd(name: .eTag, value: VersionedWrite.etag(version))
        return self
    }
}
