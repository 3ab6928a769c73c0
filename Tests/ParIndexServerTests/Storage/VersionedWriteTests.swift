import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #19, item 1: every versioned write checks and bumps its version in one statement, and
/// every state check runs inside the write transaction. The races are real: requests run at
/// once through the app's responder, on a pool of database connections (a file-backed SQLite
/// in WAL mode, as `serve` runs it, or PostgreSQL).
@Suite struct VersionedWriteTests {
    /// A test app on a database that several connections really share: the in-memory SQLite of
    /// ``withTestApp(_:settings:_:)`` is fine for one request at a time; here SQLite is a file,
    /// tuned as `serve` tunes it.
    static func withConcurrentApp(_ engine: Engine, _ body: (Application) async throws -> Void) async throws {
        guard engine == .sqlite else { return try await withTestApp(engine, body) }
        let app = try await Application.make(.testing)
        var settings = Settings.testing()
        settings.database = .sqliteFile(path: Fixtures.tempDirectory() + "/parindex.sqlite")
        do {
            try await configure(app, settings: settings)
            try await DatabaseSetup.tuneSQLite(app)
            try await app.autoMigrate()
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Exactly one of the parallel writes wins and every other one is refused as `losers` —
    /// or, on a machine loaded by the whole suite, shed by the connection pool before its
    /// transaction began (503 `storage.busy`: nothing written, the client retries). The guarantee
    /// (never two winners, never a lost update) holds either way; the exact split is checked when
    /// nothing was shed.
    static func expectOneWinner(_ results: [(status: HTTPStatus, code: String?)], losers: Set<String>,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let shed = results.filter { $0.status == .serviceUnavailable && $0.code == "storage.busy" }.count
        let refused = results.filter { $0.status == .conflict && $0.code.map(losers.contains) == true }.count
        #expect(results.filter { $0.status == .ok }.count == (shed == results.count ? 0 : 1), "\(results)", sourceLocation: sourceLocation)
        #expect(refused + shed == results.count - (shed == results.count ? 0 : 1), "\(results)", sourceLocation: sourceLocation)
    }

    /// Sends `count` requests at once; `make(i)` builds the i-th (method, path, JSON body, headers).
    static func parallel(_ app: Application, token: String, count: Int,
                         _ make: @escaping @Sendable (Int) -> (HTTPMethod, String, Data, [String: String])) async throws
        -> [(status: HTTPStatus, code: String?)] {
        try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
            for i in 0 ..< count {
                group.addTask {
                    let (method, path, body, extra) = make(i)
                    var h = HTTPHeaders()
                    h.bearerAuthorization = BearerAuthorization(token: token)
                    h.contentType = .json
                    for (k, v) in extra { h.replaceOrAdd(name: k, value: v) }
                    let r = try await app.testing().sendRequest(method, path, headers: h, body: ByteBuffer(data: body))
                    return (r.status, r.problemCode)
                }
            }
            var out: [(status: HTTPStatus, code: String?)] = []
            for try await r in group { out.append(r) }
            return out
        }
    }

    static func json(_ object: [String: Any]) -> Data { try! JSONSerialization.data(withJSONObject: object) }

    static func entryVersion(_ app: Application, _ assessment: String, _ code: String) async throws -> Int {
        try await AssessmentEntryModel.query(on: app.db).filter(\.$assessment.$id == UUID(uuidString: assessment)!)
            .filter(\.$leafCode == code).first()?.version ?? 0
    }

    static func assessment(_ app: Application, _ id: String) async throws -> AssessmentModel {
        try #require(try await AssessmentModel.find(UUID(uuidString: id), on: app.db))
    }

    // MARK: Entries

    @Test(arguments: Engine.available)
    func twentyParallelSavesWithOneVersionMakeOneWinnerAndNineteenConflicts(engine: Engine) async throws {
        try await Self.withConcurrentApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let token = try #require(w.reporter.token)
            let path = "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2"
            // Twenty first saves (version 0): the unique index decides.
            let first = try await Self.parallel(app, token: token, count: 20) { i in
                (.PUT, path, Self.json(["input": ["kind": "yes_no", "value": i % 2 == 0], "explanation": "Lần \(i)", "version": 0]), [:])
            }
            Self.expectOneWinner(first, losers: ["version.stale"])
            #expect(try await Self.entryVersion(app, w.snvAssessment, "1.1.2") == 1)
            // Twenty edits of version 1.
            let edits = try await Self.parallel(app, token: token, count: 20) { i in
                (.PUT, path, Self.json(["input": ["kind": "yes_no", "value": i % 2 == 1], "explanation": "Sửa \(i)", "version": 1]), [:])
            }
            Self.expectOneWinner(edits, losers: ["version.stale"])
            #expect(try await Self.entryVersion(app, w.snvAssessment, "1.1.2") == 2)
            // One audit line per write that happened, none for the refused ones.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "assessment.entry.save").count() == 2)
            #expect(try await AssessmentEntryModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: Engine.available)
    func aSaveRacingASubmissionNeverLeavesASubmittedAssessmentInDraft(engine: Engine) async throws {
        try await Self.withConcurrentApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            let reporter = try #require(w.reporter.token)
            let base = "/api/v1/assessments/\(w.snvAssessment)"
            for round in 0 ..< 8 {
                // Approved, then a submission and an edit that would withdraw the approval, at once.
                let draft = try await Self.assessment(app, w.snvAssessment)
                let approved = try await w.head.send(.POST, "\(base)/approve", json: ["version": draft.version])
                #expect(approved.status == .ok, "\(approved.body.string)")
                let version = try #require(approved.json["version"] as? Int)
                let entry = try await Self.entryVersion(app, w.snvAssessment, "1.1.2")
                async let submit = Self.parallel(app, token: reporter, count: 1) { _ in
                    (.POST, "\(base)/submit", Self.json(["version": version]), [:])
                }
                async let save = Self.parallel(app, token: reporter, count: 1) { _ in
                    (.PUT, "\(base)/entries/1.1.2", Self.json(["input": ["kind": "yes_no", "value": round % 2 == 0],
                                                                 "explanation": "Vòng \(round)", "version": entry]), [:])
                }
                let (s, e) = try await (submit[0], save[0])
                let a = try await Self.assessment(app, w.snvAssessment)
                // Exactly one of them wins, and the status says which.
                #expect((s.status == .ok) != (e.status == .ok), "round \(round): submit \(s), save \(e)")
                if s.status == .ok {
                    #expect(a.assessmentStatus == .submitted, "round \(round)")
                    #expect(e.code == "assessment.locked" || e.code == "version.stale", "round \(round): \(e)")
                    let reopen = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/reopen",
                                                              json: ["unitCode": "SNV", "until": Fixtures.day(3), "reason": "Vòng thử \(round)"])
                    #expect(reopen.status == .ok, "\(reopen.body.string)")
                } else {
                    #expect(a.assessmentStatus == .draft, "round \(round)")
                    #expect(s.code == "version.stale", "round \(round): \(s)")
                }
            }
        }
    }

    // MARK: Versions required, If-Match, ETag

    @Test(arguments: Engine.available)
    func aWriteWithoutAVersionIsRefusedAndIfMatchIsAccepted(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let token = try #require(w.reporter.token)
            let path = "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2"
            func put(_ body: [String: Any], _ headers: [String: String] = [:]) async throws -> TestingHTTPResponse {
                var h = HTTPHeaders()
                h.bearerAuthorization = BearerAuthorization(token: token)
                h.contentType = .json
                for (k, v) in headers { h.replaceOrAdd(name: k, value: v) }
                return try await app.testing().sendRequest(.PUT, path, headers: h, body: ByteBuffer(data: Self.json(body)))
            }
            let missing = try await put(["input": ["kind": "yes_no", "value": true]])
            #expect(missing.status == .preconditionRequired)
            #expect(missing.problemCode == "version.required")
            #expect((missing.json["detail"] as? String)?.contains("Thiếu phiên bản của tiêu chí 1.1.2") == true, "\(missing.body.string)")
            #expect(try await AssessmentEntryModel.query(on: app.db).count() == 0)

            let quoted = try await put(["input": ["kind": "yes_no", "value": true]], ["If-Match": "\"0\""])
            #expect(quoted.status == .ok, "\(quoted.body.string)")
            #expect(quoted.headers.first(name: .eTag) == "\"1\"")
            let bare = try await put(["input": ["kind": "yes_no", "value": false]], ["If-Match": "1"])
            #expect(bare.status == .ok, "\(bare.body.string)")
            #expect(bare.json["version"] as? Int == 2)
            let stale = try await put(["input": ["kind": "yes_no", "value": true]], ["If-Match": "W/\"1\""])
            #expect(stale.status == .conflict)
            #expect(stale.problemCode == "version.stale")
            #expect(stale.json["detail"] as? String == "Tiêu chí 1.1.2 vừa được baocao.snv sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1). Tải lại trang để xem thay đổi rồi lưu lại; dữ liệu của bạn chưa được ghi.")
            let both = try await put(["input": ["kind": "yes_no", "value": true], "version": 2], ["If-Match": "\"1\""])
            #expect(both.status == .badRequest)
            let junk = try await put(["input": ["kind": "yes_no", "value": true]], ["If-Match": "*"])
            #expect(junk.status == .badRequest)
            #expect(try await Self.entryVersion(app, w.snvAssessment, "1.1.2") == 2)

            // Transitions too: the grid's ETag is the assessment's version.
            let noVersion = try await w.head.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: [:])
            #expect(noVersion.status == .preconditionRequired)
            #expect(noVersion.problemCode == "version.required")
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            #expect(grid.headers.first(name: .eTag) == "\"\(grid.json["version"] as? Int ?? -1)\"")
        }
    }

    // MARK: Appraisals

    @Test(arguments: Engine.available)
    func parallelAppraisalsOfOneLeafAndStageMakeOneWinner(engine: Engine) async throws {
        try await Self.withConcurrentApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            let a = try await Self.assessment(app, w.snvAssessment)
            let approved = try await w.head.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: ["version": a.version])
            let submitted = try await w.reporter.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/submit",
                                                      json: ["version": approved.json["version"] as? Int ?? -1])
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.body.string)")
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .appraisalRound1)
            let apprID = try await Fixtures.user(app, "thamdinh", roles: [(.appraiser, nil)])
            let token = try await Fixtures.token(app, userID: apprID)
            let assign = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers",
                                                      json: ["username": "thamdinh", "nodeCode": "1"])
            #expect(assign.status == .created, "\(assign.body.string)")
            let path = "/api/v1/assessments/\(w.snvAssessment)/appraisals/1.1.2"
            for seen in [0, 1] {
                let results = try await Self.parallel(app, token: token, count: 20) { i in
                    (.PUT, path, Self.json(["stage": "round1", "input": ["kind": "yes_no", "value": false],
                                            "reason": "Lý do \(i)", "version": seen]), [:])
                }
                Self.expectOneWinner(results, losers: ["version.stale"])
            }
            let stored = try await AppraisalModel.query(on: app.db).all()
            #expect(stored.count == 1)
            #expect(stored.first?.version == 2)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "appraisal.round1").count() == 2)
            let none = try await APIClient(app: app, token: token).send(.PUT, path, json: [
                "stage": "round1", "input": ["kind": "yes_no", "value": false], "reason": "x"])
            #expect(none.problemCode == "version.required")
            // The page's one form carries each stage's version and sends the chosen stage's.
            let b = Browser(app)
            _ = try await b.login("thamdinh")
            let page = try await b.get("/campaigns/\(w.campaignID)/appraisal?unit=SNV")
            #expect(page.body.string.contains("name=\"version.round1\" value=\"2\""))
            let form = ["stage": "round1", "value": "no", "reason": "Trên trang", "version.round1": "1", "version.round2": "0"]
            let stale = try await b.post("/assessments/\(w.snvAssessment)/appraisals/1.1.2", form: form)
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("vừa được thamdinh sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1)"))
            var fresh = form
            fresh["version.round1"] = "2"
            #expect(try await b.post("/assessments/\(w.snvAssessment)/appraisals/1.1.2", form: fresh).status == .seeOther)
            #expect(try await AppraisalModel.query(on: app.db).first()?.version == 3)
        }
    }

    // MARK: Ballots and batches

    @Test(arguments: Engine.available)
    func parallelClosesAndCorrectionsOfABatchMakeOneWinner(engine: Engine) async throws {
        try await Self.withConcurrentApp(engine) { app in
            let w = try await SurveyTests.world(app)
            let batchID = try await SurveyTests.batch(w, form: "sipas-2022", declared: 2)
            let answers = Dictionary(uniqueKeysWithValues: SurveyTests.sipasQuestions.map { ($0, "4") })
            for n in ["S-1", "S-2"] {
                let keyed = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                    "ballotNumber": n, "group": "nguoi_dan", "ratings": [["unit": "SNV", "answers": answers]]])
                #expect(keyed.status == .created, "\(keyed.body.string)")
            }
            let batch = try await w.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batchID)")
            let version = try #require(batch.json["version"] as? Int)
            #expect(version == 2, "each keyed ballot bumps the batch")
            #expect(batch.headers.first(name: .eTag) == "\"2\"")
            // A close prepared before the last ballot was keyed is stale.
            let early = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/close", json: ["version": 1])
            #expect(early.problemCode == "version.stale", "\(early.body.string)")
            let noVersion = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/close", json: [:])
            #expect(noVersion.problemCode == "version.required")

            let op = try #require(w.operatorClient.token)
            let closes = try await Self.parallel(app, token: op, count: 10) { _ in
                (.POST, "/api/v1/surveys/batches/\(batchID)/close", Data("{}".utf8), ["If-Match": "\"\(version)\""])
            }
            // A loser that starts after the winner committed reads a closed batch ("đã khóa", 409
            // `conflict`); one that raced it finds the version moved (409 `version.stale`).
            Self.expectOneWinner(closes, losers: ["version.stale", "conflict"])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "survey.batch.close").count() == 1)

            let ballots = try await w.coordinator.send(.GET, "/api/v1/surveys/batches/\(batchID)/ballots")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(ballots.body.string.utf8)) as? [[String: Any]])
            let ballot = try #require(list.first)
            let id = ballot["id"] as! String, ballotVersion = ballot["version"] as! Int
            let coord = try #require(w.coordinator.token)
            let corrections = try await Self.parallel(app, token: coord, count: 10) { i in
                let a = Dictionary(uniqueKeysWithValues: SurveyTests.sipasQuestions.map { ($0, i % 2 == 0 ? "5" : "3") })
                return (.PUT, "/api/v1/surveys/ballots/\(id)", Self.json(["answers": a, "reason": "Nhập sai \(i)", "version": ballotVersion]), [:])
            }
            Self.expectOneWinner(corrections, losers: ["version.stale"])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "survey.ballot.correct").count() == 1)
        }
    }

    // MARK: Publication

    @Test(arguments: Engine.available)
    func writesAfterPublicationAreRefusedWithAClearMessage(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SurveyTests.world(app)
            let base = w.base
            let saved = try await base.reporter.send(.PUT, "/api/v1/assessments/\(base.snvAssessment)/entries/1.1.2",
                                                     json: ["input": ["kind": "yes_no", "value": true], "version": 0])
            #expect(saved.status == .ok, "\(saved.body.string)")
            let batchID = try await SurveyTests.batch(w, form: "sipas-2022", declared: 1)
            let snapshot = ResultSnapshotModel()
            snapshot.$campaign.id = UUID(uuidString: base.campaignID)!
            snapshot.version = 1
            snapshot.resultsJSON = "{}"
            snapshot.reason = ""
            snapshot.publishedBy = "hoidong"
            snapshot.publishedAt = Date()
            try await snapshot.create(on: app.db)

            let entry = try await base.reporter.send(.PUT, "/api/v1/assessments/\(base.snvAssessment)/entries/1.1.2",
                                                     json: ["input": ["kind": "yes_no", "value": false], "version": 1])
            #expect(entry.status == .conflict)
            #expect(entry.problemCode == "campaign.published")
            #expect((entry.json["detail"] as? String)?.contains("không sửa được bản tự đánh giá nữa") == true, "\(entry.body.string)")
            #expect(try await Self.entryVersion(app, base.snvAssessment, "1.1.2") == 1)
            let a = try await Self.assessment(app, base.snvAssessment)
            let approve = try await base.head.send(.POST, "/api/v1/assessments/\(base.snvAssessment)/approve", json: ["version": a.version])
            #expect(approve.problemCode == "campaign.published")
            let answers = Dictionary(uniqueKeysWithValues: SurveyTests.sipasQuestions.map { ($0, "4") })
            let ballot = try await w.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batchID)/ballots", json: [
                "ballotNumber": "S-1", "group": "nguoi_dan", "ratings": [["unit": "SNV", "answers": answers]]])
            #expect(ballot.problemCode == "campaign.published", "\(ballot.body.string)")
            let newBatch = try await w.operatorClient.send(.POST, "/api/v1/campaigns/\(base.campaignID)/surveys/batches", json: [
                "formId": "sipas-2022", "receivedFrom": "Bưu điện tỉnh", "receivedBy": "Nguyễn Văn An", "receivedOn": "15/01/2023",
                "declaredCount": 1, "sealed": true])
            #expect(newBatch.problemCode == "campaign.published")
            let group = try await base.coordinator.send(.PUT, "/api/v1/campaigns/\(base.campaignID)/surveys/groups/moi",
                                                        json: ["name": "Nhóm mới", "formId": "sipas-2022", "plannedBallots": 1, "quotaPerUnit": 1])
            #expect(group.problemCode == "campaign.published")
            // The page re-renders the form with the message instead of an error page.
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let grid = try await b.get("/assessments/\(base.snvAssessment)")
            #expect(grid.body.string.contains("Kết quả của đợt đánh giá đã được công bố"))
            #expect(!grid.body.string.contains("class=\"entry\""), "a published campaign offers no entry form")
            let page = try await b.post("/assessments/\(base.snvAssessment)/entries/1.1.2", form: ["value": "no", "version": "1"])
            #expect(page.status == .conflict)
            #expect(page.body.string.contains("Kết quả của đợt đánh giá đã được công bố"))
        }
    }
}
