import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #12 item 5: the appraisal form takes every method the self-assessment takes, and a
/// value pre-filled from the claim goes back unchanged without asking for a reason.
@Suite struct AppraisalInputControlsTests {
    @Test(arguments: Engine.available)
    func theAppraiserKeepsAThreeDecimalClaimAndScoresAFormulaCriterion(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            try await SelfAssessmentTests.fillEverything(w)
            // A claim with three decimals: 50,941 of 100 tasks of the plan done.
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            let row = try #require(((grid.json["rows"] as? [[String: Any]]) ?? []).first { $0["code"] as? String == "1.1.3" })
            #expect(row["methodKind"] as? String == "ratio_bands" || row["methodKind"] as? String == "ratio")
            let claim = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.3", json: [
                "input": ["kind": "ratio", "numerator": 50.941, "denominator": 100], "explanation": "Báo cáo", "version": row["version"] as? Int ?? 0])
            #expect(claim.status == .ok, "\(claim.body.string.prefix(300))")
            try await SelfAssessmentTests.approve(w)
            _ = try await SelfAssessmentTests.submit(w)
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .appraisalRound1)
            _ = try await Fixtures.user(app, "thamdinh", roles: [(.appraiser, nil)])
            let assign = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers", json: ["username": "thamdinh", "nodeCode": "1"])
            #expect(assign.status == .created, "\(assign.body.string)")

            let browser = Browser(app)
            _ = try await browser.login("thamdinh")
            let page = try await browser.get("/campaigns/\(w.campaignID)/appraisal?unit=SNV").body.string
            #expect(page.contains("name=\"numerator\" value=\"50,941\""), "the claim is pre-filled with every digit")
            #expect(page.contains("name=\"v.giao\"") && page.contains("Số nhiệm vụ được giao"), "the formula's inputs are in the form")
            // The pre-filled claim goes back unchanged: no reason is asked for.
            let kept = try await browser.post("/assessments/\(w.snvAssessment)/appraisals/1.1.3", form: [
                "stage": "round1", "version.round1": "0", "numerator": "50,941", "denominator": "100", "reason": ""])
            #expect(kept.status == .seeOther, "\(kept.body.string.prefix(300))")
            // The formula criterion appraised by its inputs, with a reason: 4 tasks, all on time.
            let formula = try await browser.post("/assessments/\(w.snvAssessment)/appraisals/1.6", form: [
                "stage": "round1", "version.round1": "0", "v.giao": "4", "v.dung_han": "4", "v.qua_han": "0", "reason": "Theo hệ thống theo dõi nhiệm vụ"])
            #expect(formula.status == .seeOther, "\(formula.body.string.prefix(300))")
            let stage = try #require(try await AppraisalModel.query(on: app.db).filter(\.$leafCode == "1.6").first())
            #expect(stage.input == .values(["giao": 4, "dung_han": 4, "qua_han": 0]) && stage.points == 2.5)

            // Issue #12 item 3: the score sheet explains each number — the rule, the claim as typed,
            // every appraisal step with its reason, the unrounded value — and the headline figures.
            let sheet = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)/units/SNV/score-sheet")
            #expect(sheet.status == .ok, "\(sheet.body.string.prefix(300))")
            let rows = (sheet.json["rows"] as? [[String: Any]]) ?? []
            let formulaRow = try #require(rows.first { $0["code"] as? String == "1.6" })
            #expect((formulaRow["rule"] as? String)?.isEmpty == false)
            #expect((formulaRow["claim"] as? String)?.contains("5") == true, "\(formulaRow["claim"] ?? "")")
            let trail = formulaRow["trail"] as? [String] ?? []
            #expect(trail.count == 1 && trail[0].hasPrefix("Thẩm định vòng 1: ") && trail[0].hasSuffix("→ 2,5 điểm — Theo hệ thống theo dõi nhiệm vụ"), "\(trail)")
            let ratioRow = try #require(rows.first { $0["code"] as? String == "1.1.3" })
            #expect((ratioRow["claim"] as? String)?.contains("50,941") == true, "\(ratioRow["claim"] ?? "")")
            let why = sheet.json["why"] as? [String] ?? []
            #expect(why.first?.hasPrefix("Chỉ số ") == true && why.contains { $0.hasPrefix("Người đứng đầu: ") }, "\(why)")
            let coordinatorPages = Browser(app)
            _ = try await coordinatorPages.login("dieuphoi")
            let sheetPage = try await coordinatorPages.get("/campaigns/\(w.campaignID)/units/SNV").body.string
            #expect(sheetPage.contains("Vì sao: chỉ số, hạng, nhóm, xếp loại, kiểm điểm"))
            #expect(sheetPage.contains("Chưa làm tròn: ") && sheetPage.contains("Thẩm định vòng 1: "))
        }
    }
}
