import Fluent
import Foundation
import ParIndexCore

/// The council published the 2022 results in March 2023 (seed 004 is that report): the demo
/// freezes them the way publication does — results computed by the engine from the standing
/// inputs and the survey tallies — so `/public` has a ranking and 2023 shows rank changes.
enum DemoPublication {
    /// Returns how many campaigns were published.
    static func publish2022(on db: any Database) async throws -> Int {
        let campaigns = try await CampaignModel.query(on: db).filter(\.$year == 2022).with(\.$framework).all()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        for c in campaigns {
            var results = try await ResultsService(db: db).compute(c)
            let snapshot = ResultSnapshotModel()
            snapshot.$campaign.id = c.id!
            snapshot.version = 1
            snapshot.reason = "Công bố lần đầu"
            snapshot.publishedBy = "hoidong"
            snapshot.publishedAt = DemoCalendar.day(15, 3, 2023, hour: 9)
            results.version = 1
            results.publishedAt = VietnameseDate.formatDateTime(snapshot.publishedAt)
            results.reason = snapshot.reason
            snapshot.resultsJSON = String(decoding: try encoder.encode(results), as: UTF8.self)
            try await snapshot.create(on: db)
        }
        return campaigns.count
    }
}
