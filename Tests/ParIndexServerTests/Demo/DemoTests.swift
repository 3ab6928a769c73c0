import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexDemo
@testable import ParIndexServer

/// The demo province (issue 8): what `parindex demo` shows a newcomer must really be there,
/// consistent with the engine, and the same on every run.
@Suite struct DemoTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func bundledFrameworksAreByteIdenticalToTheRepositoryFiles() throws {
        for name in DemoFrameworks.files {
            let repo = try Data(contentsOf: Self.repoRoot.appendingPathComponent("Frameworks/\(name)"))
            let source = try Data(contentsOf: Self.repoRoot.appendingPathComponent("Sources/ParIndexDemo/Resources/Frameworks/\(name)"))
            let bundled = try Data(contentsOf: URL(fileURLWithPath: DemoFrameworks.directory + name))
            #expect(source == repo, "Sources/ParIndexDemo/Resources/Frameworks/\(name) differs from Frameworks/\(name): copy it again")
            #expect(bundled == repo, "the built bundle's \(name) differs from Frameworks/\(name)")
        }
    }

    /// Seed 004's 2022 results, unit by unit: the demo publishes them with the report's bands
    /// and head-of-unit ratings, from appraised claims and 2.476 survey ballots.
    @Test(arguments: Engine.available)
    func published2022ResultsMatchSeed004(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let snapshots = try await ResultSnapshotModel.query(on: app.db).with(\.$campaign).all()
            #expect(snapshots.count == 2)
            var bands: [String: Int] = [:], ratings: [String: Int] = [:]
            for s in snapshots {
                #expect(s.campaign.year == 2022)
                for u in try ResultsService.decode(s).units {
                    let target = try #require(DemoTargets.year2022[u.unitCode])
                    #expect(target.band.contains(u.indexPercent), "\(u.unitCode) \(u.indexDisplay)")
                    #expect(u.rating == target.rating.labelVI, "\(u.unitCode) \(u.rating)")
                    bands["\(s.campaign.name)/\(u.band ?? "-")", default: 0] += 1
                    ratings["\(s.campaign.name)/\(u.rating)", default: 0] += 1
                }
            }
            let dept = DemoCampaigns.name(.department, year: 2022), dist = DemoCampaigns.name(.district, year: 2022)
            #expect(bands["\(dept)/Từ 90% trở lên"] == 3 && bands["\(dept)/Từ 80% đến dưới 90%"] == 14)
            #expect(bands["\(dist)/Từ 90% trở lên"] == 2 && bands["\(dist)/Từ 80% đến dưới 90%"] == 9)
            #expect(ratings["\(dept)/Hoàn thành xuất sắc nhiệm vụ"] == 3 && ratings["\(dept)/Hoàn thành tốt nhiệm vụ"] == 13
                    && ratings["\(dept)/Hoàn thành nhiệm vụ"] == 2)
            #expect(ratings["\(dist)/Hoàn thành xuất sắc nhiệm vụ"] == 2 && ratings["\(dist)/Hoàn thành tốt nhiệm vụ"] == 8
                    && ratings["\(dist)/Hoàn thành nhiệm vụ"] == 2)
            // Seed 004: 760 + 1.716 = 2.476 ballots in closed batches; appraisals with reasons and explanations.
            let q2022 = try await QuestionnaireModel.query(on: app.db).filter(\.$formID ~~ ["sipas-2022", "to-chuc-2022"]).all()
            let tallies = try await SurveyTallyModel.query(on: app.db).filter(\.$questionnaire.$id ~~ q2022.map { $0.id! }).all()
            #expect(tallies.map(\.ballots).reduce(0, +) == 2476)
            #expect(try await AppraisalModel.query(on: app.db).count() >= 30)
            #expect(try await ExplanationModel.query(on: app.db).count() == 30)
        }
    }

    @Test(arguments: Engine.available)
    func demoHasPublishedFrameworksAndTwoYearsOfCampaigns(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let frameworks = try await FrameworkVersionModel.query(on: app.db).all()
            #expect(frameworks.count == 2)
            #expect(frameworks.allSatisfy { $0.frameworkStatus == .published && $0.publishedAt != nil })
            #expect(Set(frameworks.map(\.unitKind)) == ["department", "district"])

            let campaigns = try await CampaignModel.query(on: app.db).with(\.$framework).with(\.$ownerUnit).all()
            #expect(campaigns.count == 4)
            // Issue #19: the province runs both its departments' and its districts' index.
            #expect(campaigns.allSatisfy { $0.ownerUnit.code == "HD" })
            let byName = Dictionary(uniqueKeysWithValues: campaigns.map { ($0.name, $0) })
            let dept2022 = try #require(byName[DemoCampaigns.name(.department, year: 2022)])
            let dept2023 = try #require(byName[DemoCampaigns.name(.department, year: 2023)])
            let dist2023 = try #require(byName[DemoCampaigns.name(.district, year: 2023)])
            #expect(dept2023.$previous.id == dept2022.id)
            #expect(dist2023.$previous.id == byName[DemoCampaigns.name(.district, year: 2022)]?.id)
            #expect(dept2022.schedule.decision(.selfAssessment, unit: nil, at: Date()) != .open)
            #expect(dept2023.schedule.decision(.selfAssessment, unit: nil, at: Date()) == .open)

            // 2022: every department submitted, complete, and claiming a plausible share.
            let framework = try FrameworkService.framework(of: dept2022.framework)
            let leaves = Set(AssessmentService.selfScoredLeaves(framework).map(\.code))
            let assessments = try await AssessmentModel.query(on: app.db).filter(\.$campaign.$id == dept2022.id!).all()
            #expect(assessments.count == 18)
            for a in assessments {
                #expect(a.assessmentStatus == .submitted && a.submittedAt != nil && a.approvedAt != nil)
                let entries = try await AssessmentEntryModel.query(on: app.db).filter(\.$assessment.$id == a.id!).all()
                #expect(Set(entries.filter { $0.input != nil }.map(\.leafCode)) == leaves)
                for e in entries {
                    // The stored points are the engine's, exactly as a save through the API computes them.
                    let node = try #require(framework.node(code: e.leafCode))
                    #expect(e.points == DemoEntries.points(node, e.input!), "\(e.leafCode)")
                }
                let demo = entries.map { DemoEntry(leafCode: $0.leafCode, input: $0.input!, points: $0.points, explanation: $0.explanation) }
                #expect(DemoEntries.plausibleShare.contains(DemoEntries.claimedShare(demo, leaves: DemoEntries.leaves(framework))))
            }
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "demo.load").count() == 1)
            // The demo publishes 2022 through the publication service, which audits each publication (issue #19).
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "results.publish").count() == 2)
            #expect(try await AuditEntryModel.query(on: app.db).count() == 3)

            // 2023: Sở Nội vụ is a draft, about half filled, open for its reporter now.
            let snv = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "SNV").first())
            let snv2023 = try #require(try await AssessmentModel.query(on: app.db).filter(\.$campaign.$id == dept2023.id!)
                .filter(\.$unit.$id == snv.id!).first())
            #expect(snv2023.assessmentStatus == .draft)
            let reporter = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first())
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: reporter.id!))
            let grid = try await api.send(.GET, "/api/v1/assessments/\(snv2023.id!)")
            #expect(grid.status == .ok, "\(grid.body.string)")
            #expect(grid.json["isOpen"] as? Bool == true)
            let filled = grid.json["filled"] as? Int ?? 0, total = grid.json["total"] as? Int ?? 0
            #expect(total == leaves.count && filled > total * 3 / 10 && filled < total * 7 / 10)
            let rows = (grid.json["rows"] as? [[String: Any]]) ?? []
            #expect(rows.contains { ($0["evidence"] as? [Any])?.isEmpty == false })

            let statuses = try await AssessmentModel.query(on: app.db).filter(\.$campaign.$id == dept2023.id!).all()
                .map(\.assessmentStatus)
            #expect(statuses.filter { $0 == .submitted }.count == 3)
            #expect(statuses.filter { $0 == .headApproved }.count == 1)
            #expect(statuses.filter { $0 == .draft }.count == 14)
        }
    }

    @Test(arguments: Engine.available)
    func demoEvidenceIsStoredOnDiskAndDownloadable(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let documents = try await EvidenceDocumentModel.query(on: app.db).with(\.$file)
                .with(\.$assessment) { $0.with(\.$campaign) }.all()
            #expect(documents.count > 150)
            let store = EvidenceService.store(app)
            for d in documents {
                #expect(FileManager.default.fileExists(atPath: store.path(for: d.file.sha256)))
                #expect((try? DocumentNumber.parse(d.documentNumber)) != nil, "\(d.documentNumber)")
                #expect(VietnameseDate.calendar.component(.year, from: d.documentDate) == d.assessment.campaign.year)
                #expect(d.documentDate < Date())
            }
            #expect(documents.contains { $0.documentNumber.hasSuffix("/KH-SNV") || $0.documentNumber.hasSuffix("-SNV") })
            #expect(documents.contains { $0.documentNumber.hasSuffix("-UBND") })
            #expect(try await EvidenceLinkModel.query(on: app.db).count() >= documents.count)

            let snv = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "SNV").first())
            let doc = try #require(documents.first { $0.assessment.$unit.id == snv.id })
            let reporter = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first())
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: reporter.id!))
            let res = try await api.send(.GET, "/api/v1/evidence/\(doc.id!)/download")
            #expect(res.status == .ok)
            let body = Data(buffer: res.body)
            #expect(body == (try store.get(doc.file.sha256)))
            #expect(body.starts(with: Data("%PDF-1.4".utf8)))
            #expect(String(decoding: body, as: UTF8.self).contains(doc.title))
            #expect(try EvidenceFileType.detect(body, filename: doc.filename) == .pdf)
            let other = try #require(documents.first { $0.assessment.$unit.id != snv.id })
            #expect(try await api.send(.GET, "/api/v1/evidence/\(other.id!)/download").status == .forbidden)
        }
    }

    /// Issue #14: the demo's periodic reports carry seed 003's and seed 002's own figures, and the
    /// app flags seed 003's errors with their rules and messages.
    @Test(arguments: Engine.available)
    func demoReportsCarryTheSeedsFiguresAndFlagSeed003sErrors(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let coordinator = try #require(try await UserModel.query(on: app.db).filter(\.$username == "dieuphoi").first())
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: coordinator.id!))
            let regimes = try await api.send(.GET, "/api/v1/report-regimes")
            let regime = try #require((try JSONSerialization.jsonObject(with: Data(regimes.body.string.utf8)) as? [[String: Any]])?.first)
            #expect(regime["name"] as? String == "Báo cáo công tác CCHC định kỳ")
            let detail = try await api.send(.GET, "/api/v1/report-regimes/\(regime["id"] as! String)")
            let periods = try #require(detail.json["periods"] as? [[String: Any]])
            #expect(periods.count == 5)
            func submission(_ periodCode: String, _ unit: String) async throws -> String {
                let p = try #require(periods.first { $0["code"] as? String == periodCode })
                let d = try await api.send(.GET, "/api/v1/report-periods/\(p["id"] as! String)")
                let subs = try #require(d.json["submissions"] as? [[String: Any]])
                return try #require(subs.first { $0["unitCode"] as? String == unit }?["id"] as? String)
            }
            let snv2023 = try await api.send(.GET, "/api/v1/report-submissions/\(try await submission("2023", "SNV"))")
            #expect(snv2023.body.string.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463"))
            #expect(snv2023.body.string.contains("82,4 % ≠ 224 ÷ 267 × 100 = 83,9 %"))
            #expect(snv2023.json["state"] as? String == "draft")
            // Its series over the years: received 599 → 1.170 → 2.363.
            let points = ((snv2023.json["series"] as? [String: Any])?["points"] as? [[String: Any]]) ?? []
            #expect(points.compactMap { $0["value"] as? Double } == [599, 1170, 2363])
            let snv2021 = try await api.send(.GET, "/api/v1/report-submissions/\(try await submission("2021", "SNV"))")
            #expect(snv2021.body.string.contains("578 ≠ 73 + 508 = 581"))
            #expect(snv2021.json["state"] as? String == "approved")
            let commune = try await api.send(.GET, "/api/v1/report-submissions/\(try await submission("2023-H1", "HNS-X2"))")
            #expect(commune.body.string.contains("\"display\":\"174\""))
            #expect(commune.body.string.contains("\"display\":\"551\""))
            #expect(commune.json["window"] as? String == "Từ ngày 10/12/2022 đến ngày 01/06/2023")
            let h1 = try #require(periods.first { $0["code"] as? String == "2023-H1" }?["completeness"] as? [String: Any])
            #expect((h1["late"] as? Int ?? 0) > 0 && (h1["missing"] as? Int ?? 0) > 0)
            let returned = try await ReportSubmissionModel.query(on: app.db).filter(\.$state == "returned").count()
            #expect(returned == 1)
        }
    }

    @Test(arguments: Engine.available)
    func demoDataIsTheSameOnEveryLoad(engine: Engine) async throws {
        var first: [String: Double] = [:], second: [String: Double] = [:]
        var firstDocs: [String] = [], secondDocs: [String] = []
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            #expect(try await !DemoProvince.load(into: app))
            first = try await Self.claimedTotals(app)
            firstDocs = try await Self.documentKeys(app)
        }
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            second = try await Self.claimedTotals(app)
            secondDocs = try await Self.documentKeys(app)
        }
        #expect(first.count == 30 + 10)
        #expect(first == second)
        #expect(firstDocs == secondDocs)
        #expect(Set(first.values).count > 20, "units should differ from each other")
    }

    /// "year/unit" → sum of the points of its entries (what the grid shows as claimed).
    static func claimedTotals(_ app: Application) async throws -> [String: Double] {
        let assessments = try await AssessmentModel.query(on: app.db).with(\.$unit).with(\.$campaign).all()
        let entries = try await AssessmentEntryModel.query(on: app.db).all()
        let sums = Dictionary(grouping: entries, by: { $0.$assessment.id }).mapValues { $0.reduce(0) { $0 + $1.points } }
        var out: [String: Double] = [:]
        for a in assessments { if let s = sums[a.id!] { out["\(a.campaign.year)/\(a.unit.code)"] = s } }
        return out
    }

    static func documentKeys(_ app: Application) async throws -> [String] {
        try await EvidenceDocumentModel.query(on: app.db).with(\.$file).all()
            .map { "\($0.documentNumber) \(VietnameseDate.format($0.documentDate)) \($0.file.sha256)" }.sorted()
    }
}
