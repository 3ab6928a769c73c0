import Foundation
import Testing
@testable import ParIndexCore

@Suite("Results engine")
struct ResultsEngineTests {
    let engine = ResultsEngine(framework: ScoringFixtures.mini)

    @Test func fullMarksGiveFullIndex() {
        let r = engine.compute([ScoringFixtures.unit(1, ScoringFixtures.fullMarks)])
        let u = r.units[0]
        #expect(u.totalPoints == 10 && u.indexPercent == 100 && u.rank == 1)
        #expect(u.fields.map(\.percent) == [100, 100, 100])
        #expect(u.issues.isEmpty)
        #expect(u.band?.label == "Từ 90% trở lên")
        #expect(u.rating == .excellent)
    }

    @Test func emptyCampaignHasNoResults() {
        let r = engine.compute([])
        #expect(r.units.isEmpty && r.ranking.isEmpty)
    }

    @Test func missingInputsScoreZeroAndAreReported() {
        let u = engine.compute([ScoringFixtures.unit(1, [:])]).units[0]
        // Deduction-only and bonus/penalty leaves still need a count: missing is 0 points, reported.
        #expect(u.totalPoints == 0)
        #expect(u.indexPercent == 0)
        #expect(u.issues.count == 9)
        #expect(u.issues.allSatisfy { $0.error == .missingInput })
        #expect(u.rating == .notCompleted)
    }

    @Test func bonusIsCappedByParentMaxAndPenaltySubtracts() {
        var inputs = ScoringFixtures.fullMarks
        inputs["2.4"] = .count(10)   // bonus capped at 0,5, and field 2 is already at max
        var u = engine.compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.field("2")?.points == 3)
        inputs["2.1"] = .level("b")  // 2,5 + 0,5 bonus = 3
        u = engine.compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.field("2")?.points == 3)
        inputs["2.5"] = .count(1)    // − 0,5 penalty
        u = engine.compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.field("2")?.points == 2.5)
        inputs["2.5"] = .count(100)  // penalty capped at its max 1, floor 0 on the field
        inputs["2.1"] = .level("b"); inputs["2.2"] = .count(100); inputs["2.3"] = .value(0); inputs["2.4"] = .count(0)
        u = engine.compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.field("2")?.points == 0)
    }

    @Test func notApplicableRescalesToFullTotal() {
        var inputs = ScoringFixtures.fullMarks
        inputs["1.1"] = .notApplicable   // leaves max 9
        inputs["1.2"] = .points(0)       // 7,5 of 9
        let u = engine.compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.applicableMax == 9)
        #expect(u.rawPoints == 7.5)
        #expect(abs(u.indexPercent - 7.5 / 9 * 100) < 1e-12)
        #expect(abs(u.totalPoints - 7.5 / 9 * 10) < 1e-12)
        #expect(u.field("1")?.applicableMax == 3)
        #expect(u.field("1")?.percent == 50)
    }

    @Test func notApplicableAsShareOfApplicableMax() {
        var fw = ScoringFixtures.mini
        fw.notApplicablePolicy = .shareOfApplicableMax
        var inputs = ScoringFixtures.fullMarks
        inputs["1.1"] = .notApplicable
        inputs["1.2"] = .points(0)
        let u = ResultsEngine(framework: fw).compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.totalPoints == 7.5)
        #expect(abs(u.indexPercent - 7.5 / 9 * 100) < 1e-12)
    }

    @Test func zeroDenominatorMarkedNotApplicableLeavesMax() {
        var fw = ScoringFixtures.mini
        fw.nodes[0].children[2].method = .ratio(zeroDenominator: .notApplicable)
        var inputs = ScoringFixtures.fullMarks
        inputs["1.3"] = .ratio(numerator: 0, denominator: 0)
        let u = ResultsEngine(framework: fw).compute([ScoringFixtures.unit(1, inputs)]).units[0]
        #expect(u.applicableMax == 8.5 && u.indexPercent == 100)
    }

    @Test func notApplicableEverywhere() {
        let fw = Framework(id: "na", title: "NA", unitKind: .commune, year: 2023, version: "1", nodes: [
            ScoringFixtures.branch("1", 2, [ScoringFixtures.leaf("1.1", 1, .yesNo, na: true), ScoringFixtures.leaf("1.2", 1, .yesNo, na: true)]),
        ])
        let r = ResultsEngine(framework: fw).compute([
            ScoringFixtures.unit(1, ["1.1": .notApplicable, "1.2": .notApplicable]),
            ScoringFixtures.unit(2, ["1.1": .yesNo(true), "1.2": .notApplicable]),
        ])
        let u = r.units[0]
        #expect(u.applicableMax == 0 && u.indexPercent == 0 && u.totalPoints == 0)
        #expect(u.field("1")?.percent == nil)
        #expect(r.node("1", unit: 0)?.isNotApplicable == true)
        #expect(r.units[1].indexPercent == 100 && r.units[1].rank == 1 && u.rank == 2)
    }

    @Test func normalisedRatioUsesTheCampaignBest() {
        func inputs(_ v: Double) -> [String: LeafInput] { var i = ScoringFixtures.fullMarks; i["2.3"] = .value(v); return i }
        let r = engine.compute([ScoringFixtures.unit(1, inputs(20)), ScoringFixtures.unit(2, inputs(5)), ScoringFixtures.unit(3, inputs(0))])
        #expect(r.bestValues["2.3"] == 20)
        #expect(r.node("2.3", unit: 0)?.points == 1)
        #expect(r.node("2.3", unit: 1)?.points == 0.25)
        #expect(r.node("2.3", unit: 2)?.points == 0)
    }

    @Test func normalisedRatioWithBestZeroGivesEveryoneZero() {
        func inputs(_ v: Double) -> [String: LeafInput] { var i = ScoringFixtures.fullMarks; i["2.3"] = .value(v); return i }
        let r = engine.compute([ScoringFixtures.unit(1, inputs(0)), ScoringFixtures.unit(2, inputs(0))])
        #expect(r.bestValues["2.3"] == 0)
        #expect(r.units.allSatisfy { $0.totalPoints == 9 && $0.issues.isEmpty })
        #expect(r.units.map(\.rank) == [1, 1])
    }

    @Test func singleUnitRanksFirst() {
        let r = engine.compute([ScoringFixtures.unit(7, [:])])
        #expect(r.units.map(\.rank) == [1])
    }

    @Test func allUnitsTiedShareRankOne() {
        let r = engine.compute((1...5).map { ScoringFixtures.unit($0, ScoringFixtures.fullMarks) })
        #expect(r.units.map(\.rank) == [1, 1, 1, 1, 1])
    }

    @Test func surveysCanBeLeftOutOfTheDenominator() {
        // 62,62 / 70 = 89,45 % (a province that reported appraised points over the appraised max).
        let fw = Framework(id: "x", title: "x", unitKind: .district, year: 2022, version: "1",
                           indexDenominator: .excludingSurveys, nodes: [
            ScoringFixtures.branch("1", 70, [ScoringFixtures.leaf("1.1", 70, .manual(step: 0.01))]),
            ScoringFixtures.branch("2", 30, [ScoringFixtures.leaf("2.1", 30, .survey(source: "sipas"))]),
        ])
        let u = ResultsEngine(framework: fw).compute([ScoringFixtures.unit(1, ["1.1": .points(62.62), "2.1": .points(25)])]).units[0]
        #expect(VietnameseNumber.format(u.indexPercent) == "89,46")
        #expect(abs(u.indexPercent - 62.62 / 70 * 100) < 1e-12)
    }

    @Test func nodeLookupForAnyCode() {
        let r = engine.compute([ScoringFixtures.unit(1, ScoringFixtures.fullMarks)])
        #expect(r.node("2.1", unit: 0)?.points == 1)
        #expect(r.node("2", unit: 0)?.percent == 100)
        #expect(r.node("9", unit: 0) == nil)
        #expect(r.node("2", unit: 3) == nil)
    }
}
