import Foundation

/// The phases of an index campaign, in order (seed 004 section I.4: each phase has its own
/// deadline — evidence uploaded 25/12/2022 to 24:00 10/01/2023, appraisal 11/01 to 16/01/2023 —
/// and self-scoring locks at its deadline).
public enum CampaignPhase: String, CaseIterable, Codable, Sendable, Comparable {
    case selfAssessment = "self_assessment"
    case appraisalRound1 = "appraisal_round1"
    case explanation
    case appraisalRound2 = "appraisal_round2"
    case councilReview = "council_review"
    case publication

    public var labelVI: String {
        switch self {
        case .selfAssessment: "Tự đánh giá, chấm điểm"
        case .appraisalRound1: "Thẩm định vòng 1"
        case .explanation: "Giải trình"
        case .appraisalRound2: "Thẩm định vòng 2"
        case .councilReview: "Hội đồng xem xét"
        case .publication: "Công bố"
        }
    }

    public static func < (a: CampaignPhase, b: CampaignPhase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A window `[opens, closes)` in absolute time. Seed 004 writes "từ ngày 25/12/2022 đến
/// 24 giờ ngày 10/01/2023": the close is the first instant of 11/01 in Vietnam time, so a
/// save at 23:59:59 on 10/01 is in time and one at 00:00:00 on 11/01 is not.
public struct PhaseWindow: Codable, Sendable, Equatable {
    public var opens: Date
    public var closes: Date

    public init(opens: Date, closes: Date) {
        self.opens = opens
        self.closes = closes
    }

    /// From the first day to the last day inclusive, as administrations write it.
    public static func days(from first: Date, through last: Date) -> PhaseWindow {
        let cal = VietnameseDate.calendar
        let start = cal.startOfDay(for: first)
        let end = cal.date(byAdding: .day, value: 1, to: cal.startOfDay(for: last))!
        return PhaseWindow(opens: start, closes: end)
    }

    public func contains(_ instant: Date) -> Bool { instant >= opens && instant < closes }

    /// The last day of the window as shown to users (`10/01/2023`).
    public var lastDayVI: String { VietnameseDate.format(closes.addingTimeInterval(-1)) }
    public var firstDayVI: String { VietnameseDate.format(opens) }
}
