import Foundation

/// Why a questionnaire or a survey plan cannot be used. Every problem is listed at once,
/// so whoever maintains the form fixes them in one pass rather than one per upload.
public enum SurveyError: DomainError, Hashable {
    /// The questionnaire itself is inconsistent (``Questionnaire/validate()``).
    case invalidQuestionnaire(issues: [String])
    /// The respondent groups given to ``SurveyScoring`` cannot weigh answers.
    case invalidGroups(issues: [String])

    public var issues: [String] {
        switch self {
        case .invalidQuestionnaire(let issues), .invalidGroups(let issues): issues
        }
    }

    public var code: String {
        switch self {
        case .invalidQuestionnaire: "survey.invalid_questionnaire"
        case .invalidGroups: "survey.invalid_groups"
        }
    }

    public var messageVI: String {
        let head = switch self {
        case .invalidQuestionnaire: "Phiếu khảo sát không hợp lệ"
        case .invalidGroups: "Nhóm người trả lời không hợp lệ"
        }
        return head + ": " + issues.joined(separator: " ")
    }
}
