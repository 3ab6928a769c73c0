import Foundation
import Testing
@testable import ParIndexCore

/// Issue #19: the 2023 departments campaign ranked a half-done draft 6th and twelve empty units
/// at 0/100 with "tăng 9 bậc". Units that did not submit are scored on nothing and, by default,
/// left out of the ranking; under the `zero` policy they are ranked at 0 and flagged.
@Suite("Units that did not submit")
struct UnsubmittedPolicyTests {
    let engine = ResultsEngine(framework: ScoringFixtures.department)
    var units: [UnitSubmission] {
        [ScoringFixtures.department(1, percents: Array(repeating: 95, count: 8)),
         // A half-done draft scoring high: must not be ranked.
         ScoringFixtures.department(2, percents: Array(repeating: 99, count: 8)),
         ScoringFixtures.department(3, percents: Array(repeating: 75, count: 8))]
    }
    let submitted: Set<UnitID> = [ScoringFixtures.id(1), ScoringFixtures.id(3)]
    let previous = PreviousCampaign(ranks: [ScoringFixtures.id(1): 1, ScoringFixtures.id(2): 3, ScoringFixtures.id(3): 2])

    @Test func excludedUnitsAreUnrankedAndDoNotPushOthersDown() {
        let r = engine.compute(units, previous: previous, submitted: submitted)
        let draft = r.units[1]
        #expect(!draft.submitted && !draft.ranked && draft.rank == 0 && draft.rankChange == nil)
        #expect(draft.totalPoints == 0, "a draft is not a claim")
        #expect(r.units[0].rank == 1 && r.units[2].rank == 2)
        #expect(r.units[2].rankChange == 0, "unit 3 keeps its place: the draft above it is not ranked")
        #expect(r.ranking.map(\.unitID) == [ScoringFixtures.id(1), ScoringFixtures.id(3), ScoringFixtures.id(2)])
        #expect(PreviousCampaign(r, crosswalk: Crosswalk()).ranks[ScoringFixtures.id(2)] == nil)
    }

    @Test func theZeroPolicyRanksThemAtZeroAndFlagsThem() {
        let r = engine.compute(units, previous: previous, submitted: submitted, policy: .zero)
        let draft = r.units[1]
        #expect(!draft.submitted && draft.ranked && draft.rank == 3 && draft.totalPoints == 0)
        #expect(draft.rating == .notCompleted)
        #expect(draft.rankChange == 0)
    }

    @Test func withoutASetEveryUnitCountsAsSubmitted() {
        let r = engine.compute(units)
        #expect(r.units.allSatisfy { $0.submitted && $0.ranked })
        #expect(r.units[1].rank == 1)
    }
}

@Suite("Publication preconditions")
struct PublicationPreconditionsTests {
    static let day: TimeInterval = 86_400
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func schedule(council: (Double, Double)?, publication: (Double, Double)? = nil) -> CampaignSchedule {
        var s = CampaignSchedule()
        s.windows[.selfAssessment] = PhaseWindow(opens: now.addingTimeInterval(-30 * Self.day), closes: now.addingTimeInterval(-20 * Self.day))
        if let c = council { s.windows[.councilReview] = PhaseWindow(opens: now.addingTimeInterval(c.0 * Self.day), closes: now.addingTimeInterval(c.1 * Self.day)) }
        if let p = publication { s.windows[.publication] = PhaseWindow(opens: now.addingTimeInterval(p.0 * Self.day), closes: now.addingTimeInterval(p.1 * Self.day)) }
        return s
    }

    func unit(_ n: Int, submitted: Bool = true, appraised: Bool = true, survey: Bool = true, rank: Int, previous: Int? = nil,
              total: Double = 80) -> PublicationPreconditions.Unit {
        .init(unitID: ScoringFixtures.id(n), name: "Đơn vị \(n)", submitted: submitted, appraised: appraised, hasSurveyPoints: survey,
              rank: rank, previousRank: previous, totalPoints: total, indexPercent: total)
    }

    @Test func thePreviewCountsWhatGoesOut() {
        let p = PublicationPreconditions.preview([unit(1, rank: 1, previous: 3), unit(2, appraised: false, survey: false, rank: 2, previous: 2),
                                                  unit(3, submitted: false, appraised: false, survey: false, rank: 0, previous: 1)],
                                                 version: 1, policy: .exclude, surveyExpected: true)
        #expect(p.submitted == ["Đơn vị 1", "Đơn vị 2"] && p.appraised == ["Đơn vị 1"] && p.notSubmitted == ["Đơn vị 3"])
        #expect(p.withoutSurveyPoints == ["Đơn vị 2", "Đơn vị 3"])
        #expect(p.rankChanges == [.init(unit: "Đơn vị 1", previousRank: 3, rank: 1, change: 2)], "unranked and unmoved units are not rank changes")
        #expect(p.confirmation.hasPrefix("v1-n3-s2-a1-c1-k2-"))
        let noSurvey = PublicationPreconditions.preview([unit(1, survey: false, rank: 1)], version: 1, policy: .exclude, surveyExpected: false)
        #expect(noSurvey.withoutSurveyPoints.isEmpty, "a framework without survey criteria expects no survey points")
    }

    @Test func theConfirmationChangesWithAnyNumber() {
        let a = PublicationPreconditions.preview([unit(1, rank: 1, total: 80)], version: 1, policy: .exclude, surveyExpected: true)
        let b = PublicationPreconditions.preview([unit(1, rank: 1, total: 80.000001)], version: 1, policy: .exclude, surveyExpected: true)
        let c = PublicationPreconditions.preview([unit(1, rank: 1, total: 80)], version: 2, policy: .exclude, surveyExpected: true)
        #expect(a.confirmation != b.confirmation && a.confirmation != c.confirmation)
        #expect(a.confirmation == PublicationPreconditions.preview([unit(1, rank: 1, total: 80)], version: 1, policy: .exclude,
                                                                     surveyExpected: true).confirmation)
    }

    @Test func onlyInTheCouncilOrPublicationWindow() throws {
        let p = PublicationPreconditions.preview([unit(1, rank: 1)], version: 1, policy: .exclude, surveyExpected: true)
        func check(_ s: CampaignSchedule) throws(PublicationError) {
            try PublicationPreconditions.check(p, schedule: s, at: now, alreadyPublished: false, correctionOpen: false)
        }
        try check(schedule(council: (-1, 1)))
        try check(schedule(council: (-10, -5), publication: (-1, 30)))
        #expect(throws: PublicationError.notScheduled) { try check(schedule(council: nil)) }
        #expect(throws: PublicationError.notYetOpen(opens: now.addingTimeInterval(2 * Self.day))) { try check(schedule(council: (2, 5))) }
        let closed = schedule(council: (-10, -5), publication: (-5, -1))
        #expect(throws: PublicationError.closed(closedAt: now.addingTimeInterval(-1 * Self.day))) { try check(closed) }
        do { try check(schedule(council: (2, 5))) } catch {
            #expect(error.code == "results.outside_window")
            #expect(error.messageVI.contains("Hội đồng xem xét") && error.messageVI.contains("chưa đến thời gian"))
        }
    }

    @Test func aRepublicationNeedsAnOpenCorrectionAndSomethingSubmitted() throws {
        let open = schedule(council: (-1, 1))
        let p = PublicationPreconditions.preview([unit(1, rank: 1)], version: 2, policy: .exclude, surveyExpected: true)
        #expect(throws: PublicationError.correctionNotOpen) {
            try PublicationPreconditions.check(p, schedule: open, at: now, alreadyPublished: true, correctionOpen: false)
        }
        try PublicationPreconditions.check(p, schedule: open, at: now, alreadyPublished: true, correctionOpen: true)
        let none = PublicationPreconditions.preview([unit(1, submitted: false, rank: 0)], version: 1, policy: .exclude, surveyExpected: true)
        #expect(throws: PublicationError.nothingSubmitted(units: 1)) {
            try PublicationPreconditions.check(none, schedule: open, at: now, alreadyPublished: false, correctionOpen: false)
        }
        let empty = PublicationPreconditions.preview([], version: 1, policy: .exclude, surveyExpected: true)
        #expect(throws: PublicationError.noUnits) {
            try PublicationPreconditions.check(empty, schedule: open, at: now, alreadyPublished: false, correctionOpen: false)
        }
    }
}
