import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Official survey results as an input (issue #12 item 2): the figures a ministry publishes go
/// straight into the campaign's survey criteria, with their document, instead of fabricated ballots.
@Suite struct OfficialSurveyResultsTests {
    static let csv = """
    Mã đơn vị,Tiêu chí,Điểm,Chỉ số,Số văn bản,Ngày văn bản
    SNV,8.1,"16,2",,123/BNV-CCHC,15/03/2023
    SNV,8.2,,"82,4",123/BNV-CCHC,15/03/2023
    SYT,8.1,"15,75",,123/BNV-CCHC,15/03/2023
    """

    @Test(arguments: Engine.available)
    func theMinistrysFiguresScoreTheSurveyCriteriaWithTheirDocument(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PublicationTests.world(app)
            let path = "/api/v1/campaigns/\(w.id)/surveys/official"
            let coordinator = w.base.coordinator
            // Every bad row with its line; nothing stored.
            let bad = try await coordinator.send(.POST, path, bytes: Data("""
            ma don vi,tieu chi,diem,so van ban,ngay van ban
            SNV,1.1.1,1,1/BNV,15/03/2023
            SNV,8.2,12,1/BNV,15/03/2023
            KHAC,8.1,1,1/BNV,15/03/2023
            """.utf8))
            #expect(bad.status == .unprocessableEntity)
            let rows = ((bad.json["rows"] as? [[String: Any]]) ?? []).map { "\($0["row"] ?? "") \($0["messageVI"] ?? "")" }
            #expect(rows == ["2 Tiêu chí 1.1.1 không phải tiêu chí điều tra xã hội học: điểm của nó do đơn vị tự chấm và được thẩm định.",
                             "3 Số điểm 12 vượt điểm tối đa 10 của tiêu chí 8.2.",
                             "4 Đơn vị “KHAC” không thuộc đợt đánh giá."], "\(bad.body.string.prefix(500))")
            let dry = try await coordinator.send(.POST, path + "?dryRun=true", bytes: Data(Self.csv.utf8))
            #expect(dry.status == .ok, "\(dry.body.string.prefix(300))")
            #expect(dry.json["rows"] as? Int == 3 && dry.json["criteria"] as? [String] == ["8.1", "8.2"])
            #expect(try await OfficialSurveyResultModel.query(on: app.db).count() == 0)
            // Only who manages the campaign's surveys imports them.
            let reporter = try await w.base.reporter.send(.POST, path, bytes: Data(Self.csv.utf8))
            #expect(reporter.status == .forbidden)

            let done = try await coordinator.send(.POST, path, bytes: Data(Self.csv.utf8))
            #expect(done.status == .ok, "\(done.body.string.prefix(300))")
            let listed = try await coordinator.send(.GET, path)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.string.utf8)) as? [[String: Any]])
            #expect(list.count == 3)
            #expect(list.contains { $0["unitCode"] as? String == "SNV" && $0["leafCode"] as? String == "8.2" && $0["points"] as? Double == 8.24 })

            // A second file for 8.2 replaces 8.2's figures, and leaves 8.1's.
            let again = try await coordinator.send(.POST, path, bytes: Data("ma don vi,tieu chi,diem,so van ban,ngay van ban\nSYT,8.2,9,130/BNV-CCHC,20/03/2023\n".utf8))
            #expect(again.status == .ok)
            let after = try await OfficialSurveyResultModel.query(on: app.db).all()
            #expect(after.count == 3 && after.filter { $0.leafCode == "8.2" }.map(\.documentNumber) == ["130/BNV-CCHC"])
            _ = try await coordinator.send(.POST, path, bytes: Data(Self.csv.utf8))

            // The results take them: SNV's field 8 is 16,2 + 8,24 points, and its score sheet names the document.
            let c = try #require(try await CampaignModel.query(on: app.db).filter(\.$id == UUID(uuidString: w.id)!).with(\.$framework).first())
            let live = try await ResultsService(context: .system(app)).compute(c)
            let snv = try #require(live.units.first { $0.unitCode == "SNV" })
            let field8 = try #require(live.fields.firstIndex { $0.code == "8" })
            #expect(abs((snv.fieldPercents[field8] ?? 0) - (16.2 + 8.24) / 28.5 * 100) < 1e-9)
            let sheet = try #require(live.sheets?.first { $0.unitId == snv.unitId })
            #expect(sheet.rows.first { $0.code == "8.2" }?.explanation == "Điểm theo kết quả điều tra xã hội học chính thức (văn bản số 123/BNV-CCHC ngày 15/03/2023).")
            // The public score sheet page shows it.
            try await PublicationFixtures.publishNow(app, w.id)
            let publicSheet = try await app.testing().sendRequest(.GET, "/public/campaigns/\(w.id)/units/SNV")
            #expect(publicSheet.body.string.contains("Điểm theo kết quả điều tra xã hội học chính thức (văn bản số 123/BNV-CCHC ngày 15/03/2023)."))
            #expect(abs((sheet.rows.first { $0.code == "8.2" }?.points ?? 0) - 8.24) < 1e-9)

            // The import is audited; publication froze the figures.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "survey.official_results.import").count() == 3)
            let frozen = try await coordinator.send(.POST, path, bytes: Data(Self.csv.utf8))
            #expect(frozen.status == .conflict, "\(frozen.body.string.prefix(300))")
        }
    }

    @Test(arguments: Engine.available)
    func thePageListsAndImportsThem(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PublicationTests.world(app)
            let browser = Browser(app)
            _ = try await browser.login("dieuphoi")
            let page = try await browser.get("/campaigns/\(w.id)/surveys")
            #expect(page.body.string.contains("Kết quả điều tra chính thức (không qua phiếu)"))
            let imported = try await browser.upload("/campaigns/\(w.id)/surveys/official", file: Data(Self.csv.utf8), filename: "ket-qua.csv")
            #expect(imported.status == .seeOther, "\(imported.body.string.prefix(300))")
            let after = try await browser.get("/campaigns/\(w.id)/surveys")
            #expect(after.body.string.contains("Đã nhập 3 kết quả của 2 đơn vị (tiêu chí 8.1, 8.2)."))
            #expect(after.body.string.contains("Văn bản số 123/BNV-CCHC ngày 15/03/2023"))
            let bad = try await browser.upload("/campaigns/\(w.id)/surveys/official", file: Data("ma don vi,tieu chi,diem,so van ban,ngay van ban\nSNV,8.1,-1,1/BNV,15/03/2023\n".utf8),
                                               filename: "sai.csv")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Số điểm không được âm"))
        }
    }
}
