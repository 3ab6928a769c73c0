import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Every CSV export with a unit named like a formula and a reason or explanation like one
/// (issue #20, finding 6): the cells arrive as text with a leading `'`, numbers stay numbers.
@Suite struct CSVInjectionTests {
    static let evilName = "=HYPERLINK(\"http://evil\",\"x\")"
    static let evilReason = "@SUM(1+1)"

    /// The SNV/SYT campaign with SNV renamed to a formula and an explanation like one.
    static func world(_ app: Application) async throws -> SelfAssessmentTests.World {
        let w = try await SelfAssessmentTests.world(app)
        try await rename(app, w)
        try await SelfAssessmentTests.fillEverything(w)
        let r = try await w.reporter.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/entries/1.1.2",
                                          json: ["input": ["kind": "yes_no", "value": true], "explanation": evilReason, "version": 1])
        #expect(r.status == .ok, "\(r.body.string)")
        return w
    }

    static func rename(_ app: Application, _ w: SelfAssessmentTests.World) async throws {
        let unit = try #require(try await UnitModel.find(w.province.snv, on: app.db))
        unit.name = evilName
        try await unit.save(on: app.db)
    }

    /// The CSV's fields as a spreadsheet would read them, after checking no raw formula starts a field.
    static func fields(_ res: TestingHTTPResponse) throws -> [[String]] {
        #expect(res.status == .ok, "\(res.body.string)")
        let data = Data(buffer: res.body)
        let table = try CSVTable.read(data)
        let all = [table.header] + table.records.map(\.fields)
        for row in all { for f in row { #expect(!(f.first.map { "=+-@\t\r".contains($0) } ?? false), "raw formula cell \(f)") } }
        return all
    }

    static func publish(_ app: Application, _ w: SelfAssessmentTests.World) async throws {
        try await PublicationFixtures.publishNow(app, w.campaignID)
    }

    @Test(arguments: Engine.available)
    func thePublicRankingCSV(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            try await Self.publish(app, w)
            let rows = try Self.fields(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/public/campaigns/\(w.campaignID)?format=csv"))
            let snv = try #require(rows.first { $0.contains("SNV") })
            #expect(snv[2] == "'" + Self.evilName)
            #expect(Int(snv[0]) != nil, "the rank stays a number: \(snv[0])")
            #expect((try? VietnameseNumber.parse(snv[5])) != nil, "the index stays a number: \(snv[5])")
        }
    }

    @Test(arguments: Engine.available)
    func theAnnualReportCSV(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            try await Self.publish(app, w)
            let rows = try Self.fields(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/public/reports/2022?format=csv"))
            let snv = try #require(rows.first { $0.contains("SNV") })
            #expect(snv[3] == "'" + Self.evilName)
            #expect(Int(snv[1]) != nil && (try? VietnameseNumber.parse(snv[4])) != nil)
        }
    }

    @Test(arguments: Engine.available)
    func theSelfAssessmentReportCSV(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let rows = try Self.fields(try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)/report?format=csv"))
            let leaf = try #require(rows.first { $0.first == "1.1.2" })
            #expect(leaf.last == "'" + Self.evilReason)
            #expect(leaf[2] == "1" && leaf[4] == "1", "max and claimed points stay numbers: \(leaf)")
            // The XLSX carries the same text as an inline string, never a formula.
            let book = try XLSXReader(Data(buffer: try await w.reporter.send(.GET, "/api/v1/assessments/\(w.snvAssessment)/report?format=xlsx").body))
            let cells = try book.rows(of: book.sheetNames[0]).flatMap(\.cells)
            #expect(cells.contains(Self.evilReason) && cells.contains { $0.contains(Self.evilName) })
        }
    }

    @Test(arguments: Engine.available)
    func theSurveyReportCSV(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let s = try await SurveyTests.world(app)
            try await Self.rename(app, s.base)
            let rows = try Self.fields(try await s.coordinator.send(.GET, "/api/v1/campaigns/\(s.base.campaignID)/surveys/report?format=csv"))
            let snv = try #require(rows.first { $0.contains("SNV") })
            #expect(snv[2] == "'" + Self.evilName)
            #expect(snv[3] == "0", "the ballot count stays a number")
        }
    }

    @Test(arguments: Engine.available)
    func anAppraisersReasonInTheAnnualReportWorkbookIsText(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            try await SelfAssessmentTests.approve(w)
            #expect(try await SelfAssessmentTests.submit(w).status == .ok)
            try await AppraisalCycleTests.openPhase(app, w.campaignID, .appraisalRound1)
            let apprID = try await Fixtures.user(app, "thamdinh", roles: [(.appraiser, nil)])
            let appraiser = APIClient(app: app, token: try await Fixtures.token(app, userID: apprID))
            _ = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers", json: ["username": "thamdinh", "nodeCode": "1"])
            let r1 = try await appraiser.send(.PUT, "/api/v1/assessments/\(w.snvAssessment)/appraisals/1.1.2",
                                              json: ["stage": "round1", "input": ["kind": "yes_no", "value": false], "reason": Self.evilReason, "version": 0])
            #expect(r1.status == .ok, "\(r1.body.string)")
            try await Self.publish(app, w)
            let book = try XLSXReader(Data(buffer: try await APIClient(app: app, token: nil).send(.GET, "/api/v1/public/reports/2022?format=xlsx").body))
            let cells = try book.sheetNames.flatMap { try book.rows(of: $0).flatMap(\.cells) }
            #expect(cells.contains(Self.evilReason), "the reason is a plain string in the score table")
            #expect(cells.contains(Self.evilName))
        }
    }
}
