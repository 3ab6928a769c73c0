import Fluent
import Vapor

/// Numbered, named, reversible migrations, in order. The same list runs on SQLite and PostgreSQL.
enum Migrations {
    static let all: [any Migration] = [
        M001CreateUnits(),
        M002CreateUsers(),
        M003CreateRoleAssignments(),
        M004CreateAPITokens(),
        M005CreateLoginAttempts(),
        M006CreateAuditEntries(),
        M007CreateSessions(),
        M008CreateFrameworkVersions(),
        M009CreateCampaigns(),
        M010CreateEvidence(),
        M011CreateAppraisals(),
        M012CreateNotifications(),
        M013AddUserEmail(),
        M014CreateSurveys(),
        M015LoginThrottlesAndCredentialsVersion(),
        M016UnsubmittedPolicyAndCorrections(),
        M017CampaignOwnerUnit(),
        M018OutboxAndSessions(),
        M019SurveyVersions(),
        M020CreateStatistics(),
        M021ReportOutlines(),
        M022OfficialSurveyResults(),
        M023CampaignResultsRules(),
    ]

    static func register(on app: Application) {
        for m in all { app.migrations.add(m) }
    }
}

/// Vapor's session table, under our numbering.
struct M007CreateSessions: AsyncMigration {
    var name: String { "M007CreateSessions" }
    func prepare(on db: any Database) async throws { try await SessionRecord.migration.prepare(on: db).get() }
    func revert(on db: any Database) async throws { try await SessionRecord.migration.revert(on: db).get() }
}
