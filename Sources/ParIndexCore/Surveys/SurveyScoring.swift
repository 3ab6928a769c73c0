import Foundation

/// Turns tallies into a unit's survey figures and points, by the questionnaire's readable
/// formula (e.g. `max * index`), so a reviewer can recompute the points by hand.
///
/// Weighting: each answer weighs its respondent group's `weight`; with equal weights the
/// answers of all groups are simply pooled.
public struct SurveyScoring: Sendable {
    public static let formulaInputs: [FormulaInput] = [
        FormulaInput(name: "max", label: "Điểm tối đa của tiêu chí"),
        FormulaInput(name: "index", label: "Chỉ số hài lòng (0–1)"),
        FormulaInput(name: "share_satisfied", label: "Tỷ lệ hài lòng (0–1)"),
        FormulaInput(name: "mean_score", label: "Điểm trung bình các câu trả lời hợp lệ"),
        FormulaInput(name: "max_score", label: "Điểm cao nhất của thang đo"),
        FormulaInput(name: "ballots", label: "Số phiếu"),
    ]

    public let questionnaire: Questionnaire
    public let groups: [RespondentGroup]
    public let formula: Formula
    private let weights: [String: Double]

    public init(questionnaire: Questionnaire, groups: [RespondentGroup]) throws(SurveyError) {
        try questionnaire.validate()
        var issues: [String] = []
        var seen = Set<String>()
        for g in groups {
            if !seen.insert(g.code).inserted { issues.append("Mã nhóm “\(g.code)” bị trùng.") }
            if !g.weight.isFinite || g.weight < 0 { issues.append("Trọng số của nhóm “\(g.code)” phải là số không âm.") }
        }
        if !issues.isEmpty { throw .invalidGroups(issues: issues) }
        self.questionnaire = questionnaire
        self.groups = groups
        // validate() has parsed it already.
        formula = try! Formula(questionnaire.pointsFormula, inputs: Self.formulaInputs)
        weights = Dictionary(groups.map { ($0.code, $0.weight) }, uniquingKeysWith: { a, _ in a })
    }

    /// Weighted sums over some answers.
    private struct Sums {
        var count = 0
        var noOpinion = 0
        var weight = 0.0
        var score = 0.0
        var satisfied = 0.0

        mutating func add(_ t: QuestionTally, weight w: Double) {
            count += t.answered
            noOpinion += t.noOpinion
            weight += w * Double(t.answered)
            score += w * t.scoreSum
            satisfied += w * Double(t.satisfied)
        }
        var mean: Double? { weight > 0 ? score / weight : nil }
        var share: Double? { weight > 0 ? satisfied / weight : nil }
    }

    /// The unit's figures and points; nil when the unit has no valid (weighted) answer.
    public func score(_ tallies: SurveyTallies, unit: String, maxPoints: Double) -> SurveyUnitScore? {
        guard let byGroup = tallies[unit] else { return nil }
        // Planned groups first in plan order, then any others (weight 1) by code.
        let planned = groups.map(\.code).filter { byGroup[$0] != nil }
        let others = byGroup.keys.filter { weights[$0] == nil }.sorted()
        let groupOrder = planned + others
        let questions = questionnaire.questions
        var total = Sums()
        var perQuestion = [Sums](repeating: Sums(), count: questions.count)
        var groupScores: [SurveyUnitScore.GroupScore] = []
        var ballots = 0
        for code in groupOrder {
            let tally = byGroup[code]!
            let w = weights[code] ?? 1
            var own = Sums()
            for (i, t) in tally.questions.prefix(questions.count).enumerated() {
                perQuestion[i].add(t, weight: w)
                total.add(t, weight: w)
                own.add(t, weight: 1)
            }
            ballots += tally.ballots
            groupScores.append(.init(code: code, name: groups.first { $0.code == code }?.name ?? code,
                                     ballots: tally.ballots, meanScore: own.mean, shareSatisfied: own.share))
        }
        guard let mean = total.mean, let share = total.share else { return nil }

        var sectionScores: [SurveyUnitScore.SectionScore] = []
        for section in questionnaire.sections {
            var s = Sums()
            for (i, q) in questions.enumerated() where q.section == section.code {
                s.count += perQuestion[i].count
                s.weight += perQuestion[i].weight
                s.score += perQuestion[i].score
                s.satisfied += perQuestion[i].satisfied
            }
            sectionScores.append(.init(code: section.code, label: section.label, validAnswers: s.count,
                                       meanScore: s.mean, shareSatisfied: s.share))
        }
        let sectionShares = sectionScores.compactMap(\.shareSatisfied)
        let index = questionnaire.kind == .sipas && !sectionShares.isEmpty
            ? sectionShares.reduce(0, +) / Double(sectionShares.count)
            : share

        let questionScores = questions.enumerated().map { i, q in
            SurveyUnitScore.QuestionScore(code: q.code, label: q.label, section: q.section,
                                          validAnswers: perQuestion[i].count, noOpinion: perQuestion[i].noOpinion,
                                          meanScore: perQuestion[i].mean, shareSatisfied: perQuestion[i].share)
        }
        let values: [String: Double] = [
            "max": maxPoints, "index": index, "share_satisfied": share, "mean_score": mean,
            "max_score": questionnaire.maxScore, "ballots": Double(ballots),
        ]
        let (points, explanation) = evaluate(values, maxPoints: maxPoints)
        return SurveyUnitScore(unit: unit, ballots: ballots, validAnswers: total.count, meanScore: mean,
                               maxScore: questionnaire.maxScore, shareSatisfied: share, index: index,
                               sections: sectionScores, groups: groupScores, questions: questionScores,
                               points: points, maxPoints: maxPoints, formula: formula.source, explanationVI: explanation)
    }

    /// Points and the sentence that shows how they came out.
    private func evaluate(_ values: [String: Double], maxPoints: Double) -> (Double, String) {
        let shown = Self.display(formula.source)
        let substituted = Self.display(formula.source, values: values)
        let raw: Double
        do {
            raw = try formula.evaluate(values)
        } catch {
            return (0, "\(shown) = \(substituted): \(error.messageVI) Điểm tính là 0.")
        }
        let clamped = min(max(raw, 0), max(maxPoints, 0))
        let points = (clamped * 100).rounded(.toNearestOrAwayFromZero) / 100
        var text = "\(shown) = \(substituted) = \(VietnameseNumber.format(raw))"
        if clamped != raw {
            text += "; giới hạn trong khoảng 0–\(VietnameseNumber.format(maxPoints)): \(VietnameseNumber.format(points))"
        }
        return (points, text)
    }

    /// The formula as people write it (`×` for `*`), with input names replaced by their
    /// values in Vietnamese notation when `values` is given. A name followed by `(` is a
    /// function (`max(a, b)`), not the input `max`.
    static func display(_ source: String, values: [String: Double]? = nil) -> String {
        let chars = Array(source)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isLetter || c == "_" {
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                let name = String(chars[start..<i])
                var j = i
                while j < chars.count, chars[j] == " " { j += 1 }
                let isCall = j < chars.count && chars[j] == "("
                if !isCall, let values, let v = values[name] {
                    out += VietnameseNumber.format(v, fractionDigits: 4)
                } else {
                    out += name
                }
                continue
            }
            if c.isNumber || c == "." {
                // Literals in Vietnamese notation too: 0.5 → 0,5.
                let start = i
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                let literal = String(chars[start..<i])
                out += Double(literal).map { VietnameseNumber.format($0, fractionDigits: 6) } ?? literal
                continue
            }
            out += c == "*" ? "×" : String(c)
            i += 1
        }
        return out
    }
}
