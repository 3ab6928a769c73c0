/// Appraisal of a self-assessment (seed 004 section I.4.2: the secretariat appraises
/// and sends its results to the council; here round 1 with comments, the unit's explanation,
/// round 2, then the council). An appraiser records the input they
/// accept for a criterion — the same kind of input the unit gave, so the engine scores both
/// by the same rule and every granted point stays explainable. Where it differs from the
/// claim, a written reason is required. The latest stage that has a value stands.
public enum AppraisalStage: String, CaseIterable, Codable, Sendable, Comparable {
    case round1 = "round1"
    case round2 = "round2"
    case council

    public var labelVI: String {
        switch self {
        case .round1: "Thẩm định vòng 1"
        case .round2: "Thẩm định vòng 2"
        case .council: "Hội đồng điều chỉnh"
        }
    }

    /// The campaign phase in which this stage may write.
    public var phase: CampaignPhase {
        switch self {
        case .round1: .appraisalRound1
        case .round2: .appraisalRound2
        case .council: .councilReview
        }
    }

    public static func < (a: AppraisalStage, b: AppraisalStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public enum AppraisalError: DomainError, Equatable {
    case reasonRequired(leaf: String)
    case notSubmitted
    case notAssigned(leaf: String)
    case explanationNotRequested(leaf: String)

    public var code: String {
        switch self {
        case .reasonRequired: "appraisal.reason_required"
        case .notSubmitted: "appraisal.not_submitted"
        case .notAssigned: "appraisal.not_assigned"
        case .explanationNotRequested: "appraisal.explanation_not_requested"
        }
    }

    public var messageVI: String {
        switch self {
        case let .reasonRequired(leaf): "Tiêu chí \(leaf): phải ghi lý do khi kết quả thẩm định khác điểm đơn vị tự chấm."
        case .notSubmitted: "Đơn vị chưa gửi bản tự đánh giá; chưa thể thẩm định."
        case let .notAssigned(leaf): "Bạn không được phân công thẩm định tiêu chí \(leaf)."
        case let .explanationNotRequested(leaf): "Tiêu chí \(leaf) không có ý kiến thẩm định vòng 1 khác điểm tự chấm, nên không cần giải trình."
        }
    }
}

public enum AppraisalRules {
    /// Refuses a changed value without a reason.
    public static func check(leaf: String, claimed: LeafInput?, appraised: LeafInput, reason: String) throws(AppraisalError) {
        if claimed != appraised && reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .reasonRequired(leaf: leaf)
        }
    }

    /// The input that stands for a leaf: the latest appraisal stage that has one, else the claim.
    public static func standing(claimed: LeafInput?, appraised: [AppraisalStage: LeafInput]) -> LeafInput? {
        for stage in AppraisalStage.allCases.reversed() { if let v = appraised[stage] { return v } }
        return claimed
    }

    /// An appraiser assigned to a node appraises every leaf below it (the usual practice:
    /// the department that owns a field appraises that field for every unit).
    public static func covers(_ assignedCodes: [String], leaf: String) -> Bool {
        assignedCodes.contains { leaf == $0 || leaf.hasPrefix($0 + ".") }
    }
}

import Foundation
