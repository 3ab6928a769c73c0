import Testing
@testable import ParIndexCore

@Suite("Bands, head-of-unit rating and review flags (seed 004)")
struct RatingAndFlagsTests {
    @Test("seed 004 bands", arguments: [
        (100.0, "Từ 90% trở lên"), (90.0, "Từ 90% trở lên"), (89.9999, "Từ 80% đến dưới 90%"),
        (80.0, "Từ 80% đến dưới 90%"), (79.99, "Từ 70% đến dưới 80%"), (70.0, "Từ 70% đến dưới 80%"),
        (69.99, "Dưới 70%"), (0.0, "Dưới 70%"),
    ])
    func bands(percent: Double, label: String) {
        #expect(BandTable.seed004.band(for: percent)?.label == label)
    }

    @Test func customBandsWithWords() {
        let table = BandTable([.init(label: "Khá", minPercent: 70), .init(label: "Tốt", minPercent: 85)])
        #expect(table.band(for: 90)?.label == "Tốt")
        #expect(table.band(for: 75)?.label == "Khá")
        #expect(table.band(for: 60) == nil)
    }

    @Test("seed 004 rating rules", arguments: [
        (95.0, [85.0, 80, 90], HeadRating.excellent),
        (95.0, [85.0, 79.9, 90], .good),           // index ≥ 90 but a field under 80
        (85.0, [75.0, 70, 90], .good),
        (85.0, [75.0, 69.9, 90], .completed),      // 80 – 90 % but weakest field under 70: "completed", not "good"
        (85.0, [75.0, 49.9, 90], .notCompleted),   // a field under 50 %
        (70.0, [70.0, 50, 90], .completed),
        (65.0, [65.0, 65, 65], .completed),
        (64.99, [90.0, 90, 90], .notCompleted),
        (90.0, [Double](), .excellent),
    ])
    func rating(index: Double, fields: [Double], expected: HeadRating) {
        #expect(RatingRuleTable.seed004.rate(indexPercent: index, fieldPercents: fields) == expected)
    }

    @Test func unitAt80To90WithWeakFieldRatesCompletedThroughTheEngine() {
        // Fields 1–8 of seed 004's department framework; field 3 (16 points) at 65 %.
        let unit = ScoringFixtures.department(1, percents: [95, 90, 65, 90, 90, 90, 90, 90])
        let u = ResultsEngine(framework: ScoringFixtures.department).compute([unit]).units[0]
        #expect(u.indexPercent >= 80 && u.indexPercent < 90)
        #expect(u.band?.label == "Từ 80% đến dưới 90%")
        #expect(u.rating == .completed)
        #expect(u.reviewFieldCodes == ["3"])
    }

    @Test func ratingFieldsCanBeRestricted() {
        var config = ResultsConfiguration.seed004
        config.rating.fieldCodes = ["1", "2", "3", "4", "5", "6", "7"]   // surveys (8) set no floor
        let unit = ScoringFixtures.department(1, percents: [100, 100, 100, 100, 100, 100, 100, 75])
        let engine = ResultsEngine(framework: ScoringFixtures.department, configuration: config)
        #expect(engine.compute([unit]).units[0].rating == .excellent)
        #expect(ResultsEngine(framework: ScoringFixtures.department).compute([unit]).units[0].rating == .good)
    }

    @Test("mandatory review under 75 % in fields 3 and 7", arguments: [
        ([90.0, 90, 74.99, 90, 90, 90, 90, 90], ["3"]),
        ([90.0, 90, 75, 90, 90, 90, 74, 90], ["7"]),
        ([90.0, 90, 50, 90, 90, 90, 50, 90], ["3", "7"]),
        ([50.0, 50, 80, 50, 50, 50, 80, 50], []),
    ])
    func reviewFlags(percents: [Double], flagged: [String]) {
        let u = ResultsEngine(framework: ScoringFixtures.department).compute([ScoringFixtures.department(1, percents: percents)]).units[0]
        #expect(u.reviewFieldCodes == flagged)
        #expect(u.requiresReview == !flagged.isEmpty)
    }

    @Test func flaggedAgainTheYearAfterReview() {
        let weak3 = [90.0, 90, 60, 90, 90, 90, 90, 90]
        let fine = [90.0, 90, 90, 90, 90, 90, 90, 90]
        let units = [ScoringFixtures.department(1, percents: weak3),   // flagged last year in 3, again now
                     ScoringFixtures.department(2, percents: fine),    // flagged last year, improved
                     ScoringFixtures.department(3, percents: weak3)]   // first time flagged
        // Last year field 3 was numbered "2" (renumbered framework): the crosswalk maps it.
        let previous = PreviousCampaign(ranks: [:], reviewFieldCodes: [ScoringFixtures.id(1): ["2"], ScoringFixtures.id(2): ["2"]],
                                        crosswalk: Crosswalk(previousCodes: ["3": "2"]))
        let r = ResultsEngine(framework: ScoringFixtures.department).compute(units, previous: previous)
        #expect(r.units.map(\.flaggedAgainAfterReview) == [true, false, false])
        #expect(r.units[0].repeatedReviewFieldCodes == ["3"])
    }

    @Test func previousCampaignFromLastYearsResult() {
        let engine = ResultsEngine(framework: ScoringFixtures.department)
        let last = engine.compute([ScoringFixtures.department(1, percents: [90, 90, 60, 90, 90, 90, 90, 90]),
                                   ScoringFixtures.department(2, percents: [95, 95, 95, 95, 95, 95, 95, 95])])
        let previous = PreviousCampaign(last, crosswalk: Crosswalk())
        let now = engine.compute([ScoringFixtures.department(1, percents: [99, 99, 70, 99, 99, 99, 99, 99]),
                                  ScoringFixtures.department(2, percents: [90, 90, 90, 90, 90, 90, 90, 90])], previous: previous)
        #expect(now.units.map(\.rankChange) == [1, -1])
        #expect(now.units[0].flaggedAgainAfterReview)
        #expect(now.units[0].repeatedReviewFieldCodes == ["3"])
    }
}
