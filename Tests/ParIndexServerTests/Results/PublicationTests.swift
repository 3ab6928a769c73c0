import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #19, items 2 and 3: a frozen publication and a guarded publish.
@Suite struct PublicationTests {
    struct World {
        var base: SelfAssessmentTests.World
        var council: APIClient
        var anonymous: APIClient
        var id: String { base.campaignID }
    }

    /// SNV filled and submitted (SYT left in draft, with a claim), the council review window open.
    static func world(_ app: Application, policy: String? = nil) async throws -> World {
        let w = try await SelfAssessmentTests.world(app)
        try await SelfAssessmentTests.fillEverything(w)
        try await SelfAssessmentTests.approve(w)
        let submitted = try await SelfAssessmentTests.submit(w)
        #expect(submitted.json["status"] as? String == "submitted", "\(submitted.body.string)")
        // A half-done draft of SYT, written directly: it must not be ranked.
        let syt = AssessmentEntryModel(assessmentID: UUID(uuidString: w.sytAssessment)!, leafCode: "1.1.2")
        syt.input = .yesNo(true)
        syt.points = 1
        try await syt.create(on: app.db)
        if let policy {
            let c = try #require(try await CampaignModel.find(UUID(uuidString: w.campaignID), on: app.db))
            c.unsubmittedPolicy = UnsubmittedPolicy(rawValue: policy)!
            try await c.save(on: app.db)
        }
        try await AppraisalCycleTests.openPhase(app, w.campaignID, .councilReview)
        let councilID = try await Fixtures.user(app, "hoidong", roles: [(.council, nil)])
        return World(base: w, council: APIClient(app: app, token: try await Fixtures.token(app, userID: councilID)),
                     anonymous: APIClient(app: app, token: nil))
    }

    static func units(_ r: TestingHTTPResponse) -> [[String: Any]] { (r.json["units"] as? [[String: Any]]) ?? [] }

    /// The ranking table of a results page (the page around it carries per-request tokens).
    static func rankingTable(_ html: String) -> String {
        guard let start = html.range(of: "<table class=\"ranking\">"), let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test(arguments: Engine.available)
    func publishedNumbersFilesAndPagesDoNotMoveWhenLiveDataChanges(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let published = try await PublicationFixtures.publishThroughAPI(w.council, w.id)
            #expect(published.status == .ok, "\(published.body.string)")
            let paths = ["/api/v1/public/campaigns/\(w.id)", "/api/v1/public/campaigns/\(w.id)?format=csv",
                         "/api/v1/public/campaigns/\(w.id)?format=xlsx", "/api/v1/public/campaigns/\(w.id)/units/SNV",
                         "/api/v1/public/reports/2022?format=csv", "/api/v1/public/reports/2022?format=xlsx"]
            var before: [String: String] = [:]
            for p in paths {
                let r = try await w.anonymous.send(.GET, p)
                #expect(r.status == .ok, "\(p): \(r.body.string.prefix(300))")
                before[p] = try Self.canonical(p, r)
            }
            let page = Self.rankingTable(try await app.testing().sendRequest(.GET, "/public/campaigns/\(w.id)").body.string)
            #expect(page.contains("Sở Nội vụ"))

            // Live data changes behind the lock's back: every claim of SNV zeroed, an appraisal
            // recorded, the framework cache untouched.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE assessment_entries SET input = NULL, points = 0").run()
            let stage = AppraisalModel()
            stage.$assessment.id = UUID(uuidString: w.base.snvAssessment)!
            stage.leafCode = "1.1.1"
            stage.stage = AppraisalStage.council.rawValue
            stage.inputJSON = String(decoding: try JSONEncoder().encode(LeafInput.yesNo(false)), as: UTF8.self)
            stage.reason = "Sửa sau công bố"
            stage.appraiser = "hoidong"
            stage.points = 0
            stage.version = 0
            try await stage.create(on: app.db)
            let live = try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)/results")
            #expect(Self.units(live).first?["totalPoints"] as? Double != Self.units(published).first?["totalPoints"] as? Double,
                    "the live results did move")

            for p in paths {
                let r = try await w.anonymous.send(.GET, p)
                let now = try Self.canonical(p, r)
                #expect(now == before[p], "\(p) changed after publication")
            }
            #expect(Self.rankingTable(try await app.testing().sendRequest(.GET, "/public/campaigns/\(w.id)").body.string) == page)
        }
    }

    /// Files byte for byte (XLSX cell by cell); JSON value for value (the encoder's key order varies).
    static func canonical(_ path: String, _ r: TestingHTTPResponse) throws -> String {
        if path.contains("xlsx") { return try xlsxText(r) }
        if path.contains("csv") { return r.body.string }
        let object = try JSONSerialization.jsonObject(with: Data(r.body.string.utf8))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The cells of every sheet (the archive's timestamps differ between two generations).
    static func xlsxText(_ r: TestingHTTPResponse) throws -> String {
        let book = try XLSXReader(Data(buffer: r.body))
        return try book.sheetNames.map { try book.rows(of: $0).map { $0.cells.joined(separator: "|") }.joined(separator: "\n") }.joined(separator: "\n\n")
    }

    @Test(arguments: Engine.available)
    func publishingOutsideTheWindowIsRefusedInVietnamese(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            try await AppraisalCycleTests.openPhase(app, w.id, .selfAssessment)
            let preview = try await w.council.send(.GET, "/api/v1/campaigns/\(w.id)/publish/preview")
            #expect((preview.json["refusal"] as? [String: Any])?["code"] as? String == "results.outside_window")
            let r = try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/publish",
                                             json: ["confirmation": preview.json["confirmation"] as? String ?? ""])
            #expect(r.status == .conflict && r.problemCode == "results.outside_window", "\(r.body.string)")
            #expect((r.json["detail"] as? String)?.contains("Chỉ được công bố kết quả trong thời gian Hội đồng xem xét") == true)
            let b = Browser(app)
            _ = try await b.login("hoidong")
            _ = try await b.get("/campaigns/\(w.id)/results")
            let page = try await b.post("/campaigns/\(w.id)/publish")
            #expect(page.status == .conflict && page.body.string.contains("Hội đồng xem xét"))
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: Engine.available)
    func aPublicationNeedsAFreshConfirmation(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let none = try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/publish", json: [:])
            #expect(none.status == .conflict && none.problemCode == "results.confirmation_required")
            let shown = try #require(none.json["preview"] as? [String: Any], "the current preview comes with the refusal")
            #expect(shown["submittedCount"] as? Int == 1 && shown["notSubmittedCount"] as? Int == 1)
            #expect(shown["notSubmitted"] as? [String] == ["Sở Y tế"])
            let preview = try await w.council.send(.GET, "/api/v1/campaigns/\(w.id)/publish/preview")
            let token = try #require(preview.json["confirmation"] as? String)
            #expect(token == shown["confirmation"] as? String)
            // The data changes between the preview and the confirmation: SYT submits.
            try await PublicationFixtures.markSubmitted(app, w.id)
            let stale = try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/publish", json: ["confirmation": token])
            #expect(stale.status == .conflict && stale.problemCode == "results.confirmation_required")
            #expect((stale.json["detail"] as? String)?.contains("Dữ liệu đã thay đổi") == true)
            #expect((stale.json["preview"] as? [String: Any])?["submittedCount"] as? Int == 2)
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0)
            let fresh = try await PublicationFixtures.publishThroughAPI(w.council, w.id)
            #expect(fresh.status == .ok && fresh.json["version"] as? Int == 1, "\(fresh.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func theWebShowsWhatWillGoOutBeforePublishing(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let b = Browser(app)
            _ = try await b.login("hoidong")
            _ = try await b.get("/campaigns/\(w.id)/results")
            let confirm = try await b.post("/campaigns/\(w.id)/publish")
            #expect(confirm.status == .ok)
            let html = confirm.body.string
            #expect(html.contains("Chưa nộp (1)") && html.contains("Sở Y tế") && html.contains("Xác nhận công bố: 1 đã nộp, 1 chưa nộp"))
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0, "nothing is published before the confirmation")
            let token = try #require(html.range(of: "name=\"confirmation\" value=\"").map { html[$0.upperBound...].prefix { $0 != "\"" } })
            let stale = try await b.post("/campaigns/\(w.id)/publish", form: ["confirmation": "v1-n2-s1-a0-c1-k0-0"])
            #expect(stale.status == .conflict && stale.body.string.contains("Dữ liệu đã thay đổi"))
            let done = try await b.post("/campaigns/\(w.id)/publish", form: ["confirmation": String(token)])
            #expect(done.status == .seeOther || done.status == .found, "\(done.body.string.prefix(300))")
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: Engine.available)
    func unitsThatDidNotSubmitAreListedUnrankedByDefault(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            #expect(try await PublicationFixtures.publishThroughAPI(w.council, w.id).status == .ok)
            let r = try await w.anonymous.send(.GET, "/api/v1/public/campaigns/\(w.id)")
            let syt = try #require(Self.units(r).first { $0["unitCode"] as? String == "SYT" })
            #expect(syt["ranked"] as? Bool == false && syt["rank"] == nil && syt["submissionNote"] as? String == "chưa nộp")
            #expect(syt["totalPoints"] as? Double == 0, "the draft's claim is not published")
            let snv = try #require(Self.units(r).first { $0["unitCode"] as? String == "SNV" })
            #expect(snv["rank"] as? Int == 1)
            let csv = try CSVTable.read(Data(buffer: try await w.anonymous.send(.GET, "/api/v1/public/campaigns/\(w.id)?format=csv").body))
            let row = try #require(csv.records.map(\.fields).first { $0.contains("SYT") })
            #expect(row[0] == "—" && row.last == "chưa nộp")
            let page = try await app.testing().sendRequest(.GET, "/public/campaigns/\(w.id)")
            #expect(page.body.string.contains("chưa nộp</strong>: không xếp hạng"))
        }
    }

    @Test(arguments: Engine.available)
    func theZeroPolicyRanksThemAtZeroAndFlagsThem(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app, policy: "zero")
            let detail = try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)")
            #expect(detail.json["unsubmittedPolicy"] as? String == "zero")
            #expect(try await PublicationFixtures.publishThroughAPI(w.council, w.id).status == .ok)
            let r = try await w.anonymous.send(.GET, "/api/v1/public/campaigns/\(w.id)")
            let syt = try #require(Self.units(r).first { $0["unitCode"] as? String == "SYT" })
            #expect(syt["ranked"] as? Bool == true && syt["rank"] as? Int == 2 && syt["totalPoints"] as? Double == 0)
            #expect(syt["submissionNote"] as? String == "chưa nộp — tính 0 điểm")
        }
    }

    @Test(arguments: Engine.available)
    func thePolicyIsSetOnCreateAndScheduleAndValidated(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let bad = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule", json: [
                "windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(1)]], "reason": "Đổi", "unsubmittedPolicy": "maybe"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("unsubmittedPolicy"), "\(bad.body.string)")
            let ok = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.campaignID)/schedule", json: [
                "windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(1)]], "reason": "Đổi", "unsubmittedPolicy": "zero"])
            #expect(ok.status == .ok, "\(ok.body.string)")
            #expect(try await CampaignModel.find(UUID(uuidString: w.campaignID), on: app.db)?.unsubmittedPolicy == .zero)
            let detail = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)")
            #expect(detail.json["unsubmittedPolicy"] as? String == "zero")
        }
    }

    @Test(arguments: Engine.available)
    func aCorrectionAndRepublicationMakeVersionTwoAndVersionOneStaysReadable(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            #expect(try await PublicationFixtures.publishThroughAPI(w.council, w.id).status == .ok)
            let campaignID = UUID(uuidString: w.id)!
            await #expect(throws: AppError.self) { try await PublicationLock.requireWritable(campaignID, .appraisal, on: app.db) }
            let again = try await PublicationFixtures.publishThroughAPI(w.council, w.id, reason: "Đính chính")
            #expect(again.status == .conflict && again.problemCode == "results.correction_not_open")
            #expect(try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/corrections", json: [:]).status == .unprocessableEntity)
            let opened = try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/corrections", json: ["reason": "Khiếu nại của Sở Nội vụ"])
            #expect(opened.status == .created, "\(opened.body.string)")
            #expect(try await w.council.send(.POST, "/api/v1/campaigns/\(w.id)/corrections", json: ["reason": "Lần nữa"]).status == .conflict)
            // The correction reopens appraisals and explanations only.
            try await PublicationLock.requireWritable(campaignID, .appraisal, on: app.db)
            try await PublicationLock.requireWritable(campaignID, .explanation, on: app.db)
            await #expect(throws: AppError.self) { try await PublicationLock.requireWritable(campaignID, .selfAssessment, on: app.db) }
            await #expect(throws: AppError.self) { try await PublicationLock.requireWritable(campaignID, .survey, on: app.db) }
            let v1Total = Self.units(try await w.anonymous.send(.GET, "/api/v1/public/campaigns/\(w.id)")).first?["totalPoints"] as? Double
            let fix = try await w.council.send(.PUT, "/api/v1/assessments/\(w.base.snvAssessment)/appraisals/1.1.2",
                                               json: ["stage": "council", "input": ["kind": "yes_no", "value": false], "reason": "Hội đồng không chấp nhận", "version": 0])
            #expect(fix.status == .ok, "\(fix.body.string)")
            let noReason = try await PublicationFixtures.publishThroughAPI(w.council, w.id)
            #expect(noReason.status == .unprocessableEntity)
            let v2 = try await PublicationFixtures.publishThroughAPI(w.council, w.id, reason: "Đính chính tiêu chí 1.1.2")
            #expect(v2.status == .ok && v2.json["version"] as? Int == 2, "\(v2.body.string)")
            #expect(try await ResultCorrectionModel.open(campaignID, on: app.db) == nil, "the republication closes the correction")
            await #expect(throws: AppError.self) { try await PublicationLock.requireWritable(campaignID, .appraisal, on: app.db) }

            let versions = try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)/results/versions")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(versions.body.string.utf8)) as? [[String: Any]])
            #expect(list.map { $0["version"] as? Int } == [2, 1] && list.first?["reason"] as? String == "Đính chính tiêu chí 1.1.2")
            let v1 = try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)/results/versions/1")
            #expect(v1.status == .ok && Self.units(v1).first?["totalPoints"] as? Double == v1Total)
            let latest = Self.units(try await w.anonymous.send(.GET, "/api/v1/public/campaigns/\(w.id)")).first?["totalPoints"] as? Double
            #expect(latest != v1Total && latest == Self.units(v2).first?["totalPoints"] as? Double)
            #expect(try await w.base.coordinator.send(.GET, "/api/v1/campaigns/\(w.id)/results/versions/3").status == .notFound)
            let b = Browser(app)
            _ = try await b.login("dieuphoi")
            let page = try await b.get("/campaigns/\(w.id)/results/versions/1")
            #expect(page.status == .ok && page.body.string.contains("Công bố phiên bản 1"))
            let actions = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0.hasPrefix("results.") }.sorted() == ["results.correction_open", "results.publish", "results.republish"])
        }
    }

    @Test(arguments: Engine.available)
    func aSnapshotOfTheFirstShapeStillReads(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let campaignID = UUID(uuidString: w.campaignID)!
            let snv = w.province.snv
            // As stored before issue #19 (display strings beside some numbers).
            let legacy = """
                {"campaignId":"\(campaignID)","campaignName":"Chỉ số CCHC năm 2022","computedAt":"2023-03-15T02:00:00Z",
                 "fields":[{"code":"1","maxDisplay":"12,5","title":"Công tác chỉ đạo"}],"frameworkTitle":"Bộ chỉ số 2022",
                 "publishedAt":"15/03/2023 09:00","reason":"Công bố lần đầu","version":1,
                 "units":[{"band":"Từ 80% đến dưới 90%","claimedDisplay":"90,1","claimedFieldPercents":["91,5 %"],"flaggedAgain":false,
                   "fieldPercents":["84,94 %"],"indexDisplay":"84,94 %","indexPercent":84.9449,"maxDisplay":"100","rank":1,
                   "rankChange":2,"rankChangeText":"tăng 2 bậc","rating":"Hoàn thành nhiệm vụ","reviewFields":[],"totalDisplay":"84,94",
                   "totalPoints":84.9449,"unitCode":"SNV","unitId":"\(snv)","unitName":"Sở Nội vụ"}, {"band":null,"claimedDisplay":"0",
                   "fieldPercents":["—"],"indexDisplay":"0 %","indexPercent":0,"maxDisplay":"100","rank":2,"rankChangeText":"mới",
                   "rating":"Không hoàn thành nhiệm vụ","reviewFields":["3"],"totalDisplay":"0","totalPoints":0,"unitCode":"SYT",
                   "unitId":"\(w.province.syt)","unitName":"Sở Y tế","flaggedAgain":false}]}
                """
            let s = ResultSnapshotModel()
            s.$campaign.id = campaignID
            s.version = 1
            s.resultsJSON = legacy
            s.reason = "Công bố lần đầu"
            s.publishedBy = "hoidong"
            s.publishedAt = Date(timeIntervalSince1970: 1_678_845_600)
            try await s.create(on: app.db)
            let r = try ResultsService.decode(s)
            #expect(r.fields.first?.maxPoints == 12.5 && r.units[0].maxPoints == 100 && r.units[0].claimedPoints == 90.1)
            #expect(r.units[0].fieldPercents == [84.94] && r.units[1].fieldPercents == [nil] && r.units[0].previousRank == 3)
            #expect(r.hasPrevious && r.units.allSatisfy(\.ranked))
            let anyone = APIClient(app: app, token: nil)
            let json = try await anyone.send(.GET, "/api/v1/public/campaigns/\(campaignID)")
            #expect(json.status == .ok)
            #expect(Self.units(json).first?["rankChangeText"] as? String == "tăng 2 bậc")
            #expect(Self.units(json).last?["rankChangeText"] as? String == "mới")
            #expect(Self.units(json).first?["indexDisplay"] as? String == "84,94 %")
            let csv = try CSVTable.read(Data(buffer: try await anyone.send(.GET, "/api/v1/public/campaigns/\(campaignID)?format=csv").body))
            #expect(csv.records.first?.fields[5] == "84,94")
            #expect(try await anyone.send(.GET, "/api/v1/public/campaigns/\(campaignID)?format=xlsx").status == .ok)
        }
    }
}
