import Foundation

/// Counts of one question among the ballots of one group for one unit.
public struct QuestionTally: Sendable, Codable, Hashable {
    /// Valid answers: an option with a score.
    public var answered: Int
    /// "No opinion": counted, but neither scored nor in the share satisfied.
    public var noOpinion: Int
    /// Left empty on an optional question.
    public var missing: Int
    public var scoreSum: Double
    /// Valid answers with a "satisfied" option.
    public var satisfied: Int

    public init(answered: Int = 0, noOpinion: Int = 0, missing: Int = 0, scoreSum: Double = 0, satisfied: Int = 0) {
        self.answered = answered
        self.noOpinion = noOpinion
        self.missing = missing
        self.scoreSum = scoreSum
        self.satisfied = satisfied
    }

    public func merging(_ o: QuestionTally) -> QuestionTally {
        QuestionTally(answered: answered + o.answered, noOpinion: noOpinion + o.noOpinion, missing: missing + o.missing,
                      scoreSum: scoreSum + o.scoreSum, satisfied: satisfied + o.satisfied)
    }
}

/// What one respondent group said about one unit.
public struct GroupTally: Sendable, Codable, Hashable {
    /// Ballots rating the unit (a ballot rating several units counts once for each).
    public var ballots: Int
    /// In questionnaire order.
    public var questions: [QuestionTally]

    public init(ballots: Int = 0, questions: [QuestionTally] = []) {
        self.ballots = ballots
        self.questions = questions
    }

    public func merging(_ o: GroupTally) -> GroupTally {
        let n = max(questions.count, o.questions.count)
        let qs = (0..<n).map { i in
            (i < questions.count ? questions[i] : QuestionTally()).merging(i < o.questions.count ? o.questions[i] : QuestionTally())
        }
        return GroupTally(ballots: ballots + o.ballots, questions: qs)
    }
}

/// Tallies of a survey: unit code → respondent group code → counts. Small (units × groups ×
/// questions), so they are what gets stored and rescored, and batches merge by addition.
public struct SurveyTallies: Sendable, Codable, Hashable {
    public var units: [String: [String: GroupTally]]

    public init(units: [String: [String: GroupTally]] = [:]) { self.units = units }

    public subscript(unit: String) -> [String: GroupTally]? { units[unit] }

    /// Adds another batch's tallies (same questionnaire).
    public func merging(_ other: SurveyTallies) -> SurveyTallies {
        var result = units
        for (unit, groups) in other.units {
            for (group, tally) in groups {
                result[unit, default: [:]][group] = result[unit]?[group].map { $0.merging(tally) } ?? tally
            }
        }
        return SurveyTallies(units: result)
    }
}

/// Builds tallies from parsed ballots with flat integer arrays: per answer one increment,
/// no dictionary or string work (a million ballots hold 25 million answers).
public struct SurveyTallyBuilder: Sendable {
    public let questionnaire: Questionnaire
    public let unitCodes: [String]
    private let questionCount: Int
    /// Slots per question: one per option, the last for "missing".
    private let stride: Int
    private let optionCounts: [Int]
    private var groupCodes: [String] = []
    private var counts: [[Int]] = []
    private var ballots: [[Int]] = []
    private var lastGroup = ""
    private var lastGroupIndex = -1

    public init(questionnaire: Questionnaire, unitCodes: [String]) {
        self.questionnaire = questionnaire
        self.unitCodes = unitCodes
        questionCount = questionnaire.questions.count
        optionCounts = questionnaire.questions.map { questionnaire.choices(of: $0).count }
        stride = (optionCounts.max() ?? 0) + 1
    }

    private mutating func groupIndex(_ code: String) -> Int {
        if lastGroupIndex >= 0 && code == lastGroup { return lastGroupIndex }
        let index: Int
        if let i = groupCodes.firstIndex(of: code) { index = i } else {
            index = groupCodes.count
            groupCodes.append(code)
            counts.append([Int](repeating: 0, count: unitCodes.count * questionCount * stride))
            ballots.append([Int](repeating: 0, count: unitCodes.count))
        }
        lastGroup = code
        lastGroupIndex = index
        return index
    }

    public mutating func add(_ ballot: ParsedBallot) {
        guard ballot.unit >= 0 && ballot.unit < unitCodes.count else { return }
        let g = groupIndex(ballot.group)
        ballots[g][ballot.unit] += 1
        let q = questionCount, s = stride
        optionCounts.withUnsafeBufferPointer { options in
            ballot.answers.withUnsafeBufferPointer { answers in
                counts[g].withUnsafeMutableBufferPointer { c in
                    var base = ballot.unit * q * s
                    for i in 0..<min(q, answers.count) {
                        let a = Int(answers[i])
                        c[base + (a < options[i] ? a : s - 1)] += 1
                        base += s
                    }
                    // A ballot shorter than the questionnaire left the rest unanswered.
                    if answers.count < q {
                        for _ in answers.count..<q { c[base + s - 1] += 1; base += s }
                    }
                }
            }
        }
    }

    public mutating func add<S: Sequence<ParsedBallot>>(contentsOf ballots: S) {
        for b in ballots { add(b) }
    }

    public func build() -> SurveyTallies {
        let choices = questionnaire.questions.map { questionnaire.choices(of: $0) }
        var units: [String: [String: GroupTally]] = [:]
        for (g, group) in groupCodes.enumerated() {
            for (u, unit) in unitCodes.enumerated() where ballots[g][u] > 0 {
                var questions: [QuestionTally] = []
                questions.reserveCapacity(questionCount)
                for q in 0..<questionCount {
                    let base = (u * questionCount + q) * stride
                    var t = QuestionTally(missing: counts[g][base + stride - 1])
                    for (i, choice) in choices[q].enumerated() {
                        let n = counts[g][base + i]
                        if let score = choice.score {
                            t.answered += n
                            t.scoreSum += Double(n) * score
                            if choice.satisfied { t.satisfied += n }
                        } else {
                            t.noOpinion += n
                        }
                    }
                    questions.append(t)
                }
                // Two unit codes that are the same code pool their ballots.
                let tally = GroupTally(ballots: ballots[g][u], questions: questions)
                units[unit, default: [:]][group] = units[unit]?[group].map { $0.merging(tally) } ?? tally
            }
        }
        return SurveyTallies(units: units)
    }
}
