/// The self-assessment grid's counters and warnings: what is still missing, and the two
/// quality checks reviewers ask for (seed 004 section V.2.1: evidence "thiếu, sơ sài và chưa
/// rõ ràng" cost units points; a criterion without full evidence needs a written explanation).
public struct AssessmentProgress: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var input: LeafInput?
        public var points: Double
        public var evidenceCount: Int
        public var explanation: String
        public init(input: LeafInput?, points: Double, evidenceCount: Int, explanation: String) {
            self.input = input
            self.points = points
            self.evidenceCount = evidenceCount
            self.explanation = explanation
        }
    }

    public enum Warning: String, Sendable, Equatable, Codable {
        /// Points claimed but no document attached and no explanation written.
        case scoredWithoutEvidence = "scored_without_evidence"
        /// Marked not applicable without saying why.
        case notApplicableWithoutExplanation = "not_applicable_without_explanation"

        public var messageVI: String {
            switch self {
            case .scoredWithoutEvidence: "Đã chấm điểm nhưng chưa có tài liệu kiểm chứng; cần đính kèm tài liệu hoặc ghi giải trình."
            case .notApplicableWithoutExplanation: "Chọn “không áp dụng” nhưng chưa ghi lý do."
            }
        }
    }

    public var total: Int
    public var filled: Int
    public var missingCodes: [String]
    public var warnings: [String: [Warning]]

    public var missing: Int { total - filled }

    /// `selfScoredLeaves` in framework order (survey leaves excluded by the caller).
    public static func compute(selfScoredLeaves: [String], entries: [String: Entry]) -> AssessmentProgress {
        var filled = 0
        var missing: [String] = []
        var warnings: [String: [Warning]] = [:]
        for code in selfScoredLeaves {
            guard let e = entries[code], let input = e.input else { missing.append(code); continue }
            filled += 1
            let explained = !e.explanation.trimmingCharacters(in: .whitespaces).isEmpty
            if case .notApplicable = input {
                if !explained { warnings[code, default: []].append(.notApplicableWithoutExplanation) }
            } else if e.points > 0 && e.evidenceCount == 0 && !explained {
                warnings[code, default: []].append(.scoredWithoutEvidence)
            }
        }
        return AssessmentProgress(total: selfScoredLeaves.count, filled: filled, missingCodes: missing, warnings: warnings)
    }
}
