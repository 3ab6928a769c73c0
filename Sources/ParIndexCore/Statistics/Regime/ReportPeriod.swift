import Foundation

/// How often a regime reports (the list the Government used when it cut duplicate regimes).
public enum ReportFrequency: String, Sendable, Hashable, CaseIterable {
    case month, quarter, halfYear = "half_year", nineMonths = "nine_months", year, adHoc = "ad_hoc"

    public var labelVI: String {
        switch self {
        case .month: "hằng tháng"
        case .quarter: "hằng quý"
        case .halfYear: "6 tháng"
        case .nineMonths: "9 tháng"
        case .year: "hằng năm"
        case .adHoc: "đột xuất"
        }
    }

    /// (first month, last month) of each period of a year; ad hoc periods have none.
    var periodMonths: [(Int, Int)] {
        switch self {
        case .month: (1...12).map { ($0, $0) }
        case .quarter: [(1, 3), (4, 6), (7, 9), (10, 12)]
        case .halfYear: [(1, 6)]
        case .nineMonths: [(1, 9)]
        case .year: [(1, 12)]
        case .adHoc: []
        }
    }
}

/// The data window of a period. Presets only: every period stores explicit dates, because
/// real windows are irregular (seed 002: 10/12/2022 → 01/06/2023).
public enum CutOffPreset: Sendable, Hashable {
    /// The common rule (YEAR-ROUND §1): the 15th of the month before the period → the 14th
    /// of its last month (year: 15/12 → 14/12; 6 months: 15/12 → 14/6).
    case fifteenthToFourteenth
    /// Calendar periods: 1st of the first month → last day of the last month.
    case calendar
    /// Day `n` of the month before the period → day `n` of its last month (10/12 → 10/12 occurs).
    case dayToDay(Int)
}

/// When a period's report is due.
public enum DeadlineRule: Sendable, Hashable {
    /// Day `n` of the period's last month (the Ministry of Home Affairs' PAR reports: the 20th).
    case dayOfLastMonth(Int)
    /// `n` working days after the cut-off: weekends and the given holidays skipped.
    case workingDaysAfterCutOff(Int)
}

/// One period instance of a regime: explicit dates, whatever preset produced them.
public struct ReportPeriod: Sendable, Hashable, Comparable {
    /// `2023-Q1`, `2023-H1`, `2023-9M`, `2023`, `2023-05`, or a free code for ad hoc periods.
    public var code: String
    public var labelVI: String
    public var start: CalendarDay
    public var end: CalendarDay
    public var deadline: CalendarDay

    public init(code: String, labelVI: String, start: CalendarDay, end: CalendarDay, deadline: CalendarDay) throws(StatisticsError) {
        guard start <= end else {
            throw .invalidPeriod("Kỳ báo cáo “\(labelVI)”: ngày bắt đầu \(start) sau ngày kết thúc \(end).")
        }
        guard deadline >= end else {
            throw .invalidPeriod("Kỳ báo cáo “\(labelVI)”: hạn nộp \(deadline) trước ngày chốt số liệu \(end).")
        }
        self.code = code
        self.labelVI = labelVI
        self.start = start
        self.end = end
        self.deadline = deadline
    }

    /// The form header's "Từ ngày … đến ngày …".
    public var windowVI: String { "Từ ngày \(start) đến ngày \(end)" }

    public func contains(_ day: CalendarDay) -> Bool { start <= day && day <= end }

    public static func < (a: ReportPeriod, b: ReportPeriod) -> Bool { (a.start, a.end) < (b.start, b.end) }
}

public enum PeriodGenerator {
    /// The periods of `year` for a frequency, cut-off preset and deadline rule.
    public static func periods(year: Int, frequency: ReportFrequency, cutOff: CutOffPreset, deadline: DeadlineRule,
                               holidays: Set<CalendarDay> = []) -> [ReportPeriod] {
        frequency.periodMonths.enumerated().compactMap { i, months in
            let (first, last) = months
            let (start, end): (CalendarDay, CalendarDay) = switch cutOff {
            case .fifteenthToFourteenth: (CalendarDay(year, first, 15).adding(months: -1), CalendarDay(year, last, 14))
            case .calendar: (CalendarDay(year, first, 1), CalendarDay(year, last, CalendarDay.daysIn(year: year, month: last)))
            case .dayToDay(let n):
                (CalendarDay(year, first, min(n, 28)).adding(months: -1),
                 CalendarDay(year, last, min(n, CalendarDay.daysIn(year: year, month: last))))
            }
            let due = deadlineDay(deadline, lastMonth: CalendarDay(year, last, 1), cutOff: end, holidays: holidays)
            let (code, label) = naming(frequency, year: year, index: i, last: last)
            return try? ReportPeriod(code: code, labelVI: label, start: start, end: end, deadline: max(due, end))
        }
    }

    public static func deadlineDay(_ rule: DeadlineRule, lastMonth: CalendarDay, cutOff: CalendarDay,
                                   holidays: Set<CalendarDay>) -> CalendarDay {
        switch rule {
        case .dayOfLastMonth(let n):
            return CalendarDay(lastMonth.year, lastMonth.month, min(n, CalendarDay.daysIn(year: lastMonth.year, month: lastMonth.month)))
        case .workingDaysAfterCutOff(let n):
            return workingDays(n, after: cutOff, holidays: holidays)
        }
    }

    /// The `n`th working day after `day` (Saturday, Sunday and `holidays` are not).
    public static func workingDays(_ n: Int, after day: CalendarDay, holidays: Set<CalendarDay>) -> CalendarDay {
        var d = day, left = n
        while left > 0 {
            d = d.adding(days: 1)
            if !d.isWeekend && !holidays.contains(d) { left -= 1 }
        }
        return d
    }

    static func naming(_ f: ReportFrequency, year: Int, index: Int, last: Int) -> (String, String) {
        switch f {
        case .month: (String(format: "%04d-%02d", year, last), "Tháng \(last) năm \(year)")
        case .quarter: ("\(year)-Q\(index + 1)", "Quý \(["I", "II", "III", "IV"][index]) năm \(year)")
        case .halfYear: ("\(year)-H1", "6 tháng đầu năm \(year)")
        case .nineMonths: ("\(year)-9M", "9 tháng năm \(year)")
        case .year: ("\(year)", "Năm \(year)")
        case .adHoc: ("\(year)-\(index)", "Đột xuất")
        }
    }
}

extension CutOffPreset {
    /// `15-14`, `calendar`, `day:10`: how a regime stores its preset.
    public var code: String {
        switch self {
        case .fifteenthToFourteenth: "15-14"
        case .calendar: "calendar"
        case .dayToDay(let n): "day:\(n)"
        }
    }

    public init?(code: String) {
        switch code {
        case "15-14": self = .fifteenthToFourteenth
        case "calendar": self = .calendar
        default:
            guard code.hasPrefix("day:"), let n = Int(code.dropFirst(4)), (1...28).contains(n) else { return nil }
            self = .dayToDay(n)
        }
    }

    public var labelVI: String {
        switch self {
        case .fifteenthToFourteenth: "số liệu từ ngày 15 của tháng trước kỳ đến ngày 14 của tháng cuối kỳ"
        case .calendar: "số liệu theo tháng dương lịch (từ ngày 01 của tháng đầu đến ngày cuối của tháng cuối kỳ)"
        case .dayToDay(let n): "số liệu từ ngày \(n) của tháng trước kỳ đến ngày \(n) của tháng cuối kỳ"
        }
    }
}

extension DeadlineRule {
    /// `day:20`, `workdays:5`: how a regime stores its rule.
    public var code: String {
        switch self {
        case .dayOfLastMonth(let n): "day:\(n)"
        case .workingDaysAfterCutOff(let n): "workdays:\(n)"
        }
    }

    public init?(code: String) {
        let parts = code.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]) else { return nil }
        switch parts[0] {
        case "day" where (1...31).contains(n): self = .dayOfLastMonth(n)
        case "workdays" where (1...60).contains(n): self = .workingDaysAfterCutOff(n)
        default: return nil
        }
    }

    public var labelVI: String {
        switch self {
        case .dayOfLastMonth(let n): "hạn nộp ngày \(n) của tháng cuối kỳ"
        case .workingDaysAfterCutOff(let n): "hạn nộp \(n) ngày làm việc sau ngày chốt số liệu"
        }
    }
}
