import Fluent
import SQLKit

/// Plain (non-unique) indexes, which Fluent's schema builder cannot declare. Both our
/// drivers are SQL databases.
func createIndexes(on db: any Database, _ statements: [String]) async throws {
    guard let sql = db as? any SQLDatabase else { return }
    for s in statements { try await sql.raw(SQLQueryString(s)).run() }
}
