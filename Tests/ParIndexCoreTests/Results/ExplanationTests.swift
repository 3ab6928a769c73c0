import Testing
@testable import ParIndexCore

@Suite("Explanation trace")
struct ExplanationTests {
    let engine = ResultsEngine(framework: ScoringFixtures.mini)

    @Test func leafTraceHasInputMethodRuleAndPoints() {
        var inputs = ScoringFixtures.fullMarks
        inputs["1.3"] = .ratio(numerator: 171, denominator: 200)
        let unit = ScoringFixtures.unit(1, inputs)
        let campaign = engine.compute([unit])
        let e = engine.explain(unit, in: campaign)
        let leaf = e.node("1.3")!
        #expect(leaf.input == .ratio(numerator: 171, denominator: 200))
        #expect(leaf.methodNameVI == "Tỷ lệ × điểm tối đa")
        #expect(leaf.ruleTextVI?.hasPrefix("Điểm = (tử số ÷ mẫu số) × 1,5") == true)
        #expect(leaf.appliedVI == "Tỷ lệ 85,5%: 1,28 điểm.")
        #expect(abs(leaf.points - 1.2825) < 1e-12)
        #expect(leaf.depth == 1)
    }

    @Test func parentTraceShowsWhatWasSummedAndCapped() {
        var inputs = ScoringFixtures.fullMarks
        inputs["2.4"] = .count(1)     // bonus 0,25 on a field already at max
        inputs["2.5"] = .count(1)     // penalty 0,5
        let unit = ScoringFixtures.unit(1, inputs)
        let e = engine.explain(unit, in: engine.compute([unit]))
        let field = e.node("2")!
        #expect(field.children.map(\.code) == ["2.1", "2.2", "2.3", "2.4", "2.5"])
        #expect(field.points == 2.75)
        #expect(field.summaryVI == "Tổng: 2.1 (1) + 2.2 (1) + 2.3 (1) + thưởng 2.4 (0,25) − trừ 2.5 (0,5) = 2,75 điểm (tối đa 3).")
        inputs["2.5"] = .count(0)
        let capped = engine.explain(ScoringFixtures.unit(1, inputs), in: engine.compute([ScoringFixtures.unit(1, inputs)])).node("2")!
        #expect(capped.summaryVI.contains("= 3,25; giới hạn trong khoảng 0 – 3 → 3 điểm"))
    }

    @Test func notApplicableAndIssuesAreExplained() {
        var inputs = ScoringFixtures.fullMarks
        inputs["1.1"] = .notApplicable
        inputs["1.2"] = .points(7)
        let unit = ScoringFixtures.unit(1, inputs)
        let e = engine.explain(unit, in: engine.compute([unit]))
        #expect(e.node("1.1")!.isNotApplicable)
        #expect(e.node("1.1")!.summaryVI == "Không áp dụng đối với đơn vị.")
        #expect(e.node("1")!.summaryVI.contains("Không áp dụng: 1.1."))
        #expect(e.node("1.2")!.issue == .pointsOutOfRange(7, max: 1.5))
        #expect(e.node("1.2")!.summaryVI.contains("nằm ngoài khoảng"))
        #expect(e.applicableMax == 9 && e.totalPoints == 9)
    }

    @Test func normalisedRatioIsExplainedAgainstTheCampaignBest() {
        var a = ScoringFixtures.fullMarks; a["2.3"] = .value(8)
        var b = ScoringFixtures.fullMarks; b["2.3"] = .value(2)
        let campaign = engine.compute([ScoringFixtures.unit(1, a), ScoringFixtures.unit(2, b)])
        let e = engine.explain(ScoringFixtures.unit(2, b), in: campaign)
        #expect(e.node("2.3")!.appliedVI == "Giá trị 2 ÷ giá trị cao nhất 8: 0,25 điểm.")
    }

    @Test func explanationAgreesWithTheCampaignForEveryNode() {
        let units = (1...6).map { n in
            var i = ScoringFixtures.fullMarks
            i["1.2"] = .points(Double(n) * 0.25); i["2.2"] = .count(n); i["2.3"] = .value(Double(n))
            return ScoringFixtures.unit(n, i)
        }
        let campaign = engine.compute(units)
        for (k, unit) in units.enumerated() {
            let e = engine.explain(unit, in: campaign)
            for node in e.nodes { #expect(campaign.node(node.code, unit: k)?.points == node.points) }
            #expect(e.totalPoints == campaign.units[k].rawPoints)
        }
    }
}
