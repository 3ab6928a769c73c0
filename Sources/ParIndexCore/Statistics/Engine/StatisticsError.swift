import Foundation

/// Errors of the statistics module outside form files: values that do not fit the form,
/// and lifecycle steps that are not allowed (each says why, in Vietnamese).
public enum StatisticsError: DomainError, Hashable {
    case unknownRow(String)
    case unknownColumn(String)
    case computedCellTyped(column: String, row: String)
    case textInNumberCell(column: String, row: String, text: String)
    case numberInTextCell(column: String, row: String)
    case notANumber(String)
    /// A lifecycle step not allowed from the current state.
    case transitionNotAllowed(from: SubmissionState, actionVI: String)
    case reasonRequired(actionVI: String)
    case locked(LockReason)
    /// High-importance violations without an explanation (giải trình) block submission.
    case unexplainedViolations([String])
    /// DHIS2's rule: a level approves only after all the units under it that report to it.
    case childrenNotApproved([String])
    case invalidPeriod(String)
    /// The unit tree's parent links go round in a circle.
    case unitTreeCycle([String])

    public var code: String {
        switch self {
        case .unknownRow: "statistics.unknown_row"
        case .unknownColumn: "statistics.unknown_column"
        case .computedCellTyped: "statistics.computed_cell_typed"
        case .textInNumberCell: "statistics.text_in_number_cell"
        case .numberInTextCell: "statistics.number_in_text_cell"
        case .notANumber: "statistics.not_a_number"
        case .transitionNotAllowed: "statistics.transition_not_allowed"
        case .reasonRequired: "statistics.reason_required"
        case .locked: "statistics.locked"
        case .unexplainedViolations: "statistics.unexplained_violations"
        case .childrenNotApproved: "statistics.children_not_approved"
        case .invalidPeriod: "statistics.invalid_period"
        case .unitTreeCycle: "statistics.unit_tree_cycle"
        }
    }

    public var messageVI: String {
        switch self {
        case .unknownRow(let r): "Biểu mẫu không có dòng '\(r)'."
        case .unknownColumn(let c): "Biểu mẫu không có cột '\(c)'."
        case .computedCellTyped(let c, let r):
            "Ô cột '\(c)', dòng '\(r)' được tính tự động từ các ô khác, không nhập trực tiếp."
        case .textInNumberCell(let c, let r, let t): "Ô cột '\(c)', dòng '\(r)' phải là số, nhưng có \"\(t)\"."
        case .numberInTextCell(let c, let r): "Ô cột '\(c)', dòng '\(r)' là ô văn bản, không nhập số."
        case .notANumber(let t): "“\(t)” không phải là số hợp lệ (ví dụ: 82,4 hoặc 2.476)."
        case .transitionNotAllowed(let s, let a): "Không thể \(a) báo cáo đang ở trạng thái “\(s.labelVI)”."
        case .reasonRequired(let a): "Cần ghi rõ lý do khi \(a) báo cáo."
        case .locked(let r): "Báo cáo bị khóa: \(r.messageVI)"
        case .unexplainedViolations(let list):
            "Chưa thể nộp báo cáo: còn \(VietnameseNumber.format(list.count)) lỗi nghiêm trọng chưa có giải trình:\n"
                + list.map { "- " + $0 }.joined(separator: "\n")
        case .childrenNotApproved(let names):
            "Chưa thể phê duyệt: các đơn vị trực thuộc sau chưa được phê duyệt báo cáo: \(names.joined(separator: "; "))."
        case .invalidPeriod(let d): d
        case .unitTreeCycle(let units):
            "Cây đơn vị có vòng lặp cấp trên – cấp dưới: \(units.joined(separator: " → ")); không thể tổng hợp."
        }
    }
}
