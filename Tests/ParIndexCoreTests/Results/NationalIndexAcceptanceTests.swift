import Foundation
import Testing
@testable import ParIndexCore

/// Issue #12's acceptance example: a national campaign of provinces on the Ministry's framework,
/// groups A/B/C from its results block, survey points taken from an official results table —
/// totals are appraised points plus survey points, and ranks follow them.
@Suite("Results: the national index with official survey results")
struct NationalIndexAcceptanceTests {
    @Test func totalsAreAppraisedPlusSurveyAndGroupsAreABC() throws {
        let fw = try FrameworkYAML.load(try RepositoryFrameworks.text("province-2948.yaml"))
        let survey = fw.leaves.filter { if case .survey? = $0.method { true } else { false } }
        #expect(!survey.isEmpty)
        // Every evidence criterion at a share of its max per province; surveys from the table.
        let shares: [(code: String, evidence: Double, surveyIndex: Double)] = [("HP", 0.97, 92), ("HN", 0.88, 85), ("QN", 0.66, 61)]
        var csv = "ma don vi,tieu chi,chi so,so van ban,ngay van ban\n"
        for s in shares { for leaf in survey { csv += "\(s.code),\(leaf.code),\(VietnameseNumber.format(s.surveyIndex)),1124/BNV-CCHC,25/04/2025\n" } }
        let official = try OfficialSurveyImport.parse(Data(csv.utf8), context: OfficialSurveyContext(
            surveyLeaves: Dictionary(uniqueKeysWithValues: survey.map { ($0.code, $0.maxPoints) }), allLeaves: Set(fw.leaves.map(\.code)),
            unitCodes: Set(shares.map(\.code))))
        let surveyMax = survey.reduce(0) { $0 + $1.maxPoints }
        var expected: [String: Double] = [:]
        let submissions = shares.enumerated().map { i, s -> UnitSubmission in
            var inputs: [String: LeafInput] = [:]
            var evidencePoints = 0.0
            for leaf in fw.leaves where !survey.contains(leaf) && leaf.role == .scored {
                // Manual points stand for any appraised value: the engine scores them as given.
                inputs[leaf.code] = .points(leaf.maxPoints * s.evidence)
                evidencePoints += leaf.maxPoints * s.evidence
            }
            for r in official where r.unitCode == s.code { inputs[r.leafCode] = .points(r.points) }
            expected[s.code] = evidencePoints + surveyMax * s.surveyIndex / 100
            return ScoringFixtures.unit(i + 1, inputs)
        }
        let manual = Framework(id: fw.id, title: fw.title, unitKind: fw.unitKind, year: fw.year, version: fw.version,
                               notApplicablePolicy: fw.notApplicablePolicy, indexDenominator: fw.indexDenominator,
                               nodes: fw.nodes.map(Self.manualLeaves), results: fw.results)
        let r = ResultsEngine(framework: manual).compute(submissions)
        let byRank = r.units.sorted { $0.rank < $1.rank }
        #expect(byRank.map(\.name) == ["Đơn vị 1", "Đơn vị 2", "Đơn vị 3"])
        for (u, s) in zip(byRank, shares) {
            #expect(abs(u.totalPoints - expected[s.code]!) < 1e-9, "\(s.code): \(u.totalPoints) ≠ \(expected[s.code]!)")
        }
        #expect(byRank.map { $0.band?.label } == ["Nhóm A", "Nhóm B", "Dưới 70%"])
    }

    /// The same tree with every non-survey leaf scored as manual points (0,000001 step), so a
    /// test sets appraised points directly.
    static func manualLeaves(_ n: FrameworkNode) -> FrameworkNode {
        var n = n
        if n.isLeaf, case .survey? = n.method {} else if n.isLeaf { n.method = .manual(step: 0) }
        n.children = n.children.map(manualLeaves)
        return n
    }
}
