import Foundation

/// What a campaign does with units that never submitted their self-assessment (issue #19: the
/// 2023 departments campaign went public with twelve units at "0/100 – Không hoàn thành nhiệm
/// vụ"). The default leaves them out of the ranking, listed as "chưa nộp".
public enum UnsubmittedPolicy: String, Codable, Sendable, CaseIterable {
    /// Listed as "chưa nộp", without a rank or a rank change.
    case exclude
    /// Scored 0, ranked, and flagged as not submitted.
    case zero

    public var labelVI: String {
        switch self {
        case .exclude: "Không xếp hạng đơn vị chưa nộp (ghi “chưa nộp”)"
        case .zero: "Tính 0 điểm cho đơn vị chưa nộp và đánh dấu"
        }
    }
}

/// What a publication would make public, shown to the publisher before they confirm
/// (issue #19: four clicks and no confirmation published a half-done campaign).
public struct PublicationPreview: Codable, Sendable, Hashable {
    public struct RankChange: Codable, Sendable, Hashable {
        public var unit: String
        public var previousRank: Int
        public var rank: Int
        /// Places gained (positive) or lost.
        public var change: Int
    }

    /// The version the publication would write (1 for the first publication).
    public var version: Int
    public var policy: UnsubmittedPolicy
    public var unitCount: Int
    /// Unit names, sorted Vietnamese-style by the caller.
    public var submitted: [String]
    public var appraised: [String]
    public var notSubmitted: [String]
    public var withoutSurveyPoints: [String]
    public var rankChanges: [RankChange]
    /// Echoed back by the publisher: the counts in clear and a fingerprint of every unit's
    /// status and standing numbers, so a publication confirmed on data that has changed since
    /// is refused instead of publishing what nobody saw.
    public var confirmation: String
}

/// The pure rules of a publication: when it is allowed and what the confirmation must match.
public enum PublicationPreconditions {
    /// One unit as the publication would show it.
    public struct Unit: Sendable, Hashable {
        public var unitID: UnitID
        public var name: String
        public var submitted: Bool
        /// At least one appraisal stage recorded for the unit.
        public var appraised: Bool
        /// The campaign has survey criteria and the unit has points for them from a closed batch.
        public var hasSurveyPoints: Bool
        /// 0 for an unranked unit.
        public var rank: Int
        public var previousRank: Int?
        public var totalPoints: Double
        public var indexPercent: Double

        public init(unitID: UnitID, name: String, submitted: Bool, appraised: Bool, hasSurveyPoints: Bool, rank: Int,
                    previousRank: Int?, totalPoints: Double, indexPercent: Double) {
            self.unitID = unitID
            self.name = name
            self.submitted = submitted
            self.appraised = appraised
            self.hasSurveyPoints = hasSurveyPoints
            self.rank = rank
            self.previousRank = previousRank
            self.totalPoints = totalPoints
            self.indexPercent = indexPercent
        }
    }

    /// The preview of publishing `units` (in ranking order) as `version`.
    public static func preview(_ units: [Unit], version: Int, policy: UnsubmittedPolicy, surveyExpected: Bool) -> PublicationPreview {
        let submitted = units.filter(\.submitted).map(\.name)
        let appraised = units.filter(\.appraised).map(\.name)
        let notSubmitted = units.filter { !$0.submitted }.map(\.name)
        let noSurvey = surveyExpected ? units.filter { !$0.hasSurveyPoints }.map(\.name) : []
        let changes = units.compactMap { u -> PublicationPreview.RankChange? in
            guard u.rank > 0, let before = u.previousRank, before != u.rank else { return nil }
            return .init(unit: u.name, previousRank: before, rank: u.rank, change: before - u.rank)
        }
        // FNV-1a over a canonical line per unit: a change detector, not a secret.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        mix("v\(version)|\(policy.rawValue)")
        for u in units {
            mix("|\(u.unitID.uuidString)|\(u.submitted)|\(u.appraised)|\(u.hasSurveyPoints)|\(u.rank)|\(u.previousRank ?? -1)|"
                + "\(u.totalPoints.bitPattern)|\(u.indexPercent.bitPattern)")
        }
        let token = "v\(version)-n\(units.count)-s\(submitted.count)-a\(appraised.count)-c\(notSubmitted.count)-k\(noSurvey.count)-"
            + String(hash, radix: 16)
        return PublicationPreview(version: version, policy: policy, unitCount: units.count, submitted: submitted, appraised: appraised,
                                  notSubmitted: notSubmitted, withoutSurveyPoints: noSurvey, rankChanges: changes, confirmation: token)
    }

    /// Throws unless a publication of `preview` is allowed at `instant`: only while the council
    /// review or the publication window is open (issue #19: the 2023 campaign was published
    /// during self-assessment), with something submitted, and — once published — only through
    /// an open correction.
    public static func check(_ preview: PublicationPreview, schedule: CampaignSchedule, at instant: Date,
                             alreadyPublished: Bool, correctionOpen: Bool) throws(PublicationError) {
        try requireWindow(schedule, at: instant)
        if alreadyPublished && !correctionOpen { throw .correctionNotOpen }
        if preview.unitCount == 0 { throw .noUnits }
        if preview.submitted.isEmpty { throw .nothingSubmitted(units: preview.unitCount) }
    }

    /// The window rule alone (also asked before showing the confirmation).
    public static func requireWindow(_ schedule: CampaignSchedule, at instant: Date) throws(PublicationError) {
        let phases: [CampaignPhase] = [.councilReview, .publication]
        let decisions = phases.map { schedule.decision($0, unit: nil, at: instant) }
        if decisions.contains(.open) { return }
        let windows = phases.compactMap { schedule.windows[$0] }
        guard let first = windows.map(\.opens).min(), let last = windows.map(\.closes).max() else { throw .notScheduled }
        if instant < first { throw .notYetOpen(opens: first) }
        if instant >= last { throw .closed(closedAt: last) }
        // Between the two windows (a gap in the calendar).
        throw .notYetOpen(opens: windows.map(\.opens).filter { $0 > instant }.min() ?? first)
    }
}

public enum PublicationError: DomainError, Equatable {
    case notScheduled
    case notYetOpen(opens: Date)
    case closed(closedAt: Date)
    case correctionNotOpen
    case noUnits
    case nothingSubmitted(units: Int)

    public var code: String {
        switch self {
        case .notScheduled, .notYetOpen, .closed: "results.outside_window"
        case .correctionNotOpen: "results.correction_not_open"
        case .noUnits: "results.no_units"
        case .nothingSubmitted: "results.nothing_submitted"
        }
    }

    public var messageVI: String {
        let rule = "Chỉ được công bố kết quả trong thời gian Hội đồng xem xét hoặc giai đoạn Công bố của đợt đánh giá"
        switch self {
        case .notScheduled:
            return "\(rule); đợt đánh giá này chưa lên lịch hai giai đoạn đó. Cơ quan điều phối cần cập nhật lịch trước khi công bố."
        case let .notYetOpen(opens):
            return "\(rule); chưa đến thời gian đó (bắt đầu từ \(VietnameseDate.formatDateTime(opens)))."
        case let .closed(closedAt):
            return "\(rule); đã hết thời gian công bố (hạn chót 24 giờ ngày \(VietnameseDate.format(closedAt.addingTimeInterval(-1))))."
        case .correctionNotOpen:
            return "Kết quả đã được công bố. Muốn công bố lại phải mở đợt hiệu chỉnh (ghi lý do) trước, sửa kết quả thẩm định, rồi công bố lại."
        case .noUnits:
            return "Đợt đánh giá chưa có đơn vị nào; không có gì để công bố."
        case let .nothingSubmitted(units):
            return "Chưa đơn vị nào trong \(VietnameseNumber.format(units)) đơn vị nộp bản tự đánh giá; không có kết quả để công bố."
        }
    }
}
