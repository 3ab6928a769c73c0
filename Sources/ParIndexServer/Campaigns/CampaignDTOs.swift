import Foundation
import ParIndexCore
import Vapor

struct PhaseWindowDTO: Content {
    var phase: String
    var label: String
    /// dd/mm/yyyy, first day.
    var from: String
    /// dd/mm/yyyy, last day (open until 24:00 Vietnam time).
    var to: String
}

struct CampaignDTO: Content {
    var id: UUID
    var name: String
    var year: Int
    var frameworkId: UUID
    var frameworkTitle: String
    var previousCampaignId: UUID?
    /// The unit that runs the campaign (issue #19): rights on the campaign come from roles on it or above.
    var ownerUnitId: UUID
    var ownerUnitCode: String
    var ownerUnitName: String
    var windows: [PhaseWindowDTO]
    var assessments: [AssessmentSummaryDTO]?
    /// Issue #19: `exclude` (units that did not submit are listed "chưa nộp", unranked) or `zero`.
    var unsubmittedPolicy: String?
    /// Issue #12: the campaign's own `results:` block, when it has one (else the framework's rules apply).
    var resultsRules: String?
}

/// The campaign's own results rules: a `results:` block as in a framework file; empty: the framework's.
struct ResultsRulesInput: Content {
    var rules: String
    var reason: String?
}

struct AssessmentSummaryDTO: Content {
    var id: UUID
    var unitId: UUID
    var unitCode: String
    var unitName: String
    var status: String
    var statusLabel: String
    var filled: Int
    var total: Int
}

/// Creating a campaign. Windows are keyed by phase (`self_assessment`, …) with `from`/`to`
/// as `dd/mm/yyyy`. Units: explicit codes, or every active unit of the framework's kind.
struct CampaignInput: Content {
    var name: String
    var year: Int?
    var frameworkId: UUID?
    var previousCampaignId: UUID?
    /// The unit that runs the campaign, by code or id. Default: the creator's one scope unit for
    /// `campaigns.manage`; for an installation-wide holder, the lowest unit above all the
    /// evaluated units. Evaluated units must lie within its subtree.
    var ownerUnitCode: String?
    var ownerUnitId: UUID?
    var unitCodes: [String]?
    var windows: [String: WindowInput]?
    var reason: String?
    /// Start from an earlier campaign: its units, framework (unless given), and its windows a
    /// year later (unless given); the earlier campaign becomes the previous one for rank changes.
    var copyFromCampaignId: UUID?
    /// `exclude` (default) or `zero`: see ``UnsubmittedPolicy``.
    var unsubmittedPolicy: String?

    struct WindowInput: Content {
        var from: String?
        var to: String?
    }
}

struct ScheduleInput: Content {
    var windows: [String: CampaignInput.WindowInput]?
    var reason: String?
    /// `exclude` or `zero`; unchanged when absent.
    var unsubmittedPolicy: String?
}

extension UnsubmittedPolicy {
    /// The policy named in a form or body; nil when absent, a problem under `unsubmittedPolicy` when unknown.
    static func parse(_ raw: String?, problems: inout [AppError.FieldProblem]) -> UnsubmittedPolicy? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let p = UnsubmittedPolicy(rawValue: raw) else {
            problems.append(.init(field: "unsubmittedPolicy",
                                  message: "Cách xử lý đơn vị chưa nộp “\(raw)” không hợp lệ; chọn “exclude” (không xếp hạng) hoặc “zero” (tính 0 điểm)."))
            return nil
        }
        return p
    }
}

struct ReopenInput: Content {
    var unitCode: String
    /// New deadline, dd/mm/yyyy (open until 24:00 that day).
    var until: String
    var reason: String
}

extension CampaignSchedule {
    var windowDTOs: [PhaseWindowDTO] {
        CampaignPhase.allCases.compactMap { p in
            windows[p].map { PhaseWindowDTO(phase: p.rawValue, label: p.labelVI, from: $0.firstDayVI, to: $0.lastDayVI) }
        }
    }
}
