import Fluent
import SQLKit

/// Write transactions that hold up under concurrent writers on SQLite.
///
/// Fluent opens SQLite transactions with a plain (deferred) `BEGIN`. A transaction that reads
/// and then writes — a save that checks the version first — is refused at once with
/// "database is locked" (`SQLITE_BUSY_SNAPSHOT`) when another connection committed in between,
/// and the busy timeout cannot help. The deadline-crunch benchmark hit this with 100 clients
/// (12.451 errors). `BEGIN IMMEDIATE` takes the write lock first, so a second writer waits
/// (bounded by `busy_timeout`) instead of failing. PostgreSQL keeps Fluent's transaction.
enum WriteTransaction {
    /// Set while a write transaction runs, so a nested call joins it instead of beginning again.
    @TaskLocal static var active = false

    /// One SQLite write transaction at a time in the process, queued without blocking a thread.
    ///
    /// Issue #20 (parallel logins): sqlite-nio runs statements on the shared blocking thread
    /// pool (one thread per core) and its busy handler waits *on that thread*. A writer waiting
    /// for the lock held by an open `BEGIN IMMEDIATE` transaction occupied a thread while the
    /// holder needed one for its next statement; with two waiters both threads were taken and
    /// every request timed out on the connection pool. SQLite admits one writer anyway, so
    /// queueing the transactions here costs nothing and leaves the threads free.
    static let gate = AsyncGate()
}

/// A FIFO async mutex (waiters suspend; no thread is held).
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

extension Database {
    package func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if WriteTransaction.active || inTransaction { return try await body(self) }
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else {
            return try await transaction { db in try await WriteTransaction.$active.withValue(true) { try await body(db) } }
        }
        // The gate first, the connection after: waiting for the gate holds no pool connection.
        await WriteTransaction.gate.acquire()
        do {
            let result = try await withConnection { conn in
                let connection = conn as! any SQLDatabase
                try await connection.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await WriteTransaction.$active.withValue(true) { try await body(conn) }
                    try await connection.raw("COMMIT").run()
                    return result
                } catch {
                    try? await connection.raw("ROLLBACK").run()
                    throw error
                }
            }
            await WriteTransaction.gate.release()
            return result
        } catch {
            await WriteTransaction.gate.release()
            throw error
        }
    }
}
