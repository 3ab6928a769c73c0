import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// Seed 004's two 2022 frameworks (departments, districts), stored as published versions.
/// The repository's `Frameworks/*.yaml` are not part of the built product, so byte-identical
/// copies live in the demo's resources (a test keeps them identical).
enum DemoFrameworks {
    /// The demo's resource folder (`.copy("Resources")`), asked for by name as the server does.
    static let directory: String = {
        if let url = Bundle.module.url(forResource: "Resources", withExtension: nil) { return url.path + "/Frameworks/" }
        return Bundle.module.bundlePath + "/Resources/Frameworks/"
    }()

    static let files = ["hai-duong-department-2022.yaml", "hai-duong-district-2022.yaml"]

    struct Source: Sendable {
        var yaml: String
        var framework: Framework
    }

    /// Read and validated before any write: a broken resource must not leave half a province.
    static func load() throws -> [UnitKind: Source] {
        var out: [UnitKind: Source] = [:]
        for name in files {
            let yaml = try String(contentsOfFile: directory + name, encoding: .utf8)
            let framework = try FrameworkYAML.load(yaml)
            out[framework.unitKind] = Source(yaml: yaml, framework: framework)
        }
        return out
    }

    /// Stores each framework as published (as if a coordinator had uploaded and published it
    /// on the date of Quyết định 3396/QĐ-UBND) and returns the version ids by unit kind.
    /// A version already stored under the same kind, year and version is reused: the unique
    /// key forbids a second copy and a published version must never be rewritten.
    static func store(_ sources: [UnitKind: Source], on db: any Database) async throws -> [UnitKind: UUID] {
        var ids: [UnitKind: UUID] = [:]
        for (kind, source) in sources.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let f = source.framework
            let existing = try await FrameworkVersionModel.query(on: db).filter(\.$unitKind == kind.rawValue)
                .filter(\.$year == f.year).filter(\.$version == f.version).first()
            if let existing, existing.frameworkStatus == .published {
                ids[kind] = existing.id!
                continue
            }
            let m = existing ?? FrameworkVersionModel()
            m.apply(f, yaml: source.yaml, by: "system", at: DemoCalendar.day(10, 12, 2022))
            m.status = FrameworkStatus.published.rawValue
            m.publishedAt = DemoCalendar.day(15, 12, 2022)
            m.publishedBy = "system"
            try await m.save(on: db)
            ids[kind] = m.id!
        }
        return ids
    }
}

/// Calendar dates of the demo world, in Vietnam time like every deadline in ParIndex.
enum DemoCalendar {
    static func day(_ d: Int, _ m: Int, _ y: Int, hour: Int = 0, minute: Int = 0) -> Date {
        VietnameseDate.calendar.date(from: DateComponents(year: y, month: m, day: d, hour: hour, minute: minute))!
    }

    /// Midnight `days` days from `now` (negative for the past).
    static func days(_ days: Int, from now: Date) -> Date {
        let cal = VietnameseDate.calendar
        return cal.date(byAdding: .day, value: days, to: cal.startOfDay(for: now))!
    }
}
