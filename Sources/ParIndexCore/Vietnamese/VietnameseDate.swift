import Foundation

/// Dates as Vietnamese administrations write them: `dd/mm/yyyy`, in Asia/Ho_Chi_Minh.
/// Deadlines in the seeds are local ("24 giờ ngày 10/01/2023"), so the calendar is fixed
/// to Vietnam's time zone whatever the server's.
public enum VietnameseDate {
    public struct ParseError: DomainError, Equatable {
        public let text: String
        public var code: String { "date.invalid" }
        public var messageVI: String { "“\(text)” không phải là ngày hợp lệ (định dạng dd/mm/yyyy)." }
    }

    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    public static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// `05/12/2024` (also accepts `5/12/2024`, `05-12-2024` and ISO `2024-12-05`) → midnight local time.
    public static func parse(_ text: String) throws(ParseError) -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else {
            throw ParseError(text: text)
        }
        let (day, month, year) = parts[0].count == 4 ? (c, b, a) : (a, b, c)
        guard (1900...2200).contains(year), (1...12).contains(month), (1...31).contains(day) else { throw ParseError(text: text) }
        let comps = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: comps),
              calendar.component(.day, from: date) == day else { throw ParseError(text: text) }
        return date
    }

    public static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year], from: date)
        return String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
    }

    public static func formatDateTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        return String(format: "%02d:%02d %02d/%02d/%04d", c.hour!, c.minute!, c.day!, c.month!, c.year!)
    }
}
