/// A unit's self-assessment: drafted by the reporter, approved by the head of unit, then
/// submitted, which locks it (seed 004 section I.4.1: the unit self-scores,
/// then files its report for appraisal). A coordinator can reopen a
/// submitted assessment with a reason; editing after the head's approval withdraws it, so
/// the head always approves exactly what is submitted.
public enum AssessmentStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case headApproved = "head_approved"
    case submitted

    public var labelVI: String {
        switch self {
        case .draft: "Đang soạn"
        case .headApproved: "Thủ trưởng đã duyệt"
        case .submitted: "Đã gửi (khóa)"
        }
    }
}

public enum AssessmentAction: String, Sendable {
    case edit, approve, submit, reopen
}

public enum AssessmentWorkflowError: DomainError, Equatable {
    case locked
    case needsHeadApproval
    case alreadyApproved
    case notSubmitted
    case incomplete(missing: Int)

    public var code: String {
        switch self {
        case .locked: "assessment.locked"
        case .needsHeadApproval: "assessment.needs_head_approval"
        case .alreadyApproved: "assessment.already_approved"
        case .notSubmitted: "assessment.not_submitted"
        case .incomplete: "assessment.incomplete"
        }
    }

    public var messageVI: String {
        switch self {
        case .locked: "Bản tự đánh giá đã được gửi và bị khóa; không thể sửa. Liên hệ cơ quan điều phối nếu cần mở lại."
        case .needsHeadApproval: "Thủ trưởng đơn vị phải duyệt bản tự đánh giá trước khi gửi."
        case .alreadyApproved: "Bản tự đánh giá đã được thủ trưởng duyệt."
        case .notSubmitted: "Chỉ mở lại được bản tự đánh giá đã gửi."
        case let .incomplete(n): "Còn \(n) tiêu chí chưa chấm điểm; không thể duyệt."
        }
    }
}

public enum AssessmentWorkflow {
    /// The status after `action`, or why it is refused. `missing` counts self-scored leaves
    /// still without an input (approval requires none).
    public static func apply(_ action: AssessmentAction, to status: AssessmentStatus,
                             missing: Int = 0) throws(AssessmentWorkflowError) -> AssessmentStatus {
        switch (action, status) {
        case (.edit, .submitted), (.approve, .submitted), (.submit, .submitted): throw .locked
        case (.edit, _): return .draft
        case (.approve, .headApproved): throw .alreadyApproved
        case (.approve, .draft):
            if missing > 0 { throw .incomplete(missing: missing) }
            return .headApproved
        case (.submit, .draft): throw .needsHeadApproval
        case (.submit, .headApproved): return .submitted
        case (.reopen, .submitted): return .draft
        case (.reopen, _): throw .notSubmitted
        }
    }
}
