import Testing
@testable import ParIndexCore

@Suite("Vietnamese rule texts")
struct RuleTextTests {
    @Test func yesNo() {
        #expect(ScoringMethod.yesNo.ruleTextVI(maxPoints: 1.5) == "Có: 1,5 điểm; Không: 0 điểm.")
    }

    @Test func bandsReadAsRanges() {
        let m: ScoringMethod = .ratioBands([.init(minPercent: 80, points: 0.5), .init(minPercent: 100, points: 1)],
                                           zeroDenominator: .fullPoints)
        let text = m.ruleTextVI(maxPoints: 1)
        #expect(text.hasPrefix("Đạt từ 100% trở lên: 1 điểm; Đạt từ 80% đến dưới 100%: 0,5 điểm; Dưới 80%: 0 điểm."))
    }

    @Test func deductionText() {
        let m: ScoringMethod = .occurrences(.init(mode: .deduct, pointsPerOccurrence: 0.25, cap: 1))
        #expect(m.ruleTextVI(maxPoints: 1.5) == "Điểm tối đa 1,5; mỗi trường hợp trừ 0,25 điểm, trừ tối đa 1 điểm, không thấp hơn 0.")
    }

    @Test func everyMethodHasANameAndText() throws {
        let f = try Formula("a", inputs: [.init(name: "a", label: "Số văn bản")])
        let methods: [ScoringMethod] = [
            .yesNo, .levels([.init(id: "a", label: "Đạt", points: 1)]), .ratio(zeroDenominator: .zeroPoints),
            .ratioBands([.init(minPercent: 50, points: 1)], zeroDenominator: .notApplicable), .normalizedRatio,
            .occurrences(.init(mode: .add, pointsPerOccurrence: 0.5)), .manual(step: 0.25), .survey(source: "sipas"),
            .formula(f),
        ]
        for m in methods {
            #expect(!m.nameVI.isEmpty)
            #expect(m.ruleTextVI(maxPoints: 1).contains("điểm"))
        }
    }

    @Test func appliedRuleTexts() {
        #expect(AppliedRule.ratio(0.855).textVI(points: 1.71) == "Tỷ lệ 85,5%: 1,71 điểm.")
        #expect(AppliedRule.normalized(value: 3, best: 0).textVI(points: 0) == "Giá trị cao nhất trong các đơn vị bằng 0: 0 điểm.")
    }
}
