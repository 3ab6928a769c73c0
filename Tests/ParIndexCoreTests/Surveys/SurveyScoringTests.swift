import Foundation
import Testing
@testable import ParIndexCore

@Suite struct SurveyScoringTests {
    /// Option index of a code on the five-point scale ("1"→0 … "5"→4, "0"→5), 255 = missing.
    static func idx(_ code: Character?) -> UInt8 {
        guard let code else { return ParsedBallot.missing }
        return code == "0" ? 5 : UInt8(String(code))! - 1
    }

    static func ballot(_ number: String, _ group: String, unit: Int = 0, _ codes: String) -> ParsedBallot {
        ParsedBallot(line: 0, number: number, group: group, unit: unit,
                     answers: codes.map { $0 == "." ? ParsedBallot.missing : idx($0) })
    }

    let units = ["SNV", "STP", "SYT"]
    /// SNV: two citizens and one business; STP: one ballot with no opinion only.
    var ballots: [ParsedBallot] {
        [Self.ballot("1", "cd", "5420"), Self.ballot("2", "cd", "344."), Self.ballot("3", "dn", "4155"),
         Self.ballot("4", "cd", unit: 1, "0000")]
    }

    func tallies(_ bs: [ParsedBallot]? = nil, q: Questionnaire = smallQuestionnaire()) -> SurveyTallies {
        var builder = SurveyTallyBuilder(questionnaire: q, unitCodes: units)
        builder.add(contentsOf: bs ?? ballots)
        return builder.build()
    }

    func groups(cd: Double, dn: Double) -> [RespondentGroup] {
        [RespondentGroup(code: "cd", name: "Người dân", formID: "thu", plannedBallots: 640, quotaPerUnit: 40, weight: cd),
         RespondentGroup(code: "dn", name: "Doanh nghiệp", formID: "thu", plannedBallots: 100, quotaPerUnit: 10, weight: dn)]
    }

    @Test func talliesCountValidNoOpinionMissingAndSatisfied() {
        let t = tallies()
        #expect(Set(t.units.keys) == ["SNV", "STP"])
        let cd = t["SNV"]!["cd"]!
        #expect(cd.ballots == 2)
        #expect(cd.questions[0] == QuestionTally(answered: 2, scoreSum: 8, satisfied: 1))
        #expect(cd.questions[2] == QuestionTally(answered: 2, scoreSum: 6, satisfied: 1))
        #expect(cd.questions[3] == QuestionTally(answered: 0, noOpinion: 1, missing: 1))
        #expect(t["SNV"]!["dn"]!.questions.map(\.answered) == [1, 1, 1, 1])
        #expect(t["STP"]!["cd"]!.questions.map(\.noOpinion) == [1, 1, 1, 1])
    }

    @Test func talliesMergeByAddition() {
        let whole = tallies()
        let merged = tallies(Array(ballots.prefix(2))).merging(tallies(Array(ballots.dropFirst(2))))
        #expect(merged == whole)
    }

    @Test func aBallotRatingSeveralUnitsCountsOnceForEach() {
        let q = smallQuestionnaire(mode: .multiple)
        let t = tallies([Self.ballot("1", "cd", unit: 0, "4444"), Self.ballot("1", "cd", unit: 2, "2222")], q: q)
        #expect(t["SNV"]!["cd"]!.ballots == 1 && t["SYT"]!["cd"]!.ballots == 1)
        #expect(t["SYT"]!["cd"]!.questions[0].scoreSum == 2)
    }

    /// Hand-checked: weights cd 1, dn 2.
    /// Scores cd 5,3 | 4,4 | 2,4 | –   dn 4 | 1 | 5 | 5
    /// mean = (22 + 2·15) / (6 + 2·4) = 52/14; satisfied = (4 + 2·3) / 14 = 10/14
    /// element A (q1, q2) = (3 + 2·1) / (4 + 2·2) = 5/8; element B (q3, q4) = (1 + 2·2) / (2 + 2·2) = 5/6
    /// SIPAS index = (5/8 + 5/6) / 2 = 0.729166…
    @Test func sipasScoreWeighsGroupsAndAveragesElements() throws {
        let scoring = try SurveyScoring(questionnaire: smallQuestionnaire(), groups: groups(cd: 1, dn: 2))
        let s = try #require(scoring.score(tallies(), unit: "SNV", maxPoints: 10))
        #expect(s.ballots == 3 && s.validAnswers == 10)
        #expect(abs(s.meanScore - 52.0 / 14) < 1e-12)
        #expect(abs(s.shareSatisfied - 10.0 / 14) < 1e-12)
        #expect(s.maxScore == 5)
        #expect(s.sections.map(\.code) == ["a", "b"])
        #expect(s.sections.map(\.validAnswers) == [6, 4])
        #expect(abs(s.sections[0].shareSatisfied! - 5.0 / 8) < 1e-12)
        #expect(abs(s.sections[1].shareSatisfied! - 5.0 / 6) < 1e-12)
        #expect(abs(s.sections[0].meanScore! - 26.0 / 8) < 1e-12)
        #expect(abs(s.index - (5.0 / 8 + 5.0 / 6) / 2) < 1e-12)
        #expect(s.points == 7.29)
        #expect(s.explanationVI == "max × index = 10 × 0,7292 = 7,29")
        #expect(s.groups.map(\.code) == ["cd", "dn"])
        #expect(s.groups.map(\.name) == ["Người dân", "Doanh nghiệp"])
        #expect(s.groups.map(\.ballots) == [2, 1])
        #expect(abs(s.groups[0].meanScore! - 22.0 / 6) < 1e-12 && s.groups[1].shareSatisfied == 0.75)
        let q4 = s.questions[3]
        #expect(q4.code == "q4" && q4.section == "b" && q4.validAnswers == 1 && q4.noOpinion == 1 && q4.meanScore == 5)
        #expect(s.questions[0].meanScore == 4 && s.questions[0].shareSatisfied == 0.75)
    }

    @Test func equalWeightsPoolTheAnswers() throws {
        let scoring = try SurveyScoring(questionnaire: smallQuestionnaire(), groups: groups(cd: 1, dn: 1))
        let s = try #require(scoring.score(tallies(), unit: "SNV", maxPoints: 10))
        #expect(abs(s.meanScore - 37.0 / 10) < 1e-12)
        #expect(abs(s.shareSatisfied - 7.0 / 10) < 1e-12)
        // The no-opinion and missing answers of q4 are not in any mean or share.
        #expect(s.questions[3].validAnswers == 1)
    }

    @Test func noValidAnswerMeansNoScore() throws {
        let scoring = try SurveyScoring(questionnaire: smallQuestionnaire(), groups: groups(cd: 1, dn: 1))
        #expect(scoring.score(tallies(), unit: "STP", maxPoints: 10) == nil)
        #expect(scoring.score(tallies(), unit: "SYT", maxPoints: 10) == nil)
    }

    @Test func organisationalIndexIsTheShareAndFormulasAreReadable() throws {
        var q = smallQuestionnaire(mode: .multiple)
        let scoring = try SurveyScoring(questionnaire: q, groups: groups(cd: 1, dn: 1))
        let s = try #require(scoring.score(tallies(q: q), unit: "SNV", maxPoints: 18.5))
        #expect(s.index == s.shareSatisfied)
        // max * mean_score / max_score = 18,5 × 3,7 : 5 = 13,69
        #expect(s.points == 13.69)
        #expect(s.explanationVI == "max × mean_score / max_score = 18,5 × 3,7 / 5 = 13,69")

        q.pointsFormula = "max * share_satisfied + 0.5 * ballots"
        let clamped = try #require(SurveyScoring(questionnaire: q, groups: []).score(tallies(q: q), unit: "SNV", maxPoints: 10))
        #expect(clamped.points == 8.5)
        #expect(clamped.explanationVI == "max × share_satisfied + 0,5 × ballots = 10 × 0,7 + 0,5 × 3 = 8,5")
        q.pointsFormula = "max * share_satisfied + ballots"
        let over = try #require(SurveyScoring(questionnaire: q, groups: []).score(tallies(q: q), unit: "SNV", maxPoints: 8))
        #expect(over.points == 8)
        #expect(over.explanationVI == "max × share_satisfied + ballots = 8 × 0,7 + 3 = 8,6; giới hạn trong khoảng 0–8: 8")

        q.pointsFormula = "max * index / (ballots - 3)"
        let broken = try #require(SurveyScoring(questionnaire: q, groups: []).score(tallies(q: q), unit: "SNV", maxPoints: 10))
        #expect(broken.points == 0 && broken.explanationVI.contains("Phép chia cho 0"))
    }

    @Test func scoringRefusesBadGroupsAndFormulas() {
        #expect(throws: SurveyError.invalidGroups(issues: ["Trọng số của nhóm “dn” phải là số không âm."])) {
            try SurveyScoring(questionnaire: smallQuestionnaire(), groups: groups(cd: 1, dn: -1))
        }
        var q = smallQuestionnaire()
        q.pointsFormula = "max * diem"
        #expect(throws: SurveyError.self) { try SurveyScoring(questionnaire: q, groups: []) }
        #expect(SurveyScoring.formulaInputs.map(\.name) == ["max", "index", "share_satisfied", "mean_score", "max_score", "ballots"])
    }
}
