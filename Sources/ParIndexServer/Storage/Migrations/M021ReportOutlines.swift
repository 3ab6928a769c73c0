import Fluent

/// A regime's own outline (*đề cương*), and the copy each period keeps from the day it was
/// opened, so editing the outline never reshapes a report already being written (issue #14).
/// Both hold the outline's JSON; empty means the shipped outline of the seven PAR areas.
struct M021ReportOutlines: AsyncMigration {
    var name: String { "M021ReportOutlines" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ReportRegimeModel.schema).field("outline", .string).update()
        try await db.schema(ReportPeriodModel.schema).field("outline", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(ReportPeriodModel.schema).deleteField("outline").update()
        try await db.schema(ReportRegimeModel.schema).deleteField("outline").update()
    }
}
