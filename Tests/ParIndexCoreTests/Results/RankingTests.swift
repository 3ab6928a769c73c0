import Testing
@testable import ParIndexCore

@Suite("Ranking and rank change")
struct RankingTests {
    @Test("competition ranks", arguments: [
        ([90.0, 80, 80, 70], [1, 2, 2, 4]),
        ([70.0, 80, 90], [3, 2, 1]),
        ([50.0, 50, 50], [1, 1, 1]),
        ([], []),
        ([12.5], [1]),
        ([80, 90, 80, 90], [3, 1, 3, 1]),
    ])
    func ranks(values: [Double], expected: [Int]) {
        #expect(Ranking.competitionRanks(values) == expected)
    }

    // REFERENCES.md: two units both displayed as 84,94 % can hold ranks 4 and 5.
    @Test func ranksUseUnroundedValues() {
        let a = 84.9449, b = 84.9351
        #expect(VietnameseNumber.format(a) == VietnameseNumber.format(b))
        #expect(Ranking.competitionRanks([b, a]) == [2, 1])
    }

    @Test func floatingPointNoiseIsATie() {
        let a = 0.1 + 0.2 + 0.3, b = 0.3 + 0.2 + 0.1
        #expect(a != b)
        #expect(Ranking.competitionRanks([a, b]) == [1, 1])
    }

    @Test func rankChangeAgainstPreviousCampaign() {
        let engine = ResultsEngine(framework: ScoringFixtures.department)
        let units = [
            ScoringFixtures.department(1, percents: Array(repeating: 95, count: 8)),
            ScoringFixtures.department(2, percents: Array(repeating: 85, count: 8)),
            ScoringFixtures.department(3, percents: Array(repeating: 75, count: 8)),
        ]
        let previous = PreviousCampaign(ranks: [ScoringFixtures.id(1): 3, ScoringFixtures.id(2): 2])
        let r = engine.compute(units, previous: previous)
        #expect(r.units.map(\.rank) == [1, 2, 3])
        #expect(r.units.map(\.previousRank) == [3, 2, nil])
        #expect(r.units.map(\.rankChange) == [2, 0, nil])   // up 2 places; same; new entrant
    }

    @Test func rankingListsUnitsInRankOrder() {
        let engine = ResultsEngine(framework: ScoringFixtures.department)
        let r = engine.compute([
            ScoringFixtures.department(1, percents: Array(repeating: 70, count: 8)),
            ScoringFixtures.department(2, percents: Array(repeating: 90, count: 8)),
            ScoringFixtures.department(3, percents: Array(repeating: 70, count: 8)),
        ])
        #expect(r.ranking.map(\.unitID) == [ScoringFixtures.id(2), ScoringFixtures.id(1), ScoringFixtures.id(3)])
        #expect(r.ranking.map(\.rank) == [1, 2, 2])
    }
}
