import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Surveys from the plan to the points in the index (issue 6): questionnaires, groups,
/// batches with their handover record, keyed and imported ballots, closing, corrections,
/// reviews, the report and the survey criteria of the results.
@Suite struct SurveyTests {
    struct World {
        var base: SelfAssessmentTests.World
        var coordinator: APIClient { base.coordinator }
        var operatorClient: APIClient
        var sipasID: String
        var orgID: String
    }

    /// The SNV/SYT campaign of the self-assessment tests with a SIPAS questionnaire (citizens,
    /// quota 2 per unit) and an organisational one (delegates rate both units on one ballot).
    static func world(_ app: Application) async throws -> World {
        let base = try await SelfAssessmentTests.world(app)
        let c = base.coordinator
        let sipas = try await c.send(.POST, "/api/v1/campaigns/\(base.campaignID)/surveys/questionnaires",
                                     json: ["template": "sipas", "formId": "sipas-2022", "alertThreshold": 75])
        #expect(sipas.status == .created, "\(sipas.body.string)")
        let org = try await c.send(.POST, "/api/v1/campaigns/\(base.campaignID)/surveys/questionnaires",
                                   json: ["template": "organisational", "formId": "to-chuc-2022"])
        #expect(org.status == .created, "\(org.body.string)")
        for (code, name, form, planned, quota) in [("nguoi_dan", "Người dân, doanh nghiệp", "sipas-2022", 4, 2),
                                                   ("dai_bieu", "Đại biểu HĐND tỉnh", "to-chuc-2022", 2, 2)] {
            let g = try await c.send(.PUT, "/api/v1/campaigns/\(base.campaignID)/surveys/groups/\(code)",
                                     json: ["name": name, "formId": form, "plannedBallots": planned, "quotaPerUnit": quota])
            #expect(g.status == .ok, "\(g.body.string)")
        }
        let opID = try await Fixtures.user(app, "nhapphieu", roles: [(.surveyOperator, nil)])
        return World(base: base, operatorClient: APIClient(app: app, token: try await Fixtures.token(app, userID: opID)),
                     sipasID: sipas.json["id"] as? String ?? "", orgID: org.json["id"] as? String ?? "")
    }

    static func batch(_ w: World, form: String, declared: Int) async throws -> String {
        let b = try await w.operatorClient.send(.POST, "/api/v1/campaigns/\(w.base.campaignID)/surveys/batches", json: [
            "formId": form, "receivedFrom": "Bưu điện tỉnh", "receivedBy": "Nguyễn Văn An", "receivedOn": "15/01/2023",
            "declaredCount": declared, "sealed": true,
        ])
        #expect(b.status == .created, "\(b.body.string)")
        return b.json["id"] as? String ?? ""
    }

    /// The batch's current version (issue #19: a close must name it).
    static func batchVersion(_ app: Application, _ batchID: String) async throws -> Int {
        try #require(try await BallotBatchModel.find(UUID(uuidString: batchID), on: app.db)).version
    }

    static let sipasQuestions = QuestionnaireTemplates.sipas(formID: "x", title: "x", version: "1").questions.map(\.code)

    /// A SIPAS CSV row: every answer `answer`, except the first `low` answers at 2.
    static func sipasRow(_ number: String, unit: String, answer: String, low: Int = 0, codes: [String]) -> String {
        ([number, "nguoi_dan", unit] + codes.enumerated().map { i, _ in i < low ? "2" : answer }).joined(separator: ",")
    }

    @Test(arguments: Engine.available)
    func ballotsFromHandoverToPointsInTheIndex(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let q = try await w.coordinator.send(.GET, "/api/v1/surveys/questionnaires/\(w.sipasID)")
            let codes = ((q.json["definition"] as? [String: Any])?["questions"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes.count == 25)
            let batchID = try await Self.batch(w, form: "sipas-2022", declared: 4)
            let header = (["so_phieu", "nhom", "don_vi"] + codes).joined(separator: ",")

            // A file with mistakes: every one is reported with its row, and nothing is stored.
            let bad = [header, Self.sipasRow("S-1", unit: "SNV", answer: "4", codes: codes),
                       Self.sipasRow("S-1", unit: "SNV", answer: "5", codes: codes),
                       Self.sipasRow("S-2", unit: "XYZ", answer: "4", codes: codes),
                       Self.sipasRow("S-3", unit: "SYT", answer: "7", codes: codes)].joined(separator: "\n")
            let refused = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import", bytes: Data(bad.utf8))
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string)")
            let rows = (refused.json["rows"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int }
            #expect(Set(rows).isSuperset(of: [3, 4, 5]), "\(refused.body.string)")
            #expect(refused.body.string.contains("XYZ"))
            let none = try await w.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batchID)")
            #expect(none.json["enteredCount"] as? Int == 0)

            // The wrong encodings get a clear message.
            let utf16 = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import",
                                                        bytes: Data([0xFF, 0xFE]) + header.data(using: .utf16LittleEndian)!)
            #expect(utf16.status == .unprocessableEntity && utf16.body.string.contains("UTF-16"), "\(utf16.body.string)")

            // A dry run, then the real import (with a BOM and ';' as Vietnamese Excel writes it).
            let good = [header, Self.sipasRow("S-1", unit: "SNV", answer: "5", low: 5, codes: codes),
                        Self.sipasRow("S-2", unit: "SNV", answer: "4", codes: codes),
                        Self.sipasRow("S-3", unit: "SYT", answer: "2", low: 25, codes: codes)]
                .joined(separator: "\r\n").replacingOccurrences(of: ",", with: ";")
            let file = Data([0xEF, 0xBB, 0xBF]) + Data(good.utf8)
            let dry = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import?dryRun=true", bytes: file)
            #expect(dry.status == .ok, "\(dry.body.string)")
            #expect(dry.json["ballots"] as? Int == 3)
            #expect(dry.json["flagged"] as? Int == 2, "straight-lined S-2 and S-3")
            #expect(try await w.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batchID)").json["enteredCount"] as? Int == 0)
            let imported = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import", bytes: file)
            #expect(imported.status == .ok, "\(imported.body.string)")

            // One ballot keyed on the screen's API; a bad option code is refused with its question.
            var answers = Dictionary(uniqueKeysWithValues: codes.map { ($0, "4") })
            answers[codes[0]] = "9"
            let wrong = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-4", "group": "nguoi_dan", "ratings": [["unit": "SYT", "answers": answers]]])
            #expect(wrong.status == .unprocessableEntity)
            #expect((wrong.json["rows"] as? [[String: Any]])?.first?["field"] as? String == codes[0], "\(wrong.body.string)")
            answers[codes[0]] = "5"
            let keyed = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-4", "group": "nguoi_dan", "ratings": [["unit": "SYT", "answers": answers]]])
            #expect(keyed.status == .created, "\(keyed.body.string)")
            #expect(keyed.json["enteredCount"] as? Int == 4)

            // Nothing counts before the batch closes; closing with a count mismatch needs a note.
            let before = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report")
            let sipasBefore = (before.json["questionnaires"] as? [[String: Any]])?.first { $0["formId"] as? String == "sipas-2022" }
            #expect(sipasBefore?["ballots"] as? Int == 0)
            let dup = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-4", "group": "nguoi_dan", "ratings": [["unit": "SYT", "answers": answers]]])
            #expect(dup.status == .created, "a second S-4 is stored but flagged for review")
            #expect((dup.json["flags"] as? [String])?.isEmpty == false)
            let mismatch = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/close",
                                                           json: ["version": try await Self.batchVersion(app, batchID)])
            #expect(mismatch.status == .unprocessableEntity, "\(mismatch.body.string)")
            let closed = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/close",
                                                         json: ["note": "Phiếu S-4 nhập hai lần, chờ xem xét",
                                                                "version": try await Self.batchVersion(app, batchID)])
            #expect(closed.status == .ok, "\(closed.body.string)")
            let checksum = try #require(closed.json["checksum"] as? String)
            #expect(checksum.count == 64)
            let late = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-9", "group": "nguoi_dan", "ratings": [["unit": "SYT", "answers": answers]]])
            #expect(late.status == .conflict)

            // SNV: S-1 (5 low answers in the first element, 20 × 5), S-2 (25 × 4). Element "tiếp cận":
            // 5 of 10 satisfied; the other four: 10 of 10. Index = (0,5 + 4 × 1) / 5 = 0,9; points = 10 × 0,9 = 9.
            let report = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report")
            let sipas = try #require((report.json["questionnaires"] as? [[String: Any]])?.first { $0["formId"] as? String == "sipas-2022" })
            let snv = try #require((sipas["units"] as? [[String: Any]])?.first { $0["unitCode"] as? String == "SNV" })
            #expect(abs((snv["points"] as? Double ?? -1) - 9) < 1e-9, "\(snv)")
            #expect((snv["explanation"] as? String)?.contains("max") == true)
            // Per question and per group: S-1 answered the first question with 2, S-2 with 4.
            let perQuestion = try #require(snv["questions"] as? [[String: Any]])
            #expect(perQuestion.count == 25)
            #expect(perQuestion.first?["answers"] as? Int == 2 && perQuestion.first?["shareDisplay"] as? String == "50 %", "\(perQuestion.first ?? [:])")
            #expect((snv["groupScores"] as? [[String: Any]])?.first?["answers"] as? Int == 2)
            let syt = try #require((sipas["units"] as? [[String: Any]])?.first { $0["unitCode"] as? String == "SYT" })
            #expect(syt["alert"] as? Bool == true, "SYT is under the 75 % threshold")
            let results = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/results")
            #expect(results.status == .ok)

            // Review: reject the duplicate S-4 (with a reason); a correction changes the points and the checksum.
            let flagged = try await w.coordinator.send(.GET, "/api/v1/surveys/batches/\(batchID)/ballots?flagged=true")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(flagged.body.string.utf8)) as? [[String: Any]])
            let duplicate = try #require(list.first { $0["ballotNumber"] as? String == "S-4" && ($0["flags"] as? [String])?.isEmpty == false })
            let noReason = try await w.coordinator.send(.POST, "/api/v1/surveys/ballots/\(duplicate["id"] as! String)/review",
                                                        json: ["decision": "rejected", "version": duplicate["version"] as! Int])
            #expect(noReason.status == .unprocessableEntity)
            let rejected = try await w.coordinator.send(.POST, "/api/v1/surveys/ballots/\(duplicate["id"] as! String)/review",
                                                        json: ["decision": "rejected", "reason": "Nhập trùng", "version": duplicate["version"] as! Int])
            #expect(rejected.json["review"] as? String == "rejected", "\(rejected.body.string)")
            #expect(try await w.operatorClient.send(.POST, "/api/v1/surveys/ballots/\(duplicate["id"] as! String)/review",
                                                    json: ["decision": "accepted", "version": 1]).status == .forbidden)
            let all = try await w.coordinator.send(.GET, "/api/v1/surveys/batches/\(batchID)/ballots")
            let ballots = try #require(try JSONSerialization.jsonObject(with: Data(all.body.string.utf8)) as? [[String: Any]])
            let s1 = try #require(ballots.first { $0["ballotNumber"] as? String == "S-1" })
            let fixed = Dictionary(uniqueKeysWithValues: codes.map { ($0, "5") })
            let corrected = try await w.coordinator.send(.PUT, "/api/v1/surveys/ballots/\(s1["id"] as! String)",
                                                         json: ["answers": fixed, "reason": "Đối chiếu phiếu giấy: nhập nhầm 5 câu đầu",
                                                                "version": s1["version"] as! Int])
            #expect(corrected.status == .ok, "\(corrected.body.string)")
            let after = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report")
            let sipasAfter = try #require((after.json["questionnaires"] as? [[String: Any]])?.first { $0["formId"] as? String == "sipas-2022" })
            let snvAfter = try #require((sipasAfter["units"] as? [[String: Any]])?.first { $0["unitCode"] as? String == "SNV" })
            #expect(abs((snvAfter["points"] as? Double ?? -1) - 10) < 1e-9, "\(snvAfter)")
            let batch = try await w.coordinator.send(.GET, "/api/v1/surveys/batches/\(batchID)")
            #expect(batch.json["checksum"] as? String != checksum)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "survey.ballot.correct").first()
            #expect(audit?.reason?.contains("phiếu giấy") == true)

            // The survey points go into the index: SNV's criterion 8.2 now carries 10 points
            // (once SNV has submitted: a unit that never submitted is scored on nothing, issue #19).
            try await PublicationFixtures.markSubmitted(app, w.base.campaignID)
            let live = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/results")
            let units = try #require(live.json["units"] as? [[String: Any]])
            let snvResult = try #require(units.first { $0["unitCode"] as? String == "SNV" })
            #expect((snvResult["totalPoints"] as? Double ?? 0) >= 10, "\(snvResult)")

            let xlsx = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report?format=xlsx")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1000)
            let csv = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report?format=csv")
            #expect(csv.body.string.contains("Sở Nội vụ"))
        }
    }

    @Test(arguments: Engine.available)
    func oneBallotRatesSeveralUnitsAndXLSFormTravels(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let q = try await w.coordinator.send(.GET, "/api/v1/surveys/questionnaires/\(w.orgID)")
            let codes = ((q.json["definition"] as? [String: Any])?["questions"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            let batchID = try await Self.batch(w, form: "to-chuc-2022", declared: 2)
            // An XLSX ballot file: one ballot number per delegate, one row per rated unit.
            let header = ["so_phieu", "nhom", "don_vi"] + codes
            var rows: [[XLSXWriter.Cell]] = [header.map { .text($0) }]
            for (n, unit, answer) in [("D-1", "SNV", 5.0), ("D-1", "SYT", 4.0), ("D-2", "SNV", 4.0), ("D-2", "SYT", 3.0)] {
                rows.append([.text(n), .text("dai_bieu"), .text(unit)] + codes.map { _ in .number(answer) })
            }
            let file = try XLSXWriter(sheets: [.init(name: "phieu", columnWidths: [], rows: rows)]).data()
            let imported = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/import", bytes: file)
            #expect(imported.status == .ok, "\(imported.body.string)")
            #expect(imported.json["ballots"] as? Int == 2)
            #expect(imported.json["rows"] as? Int == 4)
            let closed = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/close",
                                                         json: ["version": try await Self.batchVersion(app, batchID)])
            #expect(closed.status == .ok, "\(closed.body.string)")
            let report = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.base.campaignID)/surveys/report")
            let org = try #require((report.json["questionnaires"] as? [[String: Any]])?.first { $0["formId"] as? String == "to-chuc-2022" })
            let snv = try #require((org["units"] as? [[String: Any]])?.first { $0["unitCode"] as? String == "SNV" })
            // Mean score 4,5 of 5 → 18,5 × 4,5 / 5 = 16,65.
            #expect(abs((snv["points"] as? Double ?? -1) - 16.65) < 1e-9, "\(snv)")
            #expect((snv["groups"] as? [[String: Any]])?.first?["met"] as? Bool == true)

            // The questionnaire goes out as XLSForm and comes back the same.
            let exported = try await w.coordinator.send(.GET, "/api/v1/surveys/questionnaires/\(w.sipasID)/xlsform")
            #expect(exported.status == .ok)
            let sheets = try XLSXReader(Data(buffer: exported.body))
            #expect(sheets.sheetNames == ["survey", "choices", "settings"])
            let back = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.base.campaignID)/surveys/xlsform",
                                                    bytes: Data(buffer: exported.body))
            #expect(back.status == .created, "\(back.body.string)")
            let original = try await w.coordinator.send(.GET, "/api/v1/surveys/questionnaires/\(w.sipasID)")
            #expect(NSDictionary(dictionary: back.json["definition"] as? [String: Any] ?? [:])
                    .isEqual(to: original.json["definition"] as? [String: Any] ?? [:]))
            // A questionnaire whose batches hold ballots cannot be replaced.
            let orgForm = try await w.coordinator.send(.GET, "/api/v1/surveys/questionnaires/\(w.orgID)/xlsform")
            let replace = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.base.campaignID)/surveys/xlsform",
                                                       bytes: Data(buffer: orgForm.body))
            #expect(replace.status == .conflict)
            // A workbook without a choices sheet says so.
            let broken = try XLSXWriter(sheets: [.init(name: "survey", columnWidths: [], rows: [[.text("type"), .text("name")]])]).data()
            let refused = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.base.campaignID)/surveys/xlsform", bytes: broken)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("choices"), "\(refused.body.string)")

            let size = try await w.coordinator.send(.GET, "/api/v1/surveys/sample-size?population=1000&margin=0.05")
            #expect(size.json["sample"] as? Int == 286)
            #expect(try await w.coordinator.send(.GET, "/api/v1/surveys/sample-size?population=-1").status == .unprocessableEntity)
            #expect(try await w.coordinator.send(.GET, "/api/v1/surveys/sample-size?population=100&margin=2").status == .unprocessableEntity)

            // What ballots were keyed against stays: its questionnaire and its group cannot be deleted.
            let dropForm = try await w.coordinator.send(.DELETE, "/api/v1/surveys/questionnaires/\(w.orgID)")
            #expect(dropForm.status == .conflict && dropForm.body.string.contains("lô phiếu"))
            #expect(try await w.coordinator.send(.DELETE, "/api/v1/campaigns/\(w.base.campaignID)/surveys/groups/dai_bieu").status == .conflict)
            let spare = try await w.coordinator.send(.PUT, "/api/v1/campaigns/\(w.base.campaignID)/surveys/groups/mttq",
                                                     json: ["name": "Lãnh đạo Ủy ban MTTQ tỉnh", "formId": "to-chuc-2022",
                                                            "plannedBallots": 4, "quotaPerUnit": 4])
            #expect(spare.status == .ok)
            #expect(try await w.coordinator.send(.DELETE, "/api/v1/campaigns/\(w.base.campaignID)/surveys/groups/mttq").status == .noContent)
        }
    }

    @Test(arguments: Engine.available)
    func theKeyedEntryScreenSavesABallotAndCountsTheBatch(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let batchID = try await Self.batch(w, form: "sipas-2022", declared: 1)
            let browser = Browser(app)
            _ = try await browser.login("nhapphieu")
            let page = try await browser.get("/surveys/batches/\(batchID)/entry")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Đã nhập 0/1 phiếu"))
            #expect(page.body.string.contains("data-allowed=\"1,2,3,4,5,0\"") || page.body.string.contains("data-allowed="))
            var form = ["ballotNumber": "P-001", "group": "nguoi_dan", "unit": "SNV"]
            for code in Self.sipasQuestions { form["q.\(code)"] = "4" }
            form["q.\(Self.sipasQuestions[0])"] = "8"
            let refused = try await browser.post("/surveys/batches/\(batchID)/entry", form: form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(Self.sipasQuestions[0]))
            #expect(refused.body.string.contains("value=\"P-001\""), "what was typed is kept")
            form["q.\(Self.sipasQuestions[0])"] = "5"
            let saved = try await browser.post("/surveys/batches/\(batchID)/entry", form: form)
            #expect(saved.status == .ok, "\(saved.body.string.prefix(400))")
            #expect(saved.body.string.contains("Đã nhập 1/1 phiếu"))
            let close = try await browser.post("/surveys/batches/\(batchID)/close",
                                               form: ["note": "", "version": String(try await Self.batchVersion(app, batchID))])
            #expect(close.status == .seeOther || close.status == .found)
            let batch = try await browser.get("/surveys/batches/\(batchID)")
            #expect(batch.body.string.contains("Đã khóa"))
            let report = try await browser.get("/campaigns/\(w.base.campaignID)/surveys/report")
            #expect(report.status == .ok && report.body.string.contains("Sở Nội vụ"))
            // A unit reporter sees none of it.
            let reporter = Browser(app)
            _ = try await reporter.login("baocao.snv")
            #expect(try await reporter.get("/campaigns/\(w.base.campaignID)/surveys").status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func publishedResultsFreezeTheSurvey(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let batchID = try await Self.batch(w, form: "sipas-2022", declared: 1)
            try await AppraisalCycleTests.openPhase(app, w.base.campaignID, .publication)
            let council = try await Fixtures.user(app, "hoidong", roles: [(.council, nil)])
            try await PublicationFixtures.markSubmitted(app, w.base.campaignID)
            let publish = try await PublicationFixtures.publishThroughAPI(APIClient(app: app, token: try await Fixtures.token(app, userID: council)),
                                                                          w.base.campaignID)
            #expect(publish.status == .ok, "\(publish.body.string)")
            let answers = Dictionary(uniqueKeysWithValues: Self.sipasQuestions.map { ($0, "4") })
            let late = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-1", "group": "nguoi_dan", "ratings": [["unit": "SNV", "answers": answers]]])
            #expect(late.status == .conflict, "\(late.body.string)")
            #expect(late.problemCode == "campaign.published")
        }
    }
}
