import Foundation

extension BallotImport {
    /// One unit rated on a keyed ballot, with its answers by question code.
    public struct Rating: Sendable, Hashable {
        public var unit: String
        public var answers: [String: String]

        public init(unit: String, answers: [String: String]) {
            self.unit = unit
            self.answers = answers
        }
    }

    /// A whole keyed ballot: at least one rated unit, exactly one on a one-unit form, no unit
    /// twice, and every rating valid (``validateOne(number:group:unit:answers:context:)``).
    /// Every problem is reported, with row 0 and the field it concerns.
    public static func validateEntry(number: String, group: String, ratings: [Rating],
                                     context: BallotImportContext) -> Result<[ParsedBallot], BallotRowErrors> {
        var errors: [ImportRowError] = []
        var ballots: [ParsedBallot] = []
        if ratings.isEmpty {
            errors.append(ImportRowError(row: 0, field: "don_vi", messageVI: "Phiếu chưa có đơn vị được đánh giá."))
        }
        if context.questionnaire.targetMode == .single && ratings.count > 1 {
            errors.append(ImportRowError(row: 0, field: "don_vi", messageVI: "Phiếu này chỉ đánh giá một đơn vị."))
        }
        var seen: Set<String> = []
        for r in ratings {
            guard seen.insert(r.unit).inserted else {
                errors.append(ImportRowError(row: 0, field: "don_vi", messageVI: "Đơn vị \(r.unit) được đánh giá hai lần trên cùng một phiếu."))
                continue
            }
            switch validateOne(number: number, group: group, unit: r.unit, answers: r.answers, context: context) {
            case let .success(b): ballots.append(b)
            case let .failure(e): errors.append(contentsOf: e.errors)
            }
        }
        return errors.isEmpty ? .success(ballots) : .failure(BallotRowErrors(errors))
    }
}

/// The compact text a ballot's answers are stored in: choice codes in question order,
/// comma-separated, empty for no answer (`5,4,,3`). Codes rather than indices, so stored
/// ballots stay readable and raw (several formulas can run on them later).
public struct StoredAnswers: Sendable {
    private let codes: [[String]]
    private let lookups: [[String: UInt8]]

    public init(_ q: Questionnaire) {
        codes = q.questions.map { q.choices(of: $0).map(\.code) }
        lookups = codes.map { list in Dictionary(list.enumerated().map { ($1, UInt8($0)) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// Choice indices (``ParsedBallot/answers``) → `5,4,,3`.
    public func encode(_ answers: [UInt8]) -> String {
        answers.enumerated().map { i, a in
            a == ParsedBallot.missing || i >= codes.count || Int(a) >= codes[i].count ? "" : codes[i][Int(a)]
        }.joined(separator: ",")
    }

    /// `5,4,,3` → choice indices; unknown codes, missing and extra values read as no answer.
    public func decode(_ text: String) -> [UInt8] {
        var answers = [UInt8](repeating: ParsedBallot.missing, count: codes.count)
        for (i, code) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() where i < answers.count {
            answers[i] = lookups[i][String(code)] ?? ParsedBallot.missing
        }
        return answers
    }
}
