import Fluent
import Foundation

/// What the published annual report of a year is made from, as one string: the year's
/// campaigns and the latest published snapshot version of each, plus the layout revision. A
/// new publication (or republication) changes it, so the stored files are made again; nothing
/// else may change the public report (issue #19, item 2: the report reads only snapshots).
enum AnnualReportCacheKey {
    /// Bump when AnnualReportDocument's output changes, so files stored by an older server are not served.
    static let layoutRevision = 1

    /// Nil when nothing of the year is published (there is no public report to store).
    static func key(year: Int, on db: any Database) async throws -> String? {
        let campaigns = try await CampaignModel.query(on: db).filter(\.$year == year).all().compactMap(\.id)
        guard !campaigns.isEmpty else { return nil }
        var latest: [UUID: Int] = [:]
        for s in try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id ~~ campaigns).all() {
            latest[s.$campaign.id] = max(latest[s.$campaign.id] ?? 0, s.version)
        }
        guard !latest.isEmpty else { return nil }
        let parts = latest.sorted { $0.key.uuidString < $1.key.uuidString }.map { "\($0.key.uuidString.lowercased()):\($0.value)" }
        return "\(year)-r\(layoutRevision)-" + APITokens.hash(parts.joined(separator: ",")).prefix(24)
    }
}
