import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
@testable import ParIndexServer

/// M017 (issue #19): campaigns that predate owners get the lowest unit above their evaluated
/// units, or the installation's top unit when they evaluate none.
@Suite struct CampaignOwnerMigrationTests {
    @Test(arguments: Engine.available)
    func existingCampaignsGetTheUnitAboveTheirUnitsOrTheTopUnit(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let frameworkID = try #require(try await CampaignModel.find(UUID(uuidString: w.campaignID), on: app.db)?.$framework.id)
            let communes = try await w.coordinator.send(.POST, "/api/v1/campaigns", json: [
                "name": "Chỉ số CCHC cấp xã năm 2022", "year": 2022, "frameworkId": frameworkID.uuidString, "unitCodes": ["HNS-X1"],
                "windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(1)]],
            ])
            #expect(communes.status == .created, "\(communes.body.string)")
            #expect(communes.json["ownerUnitCode"] as? String == "HNS")
            // A campaign with no units at all (an aborted setup): the top unit.
            let empty = CampaignModel()
            empty.name = "Đợt trống"
            empty.year = 2021
            empty.$framework.id = frameworkID
            empty.$ownerUnit.id = w.province.snv
            empty.schedule = CampaignSchedule()
            try await empty.create(on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            if engine == .postgres { try await sql.raw("ALTER TABLE campaigns ALTER COLUMN owner_unit_id DROP NOT NULL").run() }
            try await sql.raw("UPDATE campaigns SET owner_unit_id = NULL").run()
            try await M017CampaignOwnerUnit.backfill(on: sql)
            let owners = try await CampaignModel.query(on: app.db).with(\.$ownerUnit).all()
                .reduce(into: [String: String]()) { $0[$1.name] = $1.ownerUnit.code }
            #expect(owners == ["Chỉ số CCHC năm 2022": "HD", "Chỉ số CCHC cấp xã năm 2022": "HNS", "Đợt trống": "HD"])
        }
    }
}
