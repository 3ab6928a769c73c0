import Fluent

/// Issue #19: ballot batches and ballots get a `version` for optimistic locking (closing a
/// batch, correcting or reviewing a ballot); a concurrent close or correction used to win
/// silently. Existing rows start at 0.
struct M019SurveyVersions: AsyncMigration {
    var name: String { "M019SurveyVersions" }

    func prepare(on db: any Database) async throws {
        try await db.schema(BallotBatchModel.schema).field("version", .int, .required, .sql(.default(0))).update()
        try await db.schema(BallotModel.schema).field("version", .int, .required, .sql(.default(0))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(BallotModel.schema).deleteField("version").update()
        try await db.schema(BallotBatchModel.schema).deleteField("version").update()
    }
}
