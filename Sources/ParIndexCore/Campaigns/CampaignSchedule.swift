import Foundation

/// When each phase is open, with per-unit reopenings. The server asks this for every write;
/// the browser's view of the clock never matters.
public struct CampaignSchedule: Codable, Sendable, Equatable {
    public var windows: [CampaignPhase: PhaseWindow]
    /// A coordinator's reopening of one phase for one unit with a new deadline (audited by the server).
    public var reopenings: [Reopening]

    public struct Reopening: Codable, Sendable, Equatable {
        public var unitID: UnitID
        public var phase: CampaignPhase
        public var closes: Date
        public var reason: String
        public init(unitID: UnitID, phase: CampaignPhase, closes: Date, reason: String) {
            self.unitID = unitID
            self.phase = phase
            self.closes = closes
            self.reason = reason
        }
    }

    public init(windows: [CampaignPhase: PhaseWindow] = [:], reopenings: [Reopening] = []) {
        self.windows = windows
        self.reopenings = reopenings
    }

    public enum Decision: Equatable, Sendable {
        case open
        case notYetOpen(opens: Date)
        case closed(closedAt: Date)
        case notScheduled
    }

    /// Whether `phase` accepts writes from `unit` at `instant`. A reopening extends the
    /// phase for that unit only, from now until its new deadline.
    public func decision(_ phase: CampaignPhase, unit: UnitID?, at instant: Date) -> Decision {
        if let unit, let r = reopenings.filter({ $0.unitID == unit && $0.phase == phase }).max(by: { $0.closes < $1.closes }),
           instant < r.closes {
            return .open
        }
        guard let w = windows[phase] else { return .notScheduled }
        if instant < w.opens { return .notYetOpen(opens: w.opens) }
        if instant >= w.closes { return .closed(closedAt: w.closes) }
        return .open
    }

    /// Throws a Vietnamese error unless the phase is open.
    public func requireOpen(_ phase: CampaignPhase, unit: UnitID?, at instant: Date) throws(ScheduleError) {
        switch decision(phase, unit: unit, at: instant) {
        case .open: return
        case let .notYetOpen(opens): throw .notYetOpen(phase: phase, opens: opens)
        case let .closed(closedAt): throw .closed(phase: phase, closedAt: closedAt)
        case .notScheduled: throw .notScheduled(phase: phase)
        }
    }

    /// Windows must be in phase order and not overlap.
    public func validate() -> [String] {
        var problems: [String] = []
        var previous: (CampaignPhase, PhaseWindow)?
        for phase in CampaignPhase.allCases {
            guard let w = windows[phase] else { continue }
            if w.closes <= w.opens { problems.append("\(phase.labelVI): ngày kết thúc phải sau ngày bắt đầu.") }
            if let (p, pw) = previous, w.opens < pw.closes {
                problems.append("\(phase.labelVI) bắt đầu trước khi \(p.labelVI.lowercased()) kết thúc.")
            }
            previous = (phase, w)
        }
        return problems
    }
}

public enum ScheduleError: DomainError, Equatable {
    case notYetOpen(phase: CampaignPhase, opens: Date)
    case closed(phase: CampaignPhase, closedAt: Date)
    case notScheduled(phase: CampaignPhase)

    public var code: String {
        switch self {
        case .notYetOpen: "campaign.phase_not_open"
        case .closed: "campaign.deadline_passed"
        case .notScheduled: "campaign.phase_not_scheduled"
        }
    }

    public var messageVI: String {
        switch self {
        case let .notYetOpen(phase, opens):
            "Giai đoạn “\(phase.labelVI)” chưa mở; bắt đầu từ \(VietnameseDate.formatDateTime(opens))."
        case let .closed(phase, closedAt):
            "Đã hết hạn \(phase.labelVI.lowercased()) (hạn chót 24 giờ ngày \(VietnameseDate.format(closedAt.addingTimeInterval(-1)))). Không thể lưu thay đổi; liên hệ cơ quan điều phối nếu cần mở lại."
        case let .notScheduled(phase):
            "Giai đoạn “\(phase.labelVI)” chưa được lên lịch."
        }
    }
}
