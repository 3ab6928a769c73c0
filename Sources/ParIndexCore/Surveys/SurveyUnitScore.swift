import Foundation

/// A unit's survey figures and the points they give its survey criterion.
/// Means are on the option scores (1…5); shares are 0…1; nil where nothing was answered.
public struct SurveyUnitScore: Sendable, Codable, Hashable {
    public struct SectionScore: Sendable, Codable, Hashable {
        public var code: String
        public var label: String
        public var validAnswers: Int
        public var meanScore: Double?
        public var shareSatisfied: Double?
    }

    public struct GroupScore: Sendable, Codable, Hashable {
        public var code: String
        public var name: String
        public var ballots: Int
        public var meanScore: Double?
        public var shareSatisfied: Double?
    }

    public struct QuestionScore: Sendable, Codable, Hashable {
        public var code: String
        public var label: String
        public var section: String?
        public var validAnswers: Int
        public var noOpinion: Int
        public var meanScore: Double?
        public var shareSatisfied: Double?
    }

    public var unit: String
    public var ballots: Int
    public var validAnswers: Int
    public var meanScore: Double
    public var maxScore: Double
    public var shareSatisfied: Double
    /// SIPAS: mean of the element (section) shares satisfied; organisational: the share satisfied.
    public var index: Double
    public var sections: [SectionScore]
    public var groups: [GroupScore]
    public var questions: [QuestionScore]
    /// Formula result clamped to 0…maxPoints and rounded to two decimals.
    public var points: Double
    public var maxPoints: Double
    public var formula: String
    /// E.g. `max × index = 10 × 0,8734 = 8,73`.
    public var explanationVI: String
}
