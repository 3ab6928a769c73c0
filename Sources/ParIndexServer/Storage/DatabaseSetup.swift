import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// The one place the database is chosen: SQLite by default, PostgreSQL when `DATABASE_URL`
/// is set. Both run the same migrations.
enum DatabaseSetup {
    static func configure(_ app: Application) throws {
        switch app.settings.database {
        case let .sqliteFile(path):
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            app.databases.use(.sqlite(.init(storage: .file(path: path), enableForeignKeys: true)), as: .sqlite)
        case .sqliteMemory:
            app.databases.use(.sqlite(.init(storage: .memory, enableForeignKeys: true)), as: .sqlite)
        case let .postgres(url, schema):
            var config = try SQLPostgresConfiguration(url: url)
            if let schema { config.searchPath = [schema] }
            // A burst (the deadline crunch, 50 parallel logins) may wait up to 30 s for a connection
            // rather than fail at the default 10 s; past that the user reads "hệ thống đang bận"
            // (``StorageFault/databaseBusy``), not "lỗi hệ thống".
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(30)), as: .psql)
        }
        Migrations.register(on: app)
    }

    /// SQLite connection settings that are not part of the driver's configuration.
    /// WAL lets readers proceed during a write and survives crashes without a half-written
    /// import; `busy_timeout` bounds how long a writer waits for the lock (sqlite-nio's
    /// default handler would retry forever). One connection per event loop, so set it on each.
    static func tuneSQLite(_ app: Application) async throws {
        guard case .sqliteFile = app.settings.database else { return }
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(.sqlite, logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA busy_timeout = 5000").run()
            try await db.raw("PRAGMA synchronous = NORMAL").run()
        }
    }

    /// Throws when the database refuses writes (opened read-only, a read-only replica, a full
    /// disk on some engines). An `UPDATE` that matches no row still needs write access on both
    /// engines, and changes nothing.
    static func probeWritable(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE _fluent_migrations SET batch = batch WHERE 1 = 0").run()
    }

    /// Whether every registered migration has been applied (for `/readyz`).
    static func pendingMigrations(_ app: Application, on db: any Database) async throws -> Int {
        let applied = try await MigrationLog.query(on: db).count()
        return max(0, Migrations.all.count - applied)
    }
}
