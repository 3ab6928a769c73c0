import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #19, item 8: one helper for web-form errors that keeps the typed values. A refused
/// form comes back with the error beside its field and everything the person typed still in
/// it (never a password), on the form that was posted.
@Suite struct TypedValuesTests {
    @Test(arguments: Engine.available)
    func aRefusedCampaignKeepsWhatWasTyped(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await SelfAssessmentTests.world(app)
            let b = Browser(app)
            _ = try await b.login("dieuphoi")
            _ = try await b.get("/campaigns")
            let res = try await b.post("/campaigns", form: [
                "name": "Chỉ số CCHC năm 2024 — nháp", "year": "hai nghìn", "ownerUnitCode": "HD",
                "unitCodes": "SNV, SYT", "self_assessment.from": "01/12/2024", "self_assessment.to": "31/12/2024",
                "unsubmittedPolicy": "zero",
            ])
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("value=\"Chỉ số CCHC năm 2024 — nháp\""))
            #expect(html.contains("value=\"hai nghìn\""))
            #expect(html.contains("value=\"SNV, SYT\""))
            #expect(html.contains("name=\"self_assessment.from\" value=\"01/12/2024\""))
            #expect(html.contains("<option value=\"zero\" selected>"))
            #expect(try await CampaignModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: Engine.available)
    func aRefusedCriterionShowsWhatWasTypedNotWhatIsSaved(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            _ = try await b.get("/assessments/\(w.snvAssessment)")
            let saved = try await b.post("/assessments/\(w.snvAssessment)/entries/1.3.2",
                                         form: ["numerator": "3", "denominator": "4", "version": "0"])
            #expect(saved.status == .seeOther)
            _ = try await b.get("/assessments/\(w.snvAssessment)")
            let refused = try await b.post("/assessments/\(w.snvAssessment)/entries/1.3.2",
                                           form: ["numerator": "12,5", "denominator": "mười", "explanation": "Đang tổng hợp", "version": "1"])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("<input name=\"numerator\" value=\"12,5\""))
            #expect(html.contains("<input name=\"denominator\" value=\"mười\""))
            #expect(html.contains(">Đang tổng hợp</textarea>"))
            // The saved entry is unchanged, and the form still carries the saved version.
            let entry = try #require(try await AssessmentEntryModel.query(on: app.db).filter(\.$leafCode == "1.3.2").first())
            #expect(entry.version == 1)
            #expect(html.contains("name=\"version\" value=\"1\""))
        }
    }

    @Test func passwordsAndTheCSRFTokenAreNeverEchoed() {
        let e = FormErrors(AppError.validation([.init(field: "password", message: "Mật khẩu quá ngắn.")]),
                           typed: ["username": "nguyen.van.a", "password": "bí mật", "newPassword": "x", "_csrf": "t", "_form": "user"])
        #expect(e.values == ["username": "nguyen.van.a", "_form": "user"])
        #expect(e.form == "user")
        #expect(e.fields["password"] == "Mật khẩu quá ngắn.")
    }
}
