import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// The database engines a server test runs on: SQLite always, PostgreSQL too when
/// `DATABASE_URL` is set (CI sets it), each test in its own throwaway schema.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Engine] {
        ProcessInfo.processInfo.environment["DATABASE_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// A fresh application on a fresh database, migrated; torn down afterwards whatever happens.
func withTestApp(_ engine: Engine = .sqlite, settings custom: Settings? = nil,
                 _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    var settings = custom ?? .testing()
    let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    switch engine {
    case .sqlite: settings.database = .sqliteMemory
    case .postgres: settings.database = .postgres(url: ProcessInfo.processInfo.environment["DATABASE_URL"]!, schema: String(schema))
    }
    do {
        try await configure(app, settings: settings)
        if engine == .postgres {
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: String(schema))").run()
        }
        try await app.autoMigrate()
        try await body(app)
        if engine == .postgres {
            try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: String(schema)) CASCADE").run()
        }
    } catch {
        if engine == .postgres {
            try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: String(schema)) CASCADE").run()
        }
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

extension Settings {
    /// Test settings: bcrypt at its lowest cost (real hashing, fast), with optional tweaks.
    static func testing(_ tweak: (inout Settings) -> Void = { _ in }) -> Settings {
        var s = Settings(dataDirectory: Fixtures.tempDirectory(), bcryptCost: 4)
        s.backgroundJobs = false
        tweak(&s)
        return s
    }
}

/// Test fixtures written straight to the database.
enum Fixtures {
    static let password = "mat-khau-thu-nghiem"

    @discardableResult
    static func unit(_ app: Application, _ code: String, _ name: String, _ kind: UnitKind, parent: UUID? = nil) async throws -> UUID {
        let u = UnitModel()
        u.apply(UnitRules.Draft(code: code, name: name, shortName: "", kind: kind), parentID: parent)
        try await u.create(on: app.db)
        return u.id!
    }

    @discardableResult
    static func user(_ app: Application, _ username: String, roles: [(Role, UUID?)] = [],
                     includeDescendants: Bool = false) async throws -> UUID {
        let user = UserModel(username: username, fullName: "Người dùng \(username)",
                             passwordHash: try await app.password.async.hash(password).get())
        try await user.create(on: app.db)
        for (role, unit) in roles {
            try await RoleAssignmentModel(userID: user.id!, role: role, unitID: unit, includeDescendants: includeDescendants)
                .create(on: app.db)
        }
        return user.id!
    }

    /// A small province: HD → SNV (department), HNS (district) → HNS-X1 (commune).
    struct Province: Sendable {
        var province: UUID, snv: UUID, syt: UUID, district: UUID, commune: UUID
    }

    static func province(_ app: Application) async throws -> Province {
        let hd = try await unit(app, "HD", "Tỉnh Hải Dương", .province)
        let snv = try await unit(app, "SNV", "Sở Nội vụ", .department, parent: hd)
        let syt = try await unit(app, "SYT", "Sở Y tế", .department, parent: hd)
        let hns = try await unit(app, "HNS", "UBND huyện Nam Sách", .district, parent: hd)
        let x1 = try await unit(app, "HNS-X1", "Xã Sơn Hàm", .commune, parent: hns)
        return Province(province: hd, snv: snv, syt: syt, district: hns, commune: x1)
    }

    /// A fresh directory for a test's stored files.
    static func tempDirectory() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parindex-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Today plus `offset` days, as `dd/mm/yyyy` in Vietnam time.
    static func day(_ offset: Int) -> String {
        VietnameseDate.format(Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// Stores `yaml` as a published framework version, as the frameworks page would.
    static func publishedFramework(_ app: Application, yaml: String) async throws -> UUID {
        let framework = try FrameworkYAML.load(yaml)
        let m = FrameworkVersionModel()
        m.apply(framework, yaml: yaml, by: "fixture", at: Date())
        m.status = "published"
        m.publishedAt = Date()
        m.publishedBy = "fixture"
        try await m.create(on: app.db)
        return m.id!
    }

    /// An API token for `username` (created directly, as the tokens page would).
    static func token(_ app: Application, userID: UUID) async throws -> String {
        let secret = APITokens.generate()
        let t = APITokenModel()
        t.$user.id = userID
        t.name = "test"
        t.tokenHash = APITokens.hash(secret)
        t.prefix = String(secret.prefix(10))
        try await t.create(on: app.db)
        return secret
    }
}
