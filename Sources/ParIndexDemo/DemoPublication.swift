import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// The council published the 2022 results in March 2023 (seed 004 is that report): the demo
/// publishes them the way the council does — through ``ResultsService/publish(_:reason:confirmation:at:)``,
/// inside the publication window, with the confirmation computed in the same transaction (the
/// system publishes, nobody clicks) — so `/public` has a ranking and 2023 shows rank changes.
enum DemoPublication {
    /// Returns how many campaigns were published.
    static func publish2022(_ context: ServiceContext) async throws -> Int {
        let campaigns = try await CampaignModel.query(on: context.db).filter(\.$year == 2022).all()
        for c in campaigns {
            _ = try await ResultsService(context: context).publishAsSystem(c.id!, at: DemoCalendar.day(15, 3, 2023, hour: 9))
        }
        return campaigns.count
    }
}
