import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Appraisal, explanation, council and publication (issue 5, points 4–6).
@Suite struct AppraisalCycleTests {
    /// Moves the campaign's calendar so that `phase` is open now and every earlier phase is
    /// over: tests travel through the cycle without waiting for real dates.
    static func openPhase(_ app: Application, _ campaignID: String, _ phase: CampaignPhase) async throws {
        let c = try #require(try await CampaignModel.find(UUID(uuidString: campaignID), on: app.db))
        var schedule = c.schedule
        let day: TimeInterval = 86_400
        let now = Date()
        let order = CampaignPhase.allCases
        let current = order.firstIndex(of: phase)!
        for (i, p) in order.enumerated() {
            let offset = Double(i - current) * 3 * day
            schedule.windows[p] = PhaseWindow(opens: now.addingTimeInterval(offset - day), closes: now.addingTimeInterval(offset + day))
        }
        schedule.reopenings = []
        c.schedule = schedule
        try await c.save(on: app.db)
    }

    @Test(arguments: Engine.available)
    func theWholeCycleFromSubmissionToPublicRanking(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            try await SelfAssessmentTests.approve(w)
            let submitted = try await SelfAssessmentTests.submit(w)
            #expect(submitted.json["status"] as? String == "submitted")

            try await Self.openPhase(app, w.campaignID, .appraisalRound1)
            let apprID = try await Fixtures.user(app, "thamdinh", roles: [(.appraiser, nil)])
            let appraiser = APIClient(app: app, token: try await Fixtures.token(app, userID: apprID))
            let assign = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers",
                                                      json: ["username": "thamdinh", "nodeCode": "1"])
            #expect(assign.status == .created, "\(assign.body.string)")
            let queue = try await appraiser.send(.GET, "/api/v1/campaigns/\(w.campaignID)/appraisal?unit=SNV")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(queue.body.string.utf8)) as? [[String: Any]])
            #expect(!rows.isEmpty && rows.allSatisfy { ($0["leafCode"] as? String)?.hasPrefix("1.") == true })

            let path = "/api/v1/assessments/\(w.snvAssessment)/appraisals/1.1.2"
            let noReason = try await appraiser.send(.PUT, path, json: ["stage": "round1", "input": ["kind": "yes_no", "value": false], "version": 0])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.problemCode == "appraisal.reason_required")
            let r1 = try await appraiser.send(.PUT, path, json: ["stage": "round1", "input": ["kind": "yes_no", "value": false],
                                                                 "reason": "Kế hoạch chưa thể hiện tinh thần 5 rõ", "version": 0])
            #expect(r1.status == .ok, "\(r1.body.string)")
            #expect(r1.json["points"] as? Double == 0)
            let stale = try await appraiser.send(.PUT, path, json: ["stage": "round1", "input": ["kind": "yes_no", "value": false],
                                                                    "reason": "x", "version": 0])
            #expect(stale.status == .conflict)
            let other = try await appraiser.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/appraisals/2.1.1",
                                                 json: ["stage": "round1", "input": ["kind": "yes_no", "value": true], "version": 0])
            #expect(other.status == .forbidden || other.status == .notFound)
            #expect(try await w.reporter.send(.PUT, path, json: ["stage": "round1", "input": ["kind": "yes_no", "value": true], "version": 1]).status == .forbidden)
            let early = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/explanations/1.1.2",
                                                  json: ["text": "Đã có kế hoạch"])
            #expect(early.problemCode == "campaign.phase_not_open")

            try await Self.openPhase(app, w.campaignID, .explanation)
            let explained = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/explanations/1.1.2",
                                                      json: ["text": "Kế hoạch đã giao rõ người, rõ việc tại phụ lục kèm theo"])
            #expect(explained.status == .ok, "\(explained.body.string)")
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            let row = ((grid.json["rows"] as? [[String: Any]]) ?? []).first { $0["code"] as? String == "1.1.2" }
            #expect((row?["appraisalComment"] as? String)?.contains("5 rõ") == true)

            try await Self.openPhase(app, w.campaignID, .appraisalRound2)
            let r2 = try await appraiser.send(.PUT, path, json: ["stage": "round2", "input": ["kind": "yes_no", "value": true],
                                                                 "reason": "Chấp nhận giải trình", "version": 0])
            #expect(r2.status == .ok)
            let live = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)/results")
            let units = try #require(live.json["units"] as? [[String: Any]])
            #expect(units.count == 2)
            #expect(units.first?["unitCode"] as? String == "SNV")
            #expect(try await w.reporter.send(.GET, "/api/v1/campaigns/\(w.campaignID)/results").status == .forbidden)

            try await Self.openPhase(app, w.campaignID, .councilReview)
            let councilID = try await Fixtures.user(app, "hoidong", roles: [(.council, nil)])
            let council = APIClient(app: app, token: try await Fixtures.token(app, userID: councilID))
            let anonymous = APIClient(app: app, token: nil)
            #expect(try await anonymous.send(.GET, "/api/v1/public/campaigns/\(w.campaignID)").status == .notFound)
            let unconfirmed = try await council.send(.POST, "/api/v1/campaigns/\(w.campaignID)/publish", json: [:])
            #expect(unconfirmed.status == .conflict && unconfirmed.problemCode == "results.confirmation_required")
            let v1 = try await PublicationFixtures.publishThroughAPI(council, w.campaignID)
            #expect(v1.json["version"] as? Int == 1, "\(v1.body.string)")
            let published = try await anonymous.send(.GET, "/api/v1/public/campaigns/\(w.campaignID)")
            #expect(published.status == .ok)
            let total1 = ((published.json["units"] as? [[String: Any]])?.first?["totalPoints"] as? Double) ?? -1
            // A later council adjustment (through a correction) does not move the published numbers until republication.
            let correction = try await council.send(.POST, "/api/v1/campaigns/\(w.campaignID)/corrections", json: ["reason": "Khiếu nại tiêu chí 1.1.2"])
            #expect(correction.status == .created, "\(correction.body.string)")
            let adjusted = try await council.send(.PUT, path, json: ["stage": "council", "input": ["kind": "yes_no", "value": false],
                                                                     "reason": "Hội đồng không chấp nhận", "version": 0])
            #expect(adjusted.status == .ok, "\(adjusted.body.string)")
            let still = try await anonymous.send(.GET, "/api/v1/public/campaigns/\(w.campaignID)")
            #expect(((still.json["units"] as? [[String: Any]])?.first?["totalPoints"] as? Double) == total1)
            let noWhy = try await PublicationFixtures.publishThroughAPI(council, w.campaignID)
            #expect(noWhy.status == .unprocessableEntity)
            let v2 = try await PublicationFixtures.publishThroughAPI(council, w.campaignID, reason: "Đính chính tiêu chí 1.1.2")
            #expect(v2.json["version"] as? Int == 2)
            let versions = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)/results/versions")
            #expect((try JSONSerialization.jsonObject(with: Data(versions.body.string.utf8)) as? [Any])?.count == 2)
            let page = try await app.testing().sendRequest(.GET, "/public/campaigns/\(w.campaignID)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Sở Nội vụ"))
            let actions = Set(try await AuditEntryModel.query(on: app.db).all().map(\.action))
            #expect(actions.isSuperset(of: ["appraisal.assign", "appraisal.round1", "appraisal.explanation", "appraisal.round2",
                                            "appraisal.council", "results.publish", "results.correction_open", "results.republish"]))
        }
    }
}

@Suite struct CampaignCopyTests {
    @Test(arguments: Engine.available)
    func aCampaignStartsFromLastYearsAndCouncilSeesClaimsBesideResults(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let copy = try await w.coordinator.send(.POST, "/api/v1/campaigns",
                                                    json: ["name": "Chỉ số CCHC năm 2023", "copyFromCampaignId": w.campaignID])
            #expect(copy.status == .created, "\(copy.body.string)")
            #expect(copy.json["year"] as? Int == 2023)
            #expect(copy.json["previousCampaignId"] as? String == w.campaignID)
            let units = ((copy.json["assessments"] as? [[String: Any]]) ?? []).compactMap { $0["unitCode"] as? String }.sorted()
            #expect(units == ["SNV", "SYT"])
            let windows = try #require(copy.json["windows"] as? [[String: Any]])
            #expect(windows.first?["to"] as? String == {
                let d = Fixtures.day(1)
                return d.prefix(6) + String(Int(d.suffix(4))! + 1)
            }())
            _ = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                          json: ["input": ["kind": "yes_no", "value": true], "version": 0])
            let live = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)/results")
            let snv = ((live.json["units"] as? [[String: Any]]) ?? []).first { $0["unitCode"] as? String == "SNV" }
            #expect(snv?["claimedDisplay"] as? String == snv?["totalDisplay"] as? String)
        }
    }
}

@Suite struct SupplementaryEvidenceTests {
    @Test(arguments: Engine.available)
    func aUnitAddsAndReplacesEvidenceInTheExplanationWindowOnly(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let path = "/api/v1/assessments/\(w.snvAssessment)/evidence"
            var fields = ["documentNumber": "54/KH-SNV", "documentDate": "28/04/2022", "issuer": "Sở Nội vụ",
                          "title": "Kế hoạch CCHC năm 2022", "leafCodes": "1.1.2"]
            let first = try await w.reporter.upload(path, file: Data("%PDF-1.4\n%v1\n".utf8), filename: "v1.pdf", fields: fields)
            #expect(first.status == .created)
            try await SelfAssessmentTests.fillEverything(w)
            try await SelfAssessmentTests.approve(w)
            try await SelfAssessmentTests.submit(w)
            let locked = try await w.reporter.upload(path, file: Data("%PDF-1.4\n%v2\n".utf8), filename: "v2.pdf", fields: fields)
            #expect(locked.status == .conflict)
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .explanation)
            fields["replaces"] = try #require(first.json["id"] as? String)
            fields["documentNumber"] = "55/KH-SNV"
            let replaced = try await w.reporter.upload(path, file: Data("%PDF-1.4\n%v2\n".utf8), filename: "v2.pdf", fields: fields)
            #expect(replaced.status == .created, "\(replaced.body.string)")
            #expect(replaced.json["replacesId"] as? String == fields["replaces"])
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            let numbers = ((grid.json["documents"] as? [[String: Any]]) ?? []).compactMap { $0["documentNumber"] as? String }
            #expect(numbers == ["55/KH-SNV"])
            // The earlier version is kept, and still downloadable.
            #expect(try await EvidenceDocumentModel.query(on: app.db).count() == 2)
            #expect(try await w.reporter.send(.GET, "/api/v1/evidence/\(fields["replaces"]!)/download").status == .ok)
        }
    }
}

@Suite struct ScheduleEditTests {
    @Test(arguments: Engine.available)
    func aCoordinatorMovesTheCalendarWithAReasonAndTheServerFollowsIt(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let windows: [String: Any] = [
                "self_assessment": ["from": Fixtures.day(-10), "to": Fixtures.day(-2)],
                "appraisal_round1": ["from": Fixtures.day(-1), "to": Fixtures.day(2)],
            ]
            let noReason = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule", json: ["windows": windows])
            #expect(noReason.status == .unprocessableEntity)
            let overlap = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule", json: [
                "windows": ["self_assessment": ["from": Fixtures.day(-10), "to": Fixtures.day(2)],
                            "appraisal_round1": ["from": Fixtures.day(-1), "to": Fixtures.day(3)]], "reason": "x"])
            #expect(overlap.status == .unprocessableEntity)
            let moved = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule",
                                                     json: ["windows": windows, "reason": "Rút ngắn theo chỉ đạo của UBND tỉnh"])
            #expect(moved.status == .ok, "\(moved.body.string)")
            let late = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                                 json: ["input": ["kind": "yes_no", "value": true], "version": 0])
            #expect(late.problemCode == "campaign.deadline_passed")
            #expect(try await w.reporter.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule",
                                              json: ["windows": windows, "reason": "x"]).status == .forbidden)
            let line = try await AuditEntryModel.query(on: app.db).filter(\.$action == "campaign.schedule").first()
            #expect(line?.reason == "Rút ngắn theo chỉ đạo của UBND tỉnh")
            #expect(line?.before?.contains(Fixtures.day(1)) == true)
        }
    }
}
