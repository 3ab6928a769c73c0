import ArgumentParser
import Foundation
import Logging
import ParIndexServer
import Vapor

/// Flags shared by every command that opens the database or serves HTTP.
struct ServerOptions: ParsableArguments {
    @ArgumentParser.Option(help: "Address to listen on (env PARINDEX_HOSTNAME; default 127.0.0.1).")
    var hostname: String?

    @ArgumentParser.Option(help: "Port to listen on (env PARINDEX_PORT; default 8080).")
    var port: Int?

    @ArgumentParser.Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and files (env PARINDEX_DATA_DIR; default ./data).")
    var dataDirectory: String?

    var settings: Settings {
        Settings.fromEnvironment(hostname: hostname, port: port, dataDirectory: dataDirectory)
    }

    /// A configured application (not yet serving). Callers must shut it down.
    /// `defaultLogLevel`: `info` for the server; administrative commands stay quiet
    /// (`warning`) so their own output is readable. `LOG_LEVEL` overrides both.
    func makeApplication(defaultLogLevel: String = "warning") async throws -> Application {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"] ?? defaultLogLevel
        var env = Environment(name: environment["PARINDEX_ENV"] ?? "production", arguments: ["parindex", "--log", level])
        if environment["PARINDEX_LOG_FORMAT"] == "json" {
            let parsed = Logger.Level(rawValue: level) ?? .info
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: parsed) }
            env.arguments = ["parindex"]
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        do {
            try await configure(app, settings: settings)
            try await Bootstrap.prepareDatabase(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}

extension Application {
    /// Runs `body` and always shuts the application down afterwards.
    func run<T>(_ body: (Application) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            try await asyncShutdown()
            return result
        } catch {
            try? await asyncShutdown()
            throw error
        }
    }
}

func describeDatabase(_ settings: Settings) -> String {
    switch settings.database {
    case let .sqliteFile(path): "SQLite \(path)"
    case .sqliteMemory: "SQLite (bộ nhớ)"
    case .postgres: "PostgreSQL (DATABASE_URL)"
    }
}
