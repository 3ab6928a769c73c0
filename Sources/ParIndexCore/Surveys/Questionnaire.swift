import Foundation

/// The two surveys of the PAR index (876/QĐ-BNV; SIPAS 1001/QĐ-BNV).
public enum SurveyKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Leaders and delegates rate the units' reform work ("ý kiến của tổ chức").
    case organisational
    /// Citizens and businesses rate the service they received.
    case sipas

    public var labelVI: String {
        switch self {
        case .organisational: "Điều tra ý kiến của tổ chức"
        case .sipas: "Đo lường sự hài lòng (SIPAS)"
        }
    }

    /// The readable default rule that turns a unit's tallies into points of its survey criterion.
    public var defaultPointsFormula: String {
        switch self {
        case .organisational: "max * mean_score / max_score"
        case .sipas: "max * index"
        }
    }
}

/// Whether one ballot rates one unit (a citizen after a service) or several units
/// (a delegate rating all 18 departments on one sheet).
public enum SurveyTargetMode: String, Sendable, Codable, CaseIterable, Hashable {
    case single
    case multiple
}

/// One answer option. `score == nil` is "no opinion": counted, but not a valid answer.
public struct SurveyChoice: Sendable, Hashable, Codable {
    public var code: String
    public var label: String
    public var score: Double?
    /// "Hài lòng" and "Rất hài lòng": counted in the share satisfied.
    public var satisfied: Bool

    public init(code: String, label: String, score: Double?, satisfied: Bool) {
        self.code = code
        self.label = label
        self.score = score
        self.satisfied = satisfied
    }
}

/// A section of the questionnaire; for SIPAS, one of its five elements.
public struct SurveySection: Sendable, Hashable, Codable {
    public var code: String
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// A single-choice question.
public struct SurveyQuestion: Sendable, Hashable, Codable {
    public var code: String
    public var label: String
    /// Code of its section, if any.
    public var section: String?
    /// Name of its list in ``Questionnaire/choiceLists``.
    public var choiceList: String
    public var required: Bool

    public init(code: String, label: String, section: String?, choiceList: String, required: Bool) {
        self.code = code
        self.label = label
        self.section = section
        self.choiceList = choiceList
        self.required = required
    }
}

/// A questionnaire for one survey of a campaign. It travels as XLSForm (``XLSForm``), so
/// forms move to and from KoboToolbox or ODK.
public struct Questionnaire: Sendable, Hashable, Codable {
    /// XLSForm `form_id`, e.g. `sipas-so-2022`.
    public var formID: String
    public var title: String
    /// XLSForm `version`; every ballot records the version it was entered against.
    public var version: String
    public var kind: SurveyKind
    /// The framework survey source whose criterion gets the points (`organisation_survey`, `sipas`).
    public var source: String
    public var targetMode: SurveyTargetMode
    public var sections: [SurveySection]
    public var questions: [SurveyQuestion]
    public var choiceLists: [String: [SurveyChoice]]
    /// Readable rule from tallies to points, in the framework formula language (``SurveyScoring``).
    public var pointsFormula: String

    public init(formID: String, title: String, version: String, kind: SurveyKind, source: String,
                targetMode: SurveyTargetMode, sections: [SurveySection], questions: [SurveyQuestion],
                choiceLists: [String: [SurveyChoice]], pointsFormula: String? = nil) {
        self.formID = formID
        self.title = title
        self.version = version
        self.kind = kind
        self.source = source
        self.targetMode = targetMode
        self.sections = sections
        self.questions = questions
        self.choiceLists = choiceLists
        self.pointsFormula = pointsFormula ?? kind.defaultPointsFormula
    }

    public func choices(of question: SurveyQuestion) -> [SurveyChoice] { choiceLists[question.choiceList] ?? [] }

    /// The highest score any option of the questionnaire carries (5 on a 5-point scale).
    public var maxScore: Double {
        choiceLists.values.flatMap { $0 }.compactMap(\.score).max() ?? 0
    }
}

/// A respondent group of the survey plan (seed 004: provincial council delegates 20, front
/// leaders 4, district leaders 96, citizens and businesses 640).
public struct RespondentGroup: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    /// `formID` of the questionnaire this group answers.
    public var formID: String
    /// Ballots planned in total (one ballot may rate several units).
    public var plannedBallots: Int
    /// Ratings expected per target unit.
    public var quotaPerUnit: Int
    /// Weight of the group in a unit's figures; equal weights pool the ballots.
    public var weight: Double

    public init(code: String, name: String, formID: String, plannedBallots: Int, quotaPerUnit: Int, weight: Double = 1) {
        self.code = code
        self.name = name
        self.formID = formID
        self.plannedBallots = plannedBallots
        self.quotaPerUnit = quotaPerUnit
        self.weight = weight
    }
}
