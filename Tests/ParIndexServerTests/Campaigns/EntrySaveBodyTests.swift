import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #20, finding 7: a save with only a note cleared the score and withdrew the head's
/// approval; a body that could not be read was taken as "no body".
@Suite struct EntrySaveBodyTests {
    static func entry(_ app: Application, _ assessment: String, _ code: String) async throws -> AssessmentEntryModel? {
        try await AssessmentEntryModel.query(on: app.db).filter(\.$assessment.$id == UUID(uuidString: assessment)!)
            .filter(\.$leafCode == code).first()
    }

    static func status(_ app: Application, _ assessment: String) async throws -> String? {
        try await AssessmentModel.find(UUID(uuidString: assessment), on: app.db)?.status
    }

    @Test(arguments: Engine.available)
    func aNoteOnlySaveKeepsTheScoreAndTheApproval(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            let approved = try await SelfAssessmentTests.approve(w)
            #expect(approved.json["status"] as? String == "head_approved", "\(approved.body.string)")
            let before = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(before.input == .yesNo(true) && before.points > 0)

            let path = "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2"
            let noted = try await w.reporter.send(.PUT, path, json: ["note": "Nhớ bổ sung biên bản họp", "version": before.version])
            #expect(noted.status == .ok, "\(noted.body.string)")
            #expect(noted.json["points"] as? Double == before.points)
            #expect(noted.json["note"] as? String == "Nhớ bổ sung biên bản họp")
            let after = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(after.input == .yesNo(true) && after.points == before.points)
            #expect(try await Self.status(app, w.snvAssessment) == "head_approved")

            // Empty form fields are "nothing typed", not "clear".
            let blank = try await w.reporter.send(.PUT, path, json: ["fields": ["value": ""], "note": "Đã bổ sung", "version": before.version + 1])
            #expect(blank.status == .ok, "\(blank.body.string)")
            #expect(try await Self.entry(app, w.snvAssessment, "1.1.2")?.input == .yesNo(true))
            #expect(try await Self.status(app, w.snvAssessment) == "head_approved")

            // A changed explanation is part of what the head approved: the approval goes.
            _ = try await w.reporter.send(.PUT, path, json: ["explanation": "Văn bản số 54/KH-SNV", "version": before.version + 2])
            #expect(try await Self.status(app, w.snvAssessment) == "draft")
        }
    }

    @Test(arguments: Engine.available)
    func onlyAnExplicitClearEmptiesTheCriterion(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            try await SelfAssessmentTests.approve(w)
            let cleared = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2", json: ["clear": true, "version": 1])
            #expect(cleared.status == .ok, "\(cleared.body.string)")
            #expect(cleared.json["points"] as? Double == 0)
            let e = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(e.input == nil)
            #expect(try await Self.status(app, w.snvAssessment) == "draft", "clearing a score withdraws the approval")
        }
    }

    @Test(arguments: Engine.available)
    func aBodyThatCannotBeReadIsA400AndChangesNothing(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            try await SelfAssessmentTests.approve(w)
            let before = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            let path = "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2"
            let cases: [(String, HTTPMediaType)] = [
                ("{\"note\": \"x\"", .json),                     // broken JSON
                ("{\"note\": \"x\"}", .urlEncodedForm),          // a JSON body sent as a form
                ("{\"version\": \"một\"}", .json),              // wrong type
                ("{}", .json),                                   // nothing to save
                ("note=x", .plainText),                          // a type the API does not read
            ]
            for (raw, type) in cases {
                let r = try await w.reporter.send(.PUT, path, raw: raw, contentType: type)
                #expect(r.status == .badRequest, "\(raw) as \(type): \(r.status.code) \(r.body.string)")
                #expect(r.problemCode == "request.body_invalid", "\(raw)")
                #expect((r.json["detail"] as? String)?.contains("Nội dung") == true || (r.json["detail"] as? String)?.contains("Yêu cầu") == true,
                        "Vietnamese detail: \(r.body.string)")
            }
            let wrongType = try await w.reporter.send(.PUT, path, raw: "{\"version\": \"một\"}")
            #expect((wrongType.json["detail"] as? String)?.contains("“version”") == true, "\(wrongType.body.string)")
            let after = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(after.input == before.input && after.version == before.version && after.note == before.note)
            #expect(try await Self.status(app, w.snvAssessment) == "head_approved")

            // The same rule on the transitions, publication, notifications and batch closing.
            let garbage = "{\"version\": 1"
            for p in ["/api/v1/assessments/\(w.snvAssessment)/submit", "/api/v1/assessments/\(w.snvAssessment)/approve",
                      "/api/v1/notifications/read"] {
                let client = p.hasSuffix("approve") ? w.head : w.reporter
                let r = try await client.send(.POST, p, raw: garbage)
                #expect(r.status == .badRequest && r.problemCode == "request.body_invalid", "\(p): \(r.body.string)")
            }
            #expect(try await Self.status(app, w.snvAssessment) == "head_approved", "a garbage submit is not a submit")
            let publish = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/publish", raw: garbage)
            #expect(publish.status == .badRequest && publish.problemCode == "request.body_invalid")
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0)
            // No body at all still means "no options"; the version then comes in If-Match (issue #19).
            var h = HTTPHeaders()
            h.bearerAuthorization = BearerAuthorization(token: try #require(w.reporter.token))
            h.replaceOrAdd(name: .ifMatch, value: "\"\(try await SelfAssessmentTests.version(w))\"")
            let submitted = try await app.testing().sendRequest(.POST, "/api/v1/assessments/\(w.snvAssessment)/submit", headers: h)
            #expect(submitted.status == .ok, "\(submitted.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func theWebFormClearsOnlyWithTheClearButton(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(page.status == .ok)
            let path = "/assessments/\(w.snvAssessment)/entries/1.1.2"
            #expect(try await b.post(path, form: ["value": "yes", "version": "0"]).status == .seeOther)
            #expect(try await b.get("/assessments/\(w.snvAssessment)").body.string.contains("name=\"clear\" value=\"1\""))
            let noted = try await b.post(path, form: ["value": "", "note": "Ghi chú nội bộ", "version": "1"])
            #expect(noted.status == .seeOther, "\(noted.body.string)")
            var e = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(e.input == .yesNo(true) && e.note == "Ghi chú nội bộ")
            // A JSON body sent to the form route is refused, not read as an empty form.
            _ = try await b.get("/assessments/\(w.snvAssessment)")
            var h = HTTPHeaders()
            h.add(name: .cookie, value: b.cookie ?? "")
            h.contentType = .urlEncodedForm
            h.add(name: "X-CSRF-Token", value: b.csrf ?? "")
            let json = try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: "{\"_csrf\":\"\(b.csrf ?? "")\"}"))
            #expect(json.status == .badRequest, "\(json.status.code) \(json.body.string)")
            e = try #require(try await Self.entry(app, w.snvAssessment, "1.1.2"))
            #expect(e.input == .yesNo(true))
            _ = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(try await b.post(path, form: ["value": "", "clear": "1", "version": "2"]).status == .seeOther)
            #expect(try await Self.entry(app, w.snvAssessment, "1.1.2")?.input == nil)
        }
    }
}
