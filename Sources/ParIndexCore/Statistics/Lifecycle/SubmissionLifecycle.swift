import Foundation

/// A submission's state (DHIS2's approval model with the return step practice asks for).
public enum SubmissionState: String, Sendable, Hashable, CaseIterable {
    case draft, submitted, returned, accepted, approved

    public var labelVI: String {
        switch self {
        case .draft: "đang soạn"
        case .submitted: "đã nộp"
        case .returned: "bị trả lại"
        case .accepted: "đã tiếp nhận"
        case .approved: "đã phê duyệt"
        }
    }

    /// The unit may still edit its figures.
    public var isEditable: Bool { self == .draft || self == .returned }
}

/// Why a submission cannot be edited, always said (DHIS2's users could not tell until
/// messages were added: "entry concluded", "approved", "locked").
public enum LockReason: Sendable, Hashable {
    case approved
    case accepted
    case submitted
    case pastDeadline(CalendarDay)

    public var code: String {
        switch self {
        case .approved: "approved"
        case .accepted: "accepted"
        case .submitted: "submitted"
        case .pastDeadline: "past_deadline"
        }
    }

    public var messageVI: String {
        switch self {
        case .approved: "Báo cáo đã được phê duyệt nên không thể sửa; cần hủy phê duyệt (có lý do) trước khi sửa."
        case .accepted: "Báo cáo đã được cấp trên tiếp nhận nên không thể sửa; cấp trên có thể trả lại để sửa."
        case .submitted: "Báo cáo đã nộp, đang chờ cấp trên xem xét nên không thể sửa."
        case .pastDeadline(let d): "Báo cáo đã quá hạn nộp (hạn cuối ngày \(d)); đề nghị cấp trên gia hạn cho đơn vị."
        }
    }
}

/// What can happen to a submission.
public enum SubmissionAction: Sendable, Hashable {
    /// Submit, with an explanation (giải trình) for each high-importance violation, keyed by ``Violation/key``.
    case submit(violations: [Violation], explanations: [String: String])
    case returnForRevision(reason: String)
    case accept
    /// Approve, given the states of the units below that report to this one.
    case approve(children: [ChildSubmission])
    case unapprove(reason: String)

    var labelVI: String {
        switch self {
        case .submit: "nộp"
        case .returnForRevision: "trả lại"
        case .accept: "tiếp nhận"
        case .approve: "phê duyệt"
        case .unapprove: "hủy phê duyệt"
        }
    }
}

public struct ChildSubmission: Sendable, Hashable {
    public var unitName: String
    public var state: SubmissionState?

    /// `state` nil: the unit has no submission for the period at all.
    public init(unitName: String, state: SubmissionState?) {
        self.unitName = unitName
        self.state = state
    }
}

/// The deadline of one unit for one period: the period's, or its extension.
public struct UnitDeadline: Sendable, Hashable {
    public var deadline: CalendarDay
    public var extendedTo: CalendarDay?

    public init(deadline: CalendarDay, extendedTo: CalendarDay? = nil) {
        self.deadline = deadline
        self.extendedTo = extendedTo
    }

    public var effective: CalendarDay { max(deadline, extendedTo ?? deadline) }

    /// A deadline "ngày 20" holds until the end of the 20th, Vietnam time.
    public func isPast(at now: Date) -> Bool { now >= effective.end }
}

/// The lifecycle as pure functions; the server stores the result and audits the step.
public enum SubmissionLifecycle {
    /// Why `state` cannot be edited at `now`, or nil when it can.
    public static func lockReason(_ state: SubmissionState, deadline: UnitDeadline, now: Date) -> LockReason? {
        switch state {
        case .approved: .approved
        case .accepted: .accepted
        case .submitted: .submitted
        case .draft, .returned: deadline.isPast(at: now) ? .pastDeadline(deadline.effective) : nil
        }
    }

    /// The state after `action`, or the reason it is refused.
    public static func apply(_ action: SubmissionAction, to state: SubmissionState, deadline: UnitDeadline,
                             now: Date) throws(StatisticsError) -> SubmissionState {
        func refuse() -> StatisticsError { .transitionNotAllowed(from: state, actionVI: action.labelVI) }
        switch action {
        case .submit(let violations, let explanations):
            guard state.isEditable else { throw refuse() }
            if let lock = lockReason(state, deadline: deadline, now: now) { throw .locked(lock) }
            let unexplained = violations.filter {
                $0.blocksSubmission && (explanations[$0.key]?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true)
            }
            if !unexplained.isEmpty { throw .unexplainedViolations(unexplained.map(\.messageVI)) }
            return .submitted
        case .returnForRevision(let reason):
            guard state == .submitted || state == .accepted else { throw refuse() }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired(actionVI: "trả lại") }
            return .returned
        case .accept:
            guard state == .submitted else { throw refuse() }
            return .accepted
        case .approve(let children):
            guard state == .accepted else { throw refuse() }
            try ApprovalHierarchy.requireChildrenApproved(children)
            return .approved
        case .unapprove(let reason):
            guard state == .approved else { throw refuse() }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired(actionVI: "hủy phê duyệt") }
            return .accepted
        }
    }
}

public enum ApprovalHierarchy {
    /// DHIS2's rule: a level approves only after every unit under it that reports to it is
    /// approved. Refuses naming each unit that is not (a commune still in draft, say).
    public static func requireChildrenApproved(_ children: [ChildSubmission]) throws(StatisticsError) {
        let pending = children.filter { $0.state != .approved }
        guard pending.isEmpty else {
            throw .childrenNotApproved(pending.map { "\($0.unitName) (\($0.state?.labelVI ?? "chưa có báo cáo"))" })
        }
    }
}
