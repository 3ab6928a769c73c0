import Foundation

/// A date without a time, as report periods and deadlines are written (`14/12/2023`).
/// Kept as numbers so that period arithmetic never depends on the server's time zone.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `10/12/2022`.
    public init(parsing text: String) throws(StatisticsError) {
        guard let date = try? VietnameseDate.parse(text) else {
            throw .invalidPeriod("“\(text)” không phải là ngày hợp lệ (định dạng dd/mm/yyyy).")
        }
        self.init(date)
    }

    /// The day `date` falls on in Vietnam.
    public init(_ date: Date) {
        let c = VietnameseDate.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(c.year!, c.month!, c.day!)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// Midnight at the start of the day, Vietnam time.
    public var start: Date { VietnameseDate.calendar.date(from: DateComponents(year: year, month: month, day: day))! }
    /// Midnight at its end: a deadline "ngày 20" holds until 24:00 of the 20th.
    public var end: Date { adding(days: 1).start }

    public func adding(days: Int) -> CalendarDay { CalendarDay(VietnameseDate.calendar.date(byAdding: .day, value: days, to: start)!) }

    /// Same day `months` later, clamped to the month's length (31/01 + 1 month → 28/02).
    public func adding(months: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDay(y, m, min(day, Self.daysIn(year: y, month: m)))
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        VietnameseDate.calendar.range(of: .day, in: .month, for: CalendarDay(year, month, 1).start)!.count
    }

    public var isWeekend: Bool {
        let w = VietnameseDate.calendar.component(.weekday, from: start)
        return w == 1 || w == 7
    }

    public var description: String { String(format: "%02d/%02d/%04d", day, month, year) }
}
