import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// README: round-1 comments reach the unit, "which may explain once in the explanation window"
/// (issue #20, finding 11).
@Suite struct ExplanationOnceTests {
    @Test(arguments: Engine.available)
    func aSecondExplanationOfTheSameCriterionIsRefused(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            try await SelfAssessmentTests.approve(w)
            #expect(try await SelfAssessmentTests.submit(w).status == .ok)
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .appraisalRound1)
            let apprID = try await Fixtures.user(app, "thamdinh", roles: [(.appraiser, nil)])
            let appraiser = APIClient(app: app, token: try await Fixtures.token(app, userID: apprID))
            _ = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers", json: ["username": "thamdinh", "nodeCode": "1"])
            let lower: [(String, [String: Any])] = [("1.1.2", ["kind": "yes_no", "value": false]), ("1.1.1", ["kind": "level", "level": "cham"])]
            for (code, input) in lower {
                let r1 = try await appraiser.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/appraisals/\(code)",
                                                  json: ["stage": "round1", "input": input, "reason": "Chưa đạt", "version": 0])
                #expect(r1.status == .ok, "\(code): \(r1.body.string)")
            }
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .explanation)
            let path = "/api/v1/assessments/\(w.snvAssessment)/explanations/1.1.2"
            let first = try await w.reporter.send(.PUT, path, json: ["text": "Kế hoạch đã giao rõ người, rõ việc"])
            #expect(first.status == .ok, "\(first.body.string)")
            let second = try await w.reporter.send(.PUT, path, json: ["text": "Bổ sung thêm ý"])
            #expect(second.status == .conflict, "\(second.body.string)")
            #expect(second.problemCode == "appraisal.already_explained")
            #expect((second.json["detail"] as? String)?.contains("chỉ được giải trình một lần") == true)
            let stored = try await ExplanationModel.query(on: app.db).filter(\.$leafCode == "1.1.2").all()
            #expect(stored.map(\.text) == ["Kế hoạch đã giao rõ người, rõ việc"])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "appraisal.explanation").count() == 1)

            // Another criterion may still be explained, once; the page stops offering the form.
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(page.body.string.contains("/explanations/1.1.1"))
            #expect(!page.body.string.contains("/explanations/1.1.2"))
            #expect(try await b.post("/assessments/\(w.snvAssessment)/explanations/1.1.1", form: ["text": "Đã có quyết định"]).status == .seeOther)
            _ = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(try await b.post("/assessments/\(w.snvAssessment)/explanations/1.1.1", form: ["text": "Lần hai"]).status == .seeOther)
            let again = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(again.body.string.contains("chỉ được giải trình một lần"))
            #expect(try await ExplanationModel.query(on: app.db).filter(\.$leafCode == "1.1.1").all().map(\.text) == ["Đã có quyết định"])
        }
    }
}
