import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// The self-assessment part of the index cycle (issue 5) through the API and the pages.
@Suite struct SelfAssessmentTests {
    struct World {
        var app: Application
        var province: Fixtures.Province
        var coordinator: APIClient
        var reporter: APIClient
        var head: APIClient
        var campaignID: String
        var snvAssessment: String
        var sytAssessment: String
    }

    static let frameworkYAML: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try! String(contentsOf: root.appendingPathComponent("Frameworks/hai-duong-department-2022.yaml"), encoding: .utf8)
    }()

    /// A published framework, a campaign over SNV and SYT whose self-assessment window is
    /// `window` (days relative to today), and one account per role.
    static func world(_ app: Application, window: (Int, Int) = (-1, 1)) async throws -> World {
        let p = try await Fixtures.province(app)
        let fw = try await Fixtures.publishedFramework(app, yaml: frameworkYAML)
        let coordID = try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
        let repID = try await Fixtures.user(app, "baocao.snv", roles: [(.unitReporter, p.snv)])
        let headID = try await Fixtures.user(app, "thutruong.snv", roles: [(.unitHead, p.snv)])
        let coordinator = APIClient(app: app, token: try await Fixtures.token(app, userID: coordID))
        let res = try await coordinator.send(.POST, "/api/v1/campaigns", json: [
            "name": "Chỉ số CCHC năm 2022", "year": 2022, "frameworkId": fw.uuidString, "unitCodes": ["SNV", "SYT"],
            "windows": ["self_assessment": ["from": Fixtures.day(window.0), "to": Fixtures.day(window.1)]],
        ])
        #expect(res.status == .created, "\(res.body.string)")
        let assessments = try #require(res.json["assessments"] as? [[String: Any]])
        func id(_ code: String) -> String { assessments.first { $0["unitCode"] as? String == code }?["id"] as? String ?? "" }
        return World(app: app, province: p, coordinator: coordinator,
                     reporter: APIClient(app: app, token: try await Fixtures.token(app, userID: repID)),
                     head: APIClient(app: app, token: try await Fixtures.token(app, userID: headID)),
                     campaignID: res.json["id"] as? String ?? "", snvAssessment: id("SNV"), sytAssessment: id("SYT"))
    }

    /// The assessment's current version (issue #19: approve and submit must name it).
    static func version(_ w: World, _ assessment: String? = nil) async throws -> Int {
        let id = try #require(UUID(uuidString: assessment ?? w.snvAssessment))
        return try #require(try await AssessmentModel.find(id, on: w.app.db)).version
    }

    /// The head approves SNV's assessment at its current version.
    @discardableResult
    static func approve(_ w: World) async throws -> TestingHTTPResponse {
        try await w.head.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: ["version": try await version(w)])
    }

    /// The reporter submits SNV's assessment at its current version.
    @discardableResult
    static func submit(_ w: World) async throws -> TestingHTTPResponse {
        try await w.reporter.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/submit", json: ["version": try await version(w)])
    }

    /// A valid input for every self-scored leaf of the grid.
    static func fillEverything(_ w: World) async throws {
        let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
        for row in (grid.json["rows"] as? [[String: Any]]) ?? [] where row["selfScored"] as? Bool == true {
            let code = row["code"] as! String
            var input: [String: Any]
            switch row["methodKind"] as? String {
            case "yes_no": input = ["kind": "yes_no", "value": true]
            case "levels": input = ["kind": "level", "level": ((row["levels"] as! [[String: Any]]).first!["id"] as! String)]
            case "ratio", "ratio_bands": input = ["kind": "ratio", "numerator": 9, "denominator": 10]
            case "normalized_ratio": input = ["kind": "value", "value": 3]
            case "occurrences": input = ["kind": "count", "count": 1]
            case "manual": input = ["kind": "points", "points": 0]
            case "formula":
                let names = ((row["formulaInputs"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                input = ["kind": "values", "values": Dictionary(uniqueKeysWithValues: names.map { ($0, 5.0) })]
            default: continue
            }
            let r = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/\(code)",
                                              json: ["input": input, "explanation": "Có văn bản", "version": row["version"] as? Int ?? 0])
            #expect(r.status == .ok, "\(code): \(r.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func reportersScoreTheirOwnUnitInVietnameseNotationWithLiveOptimisticLocking(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            #expect(grid.status == .ok)
            let rows = try #require(grid.json["rows"] as? [[String: Any]])
            let ratio = try #require(rows.first { $0["methodKind"] as? String == "ratio" && $0["selfScored"] as? Bool == true })
            let code = ratio["code"] as! String
            let max = ratio["maxPoints"] as! Double
            let saved = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/\(code)",
                                                  json: ["fields": ["numerator": "1.238", "denominator": "2.476"], "version": 0])
            #expect(saved.status == .ok, "\(saved.body.string)")
            #expect(abs((saved.json["points"] as? Double ?? -1) - max / 2) < 1e-9)
            #expect(saved.json["version"] as? Int == 1)
            let stale = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/\(code)",
                                                  json: ["fields": ["numerator": "1", "denominator": "2"], "version": 0])
            #expect(stale.status == .conflict)
            #expect(stale.problemCode == "version.stale")
            #expect(stale.json["detail"] as? String ?? "" == "Tiêu chí \(code) vừa được baocao.snv sửa (phiên bản hiện tại 1, bạn đang sửa phiên bản 0). Tải lại trang để xem thay đổi rồi lưu lại; dữ liệu của bạn chưa được ghi.")
            let bad = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/\(code)",
                                                json: ["fields": ["numerator": "mười", "denominator": "2"], "version": 1])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("không phải là số"))
            let other = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.sytAssessment)/entries/\(code)",
                                                  json: ["fields": ["numerator": "1", "denominator": "2"], "version": 0])
            #expect(other.status == .forbidden)
            #expect(try await w.reporter.send(.GET, "/api/v1/assessments/\(w.sytAssessment)").status == .forbidden)
            let campaign = try await w.reporter.send(.GET, "/api/v1/campaigns/\(w.campaignID)")
            #expect(((campaign.json["assessments"] as? [[String: Any]]) ?? []).compactMap { $0["unitCode"] as? String } == ["SNV"])
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "assessment.entry.save").count()
            #expect(audit == 1)
        }
    }

    @Test(arguments: Engine.available)
    func evidenceIsCheckedByContentStoredOnceAndDownloadableOnlyByTheUnit(engine: Engine) async throws {
        try await withTestApp(engine, settings: .testing { $0.dataDirectory = Fixtures.tempDirectory() }) { app in
            let w = try await Self.world(app)
            let pdf = Data("%PDF-1.4\n% Kế hoạch CCHC năm 2022\n%%EOF\n".utf8)
            let path = "/api/v1/assessments/\(w.snvAssessment)/evidence"
            let fields = ["documentNumber": "54/KH-UBND", "documentDate": "28/04/2022", "issuer": "Sở Nội vụ",
                          "title": "Kế hoạch CCHC năm 2022", "leafCodes": "1.1.1, 1.1.2"]
            let up = try await w.reporter.upload(path, file: pdf, filename: "../../Kế hoạch.pdf", fields: fields)
            #expect(up.status == .created, "\(up.body.string)")
            #expect(up.json["filename"] as? String == "Kế hoạch.pdf")
            #expect(up.json["leafCodes"] as? [String] == ["1.1.1", "1.1.2"])
            let again = try await w.reporter.upload(path, file: pdf, filename: "copy.pdf", fields: fields)
            #expect(again.status == .created)
            #expect(try await EvidenceFileModel.query(on: app.db).count() == 1)
            let exe = try await w.reporter.upload(path, file: Data("MZ\u{90}\u{0}".utf8), filename: "kehoach.pdf", fields: fields)
            #expect(exe.status == .unprocessableEntity)
            #expect(exe.body.string.contains("kiểm tra theo nội dung tệp"))
            var badFields = fields
            badFields["documentNumber"] = "KH 54"
            badFields["documentDate"] = "31/02/2022"
            badFields["leafCodes"] = "9.9.9"
            let bad = try await w.reporter.upload(path, file: pdf, filename: "a.pdf", fields: badFields)
            let problems = Set(((bad.json["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] })
            #expect(problems == ["documentNumber", "documentDate", "leafCodes"])
            #expect(try await EvidenceDocumentModel.query(on: app.db).count() == 2)
            let docID = try #require(up.json["id"] as? String)
            let dl = try await w.reporter.send(.GET, "/api/v1/evidence/\(docID)/download")
            #expect(dl.status == .ok)
            #expect(dl.body.string == String(decoding: pdf, as: UTF8.self))
            #expect(dl.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''K%E1%BA%BF") == true)
            let sytReporter = try await Fixtures.user(app, "baocao.syt", roles: [(.unitReporter, w.province.syt)])
            let stranger = APIClient(app: app, token: try await Fixtures.token(app, userID: sytReporter))
            #expect(try await stranger.send(.GET, "/api/v1/evidence/\(docID)/download").status == .forbidden)
            let grid = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)")
            #expect(((grid.json["documents"] as? [[String: Any]]) ?? []).count == 2)
        }
    }

    @Test(arguments: Engine.available)
    func headApprovesThenSubmissionLocksAndACoordinatorCanReopen(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let early = try await w.head.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: ["version": 0])
            #expect(early.status == .unprocessableEntity)
            #expect(early.problemCode == "assessment.incomplete")
            try await Self.fillEverything(w)
            #expect(try await w.reporter.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: ["version": 0]).status == .forbidden)
            let notYet = try await w.reporter.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/submit", json: ["version": 0])
            #expect(notYet.problemCode == "assessment.needs_head_approval")
            let approved = try await w.head.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/approve", json: ["version": 0])
            #expect(approved.json["status"] as? String == "head_approved", "\(approved.body.string)")
            let submitted = try await w.reporter.send(.POST, "/api/v1/assessments/\(w.snvAssessment)/submit",
                                                      json: ["version": approved.json["version"] as! Int])
            #expect(submitted.json["status"] as? String == "submitted")
            let locked = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                                   json: ["input": ["kind": "yes_no", "value": false], "version": 1])
            #expect(locked.status == .conflict)
            #expect(locked.problemCode == "assessment.locked")
            let noReason = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/reopen",
                                                        json: ["unitCode": "SNV", "until": Fixtures.day(3), "reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            let reopened = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/reopen",
                                                        json: ["unitCode": "SNV", "until": Fixtures.day(3), "reason": "Bổ sung tài liệu theo đề nghị"])
            #expect(reopened.status == .ok)
            let again = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                                  json: ["input": ["kind": "yes_no", "value": false], "version": 1])
            #expect(again.status == .ok)
            let trail = try await AuditEntryModel.query(on: app.db).filter(\.$action == "campaign.reopen").first()
            #expect(trail?.reason == "Bổ sung tài liệu theo đề nghị")
        }
    }

    @Test(arguments: Engine.available)
    func theServerEnforcesTheDeadlineWhateverTheBrowserShows(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app, window: (-10, -1))
            let late = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                                 json: ["input": ["kind": "yes_no", "value": true], "version": 0])
            #expect(late.status == .conflict)
            #expect(late.problemCode == "campaign.deadline_passed")
            #expect((late.json["detail"] as? String)?.contains("Đã hết hạn tự đánh giá, chấm điểm (hạn chót 24 giờ ngày \(Fixtures.day(-1)))") == true)
            #expect(try await AssessmentEntryModel.query(on: app.db).count() == 0)
            // The page says so too, and offers no form.
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(page.body.string.contains("Đã hết hạn tự đánh giá"))
            #expect(!page.body.string.contains("class=\"entry\""))
        }
    }

    @Test(arguments: Engine.available)
    func theWebGridSavesAndShowsErrorsBesideTheCriterion(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let page = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Tự đánh giá: Sở Nội vụ"))
            let ok = try await b.post("/assessments/\(w.snvAssessment)/entries/1.1.2", form: ["value": "yes", "version": "0"])
            #expect(ok.status == .seeOther)
            let after = try await b.get("/assessments/\(w.snvAssessment)")
            #expect(after.body.string.contains("Đã lưu tiêu chí 1.1.2."))
            #expect(after.body.string.contains("1/"))
            let stale = try await b.post("/assessments/\(w.snvAssessment)/entries/1.1.2", form: ["value": "no", "version": "0"])
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("vừa được baocao.snv sửa"))
        }
    }
}

@Suite struct AssessmentReportTests {
    @Test(arguments: Engine.available)
    func theReportExportsAsXLSXAndCSV(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            _ = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                          json: ["input": ["kind": "yes_no", "value": true], "explanation": "Văn bản đang trình ký", "version": 0])
            let xlsx = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)/report")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.description.contains("spreadsheetml") == true)
            let bytes = Data(buffer: xlsx.body)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let dir = Fixtures.tempDirectory()
            let file = dir + "/r.xlsx"
            try bytes.write(to: URL(fileURLWithPath: file))
            let unzip = Process()
            unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            unzip.arguments = ["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.read('xl/worksheets/sheet1.xml').decode()); print(z.read('xl/worksheets/sheet2.xml').decode())", file]
            let pipe = Pipe()
            unzip.standardOutput = pipe
            try unzip.run()
            unzip.waitUntilExit()
            let xml = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(xml.contains("Sở Nội vụ"))
            #expect(xml.contains("Văn bản đang trình ký"))
            let csv = try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)/report?format=csv")
            #expect(Data(buffer: csv.body).starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(csv.body.string.contains("1.1.2,"))
        }
    }
}

@Suite struct PreviewTests {
    @Test(arguments: Engine.available)
    func typedValuesArePreviewedWithoutSaving(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await SelfAssessmentTests.world(app)
            let path = "/api/v1/assessments/\(w.snvAssessment)/preview/1.1.2"
            let yes = try await w.reporter.send(.POST, path, json: ["value": "Có"])
            #expect(yes.json["pointsDisplay"] as? String == "1")
            let bad = try await w.reporter.send(.POST, path, json: ["value": "có lẽ"])
            #expect(bad.json["message"] as? String == "Chọn “Có” hoặc “Không”.")
            #expect(try await AssessmentEntryModel.query(on: app.db).count() == 0)
        }
    }
}
