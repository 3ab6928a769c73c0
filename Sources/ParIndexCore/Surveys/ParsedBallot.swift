import Foundation

/// Why a ballot is shown for review. Flags never block an import: a keyer may have
/// entered a real ballot twice, or a respondent may truly be satisfied with everything.
public struct BallotFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// At least three answers and every one the same option.
    public static let straightLined = BallotFlags(rawValue: 1 << 0)
    /// A ballot with the same number (and, on multi-unit ballots, the same unit) is already stored.
    public static let duplicate = BallotFlags(rawValue: 1 << 1)

    public var labelsVI: [String] {
        var labels: [String] = []
        if contains(.straightLined) { labels.append("Mọi câu trả lời giống nhau") }
        if contains(.duplicate) { labels.append("Trùng số phiếu đã nhập") }
        return labels
    }
}

/// A ballot that passed validation, compact enough to hold a million in memory.
public struct ParsedBallot: Sendable, Hashable {
    /// Spreadsheet line of the ballot (0 when keyed on screen).
    public var line: Int
    public var number: String
    /// Respondent group code as the plan spells it.
    public var group: String
    /// Index into the context's `unitCodes`.
    public var unit: Int
    /// Per question, in questionnaire order: index of the option in the question's list,
    /// or ``ParsedBallot/missing``.
    public var answers: [UInt8]
    public var flags: BallotFlags

    public static let missing: UInt8 = 255

    public init(line: Int, number: String, group: String, unit: Int, answers: [UInt8], flags: BallotFlags = []) {
        self.line = line
        self.number = number
        self.group = group
        self.unit = unit
        self.answers = answers
        self.flags = flags
    }
}

/// Errors of one keyed ballot. A collection, so callers use it like `[ImportRowError]`,
/// and a domain error, so the server can throw it as a problem response.
public struct BallotRowErrors: DomainError, RandomAccessCollection, Hashable {
    public var errors: [ImportRowError]
    public init(_ errors: [ImportRowError]) { self.errors = errors }

    public var startIndex: Int { errors.startIndex }
    public var endIndex: Int { errors.endIndex }
    public subscript(position: Int) -> ImportRowError { errors[position] }

    public var code: String { "survey.invalid_ballot" }
    public var messageVI: String { errors.map(\.displayVI).joined(separator: " ") }
}

/// The outcome of validating a ballot file: imports are all or nothing, so a caller
/// stores `ballots` only when ``isValid``.
public struct BallotImportResult: Sendable {
    public var ballots: [ParsedBallot]
    public var errors: [ImportRowError]
    public var isValid: Bool { errors.isEmpty }

    public init(ballots: [ParsedBallot], errors: [ImportRowError]) {
        self.ballots = ballots
        self.errors = errors
    }

    public var flaggedCount: Int { ballots.reduce(0) { $0 + ($1.flags.isEmpty ? 0 : 1) } }
}
