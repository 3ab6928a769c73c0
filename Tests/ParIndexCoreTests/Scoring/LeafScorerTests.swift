import Testing
@testable import ParIndexCore

private func score(_ method: ScoringMethod, max: Double = 2, na: Bool = false,
                   _ input: LeafInput?, best: Double = 0) -> LeafScore {
    LeafScorer.score(method, maxPoints: max, allowsNotApplicable: na, input: input, best: best)
}

@Suite("Leaf scoring methods")
struct LeafScorerTests {
    @Test("yes / no / not applicable", arguments: [
        (LeafInput.yesNo(true), true, 2.0, false),
        (.yesNo(false), true, 0.0, false),
        (.notApplicable, true, 0.0, true),
    ])
    func yesNo(input: LeafInput, allowsNA: Bool, points: Double, isNA: Bool) {
        let s = score(.yesNo, na: allowsNA, input)
        #expect(s.points == points)
        #expect(s.isNotApplicable == isNA)
        #expect(s.issue == nil)
    }

    @Test func notApplicableWhenNotAllowedScoresZeroWithIssue() {
        let s = score(.yesNo, na: false, .notApplicable)
        #expect(s.points == 0 && !s.isNotApplicable)
        #expect(s.issue == .notApplicableNotAllowed)
    }

    @Test func missingInputScoresZeroWithIssue() {
        let s = score(.manual(step: 0.25), nil)
        #expect(s.points == 0)
        #expect(s.issue == .missingInput)
        #expect(s.applied == .missing)
    }

    @Test func wrongInputKindScoresZero() {
        #expect(score(.yesNo, .count(3)).issue == .wrongInputKind(method: "yes_no"))
    }

    @Test func levels() {
        let levels: ScoringMethod = .levels([
            .init(id: "full", label: "Hoàn thành 100%", points: 1),
            .init(id: "partial", label: "Hoàn thành từ 80%", points: 0.5),
            .init(id: "none", label: "Dưới 80%", points: 0),
        ])
        #expect(score(levels, max: 1, .level("partial")).points == 0.5)
        #expect(score(levels, max: 1, .level("full")).points == 1)
        #expect(score(levels, max: 1, .level("x")).issue == .unknownLevel("x"))
    }

    @Test("ratio × max, capped, zero denominators", arguments: [
        (LeafInput.ratio(numerator: 50, denominator: 100), ZeroDenominatorRule.fullPoints, 1.0, false),
        (.ratio(numerator: 150, denominator: 100), .fullPoints, 2.0, false),
        (.ratio(numerator: 0, denominator: 0), .fullPoints, 2.0, false),
        (.ratio(numerator: 0, denominator: 0), .zeroPoints, 0.0, false),
        (.ratio(numerator: 0, denominator: 0), .notApplicable, 0.0, true),
        (.ratio(numerator: 0, denominator: 10), .fullPoints, 0.0, false),
    ])
    func ratio(input: LeafInput, zero: ZeroDenominatorRule, points: Double, isNA: Bool) {
        let s = score(.ratio(zeroDenominator: zero), input)
        #expect(s.points == points)
        #expect(s.isNotApplicable == isNA)
    }

    @Test func negativeAndNonFiniteRatiosAreInvalid() {
        #expect(score(.ratio(zeroDenominator: .fullPoints), .ratio(numerator: -1, denominator: 10)).issue == .negativeValue(-1))
        #expect(score(.ratio(zeroDenominator: .fullPoints), .ratio(numerator: 1, denominator: -10)).issue == .negativeValue(-10))
        #expect(score(.ratio(zeroDenominator: .fullPoints), .ratio(numerator: .nan, denominator: 10)).issue == .notFiniteValue)
    }

    // The issue's own example: 100 % → max, 80 – < 100 % → half, < 80 % → 0.
    @Test("ratio through threshold bands", arguments: [
        (100.0, 2.0), (120.0, 2.0), (99.99, 1.0), (80.0, 1.0), (79.99, 0.0), (0.0, 0.0),
    ])
    func ratioBands(percent: Double, points: Double) {
        let method: ScoringMethod = .ratioBands([.init(minPercent: 100, points: 2), .init(minPercent: 80, points: 1)],
                                               zeroDenominator: .fullPoints)
        #expect(score(method, .ratio(numerator: percent, denominator: 100)).points == points)
    }

    @Test("normalised ratio against the best unit", arguments: [
        (LeafInput.value(50), 100.0, 1.0),
        (.value(100), 100.0, 2.0),
        (.value(0), 100.0, 0.0),
        (.value(0), 0.0, 0.0),
        (.ratio(numerator: 1, denominator: 4), 0.5, 1.0),
    ])
    func normalized(input: LeafInput, best: Double, points: Double) {
        let s = score(.normalizedRatio, input, best: best)
        #expect(s.points == points)
        #expect(s.issue == nil)
    }

    @Test func normalizedNegativeIsInvalid() {
        #expect(score(.normalizedRatio, .value(-3), best: 10).issue == .negativeValue(-3))
    }

    @Test("counted deductions and additions with cap and floor", arguments: [
        (OccurrenceRule.Mode.deduct, 0.25, Double?.none, 0, 2.0),
        (.deduct, 0.25, nil, 3, 1.25),
        (.deduct, 0.25, nil, 100, 0.0),
        (.deduct, 0.5, 1.0, 10, 1.0),
        (.add, 0.5, nil, 3, 1.5),
        (.add, 0.5, nil, 30, 2.0),
        (.add, 0.5, 1.0, 30, 1.0),
    ])
    func occurrences(mode: OccurrenceRule.Mode, per: Double, cap: Double?, count: Int, points: Double) {
        let s = score(.occurrences(.init(mode: mode, pointsPerOccurrence: per, cap: cap)), .count(count))
        #expect(s.points == points)
    }

    @Test func negativeCountIsInvalid() {
        let s = score(.occurrences(.init(mode: .deduct, pointsPerOccurrence: 0.25)), .count(-1))
        #expect(s.points == 0 && s.issue == .negativeValue(-1))
    }

    @Test("manual points are clamped into [0, max] with an issue", arguments: [
        (1.25, 1.25, false), (2.0, 2.0, false), (2.5, 2.0, true), (-1.0, 0.0, true),
    ])
    func manual(entered: Double, points: Double, hasIssue: Bool) {
        let s = score(.manual(step: 0.25), .points(entered))
        #expect(s.points == points)
        #expect((s.issue != nil) == hasIssue)
    }

    @Test func strictValidationRejectsOffStepAndOutOfRange() {
        #expect(throws: ScoringError.pointsOffStep(1.1, step: 0.25)) {
            try LeafScorer.validate(.manual(step: 0.25), maxPoints: 2, allowsNotApplicable: false, input: .points(1.1))
        }
        #expect(throws: ScoringError.pointsOutOfRange(3, max: 2)) {
            try LeafScorer.validate(.manual(step: 0.25), maxPoints: 2, allowsNotApplicable: false, input: .points(3))
        }
        #expect(throws: Never.self) {
            try LeafScorer.validate(.manual(step: 0.25), maxPoints: 2, allowsNotApplicable: false, input: .points(1.75))
        }
        #expect(throws: ScoringError.notApplicableNotAllowed) {
            try LeafScorer.validate(.yesNo, maxPoints: 2, allowsNotApplicable: false, input: .notApplicable)
        }
    }

    @Test func surveyIsNeverSelfScored() {
        #expect(!ScoringMethod.survey(source: "sipas").isSelfScored)
        #expect(ScoringMethod.yesNo.isSelfScored)
        #expect(score(.survey(source: "sipas"), max: 10, .points(8.37)).points == 8.37)
    }

    @Test func formulaIsClampedIntoRange() throws {
        let f = try Formula("a * 3", inputs: [.init(name: "a", label: "A")])
        #expect(score(.formula(f), .values(["a": 0.5])).points == 1.5)
        #expect(score(.formula(f), .values(["a": 5])).points == 2)
        #expect(score(.formula(f), .values(["a": -5])).points == 0)
        #expect(score(.formula(f), .values([:])).issue == .formula(.missingInput("a")))
    }
}
