import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: regimes and periods")
struct StatisticsRegimeTests {
    @Test func fifteenthToFourteenthWindowsAndTheTwentiethDeadline() {
        let regime = ReportRegime(code: "cchc", name: "Báo cáo công tác CCHC định kỳ", reportingUnits: .kinds([.department, .district]),
                                  receivingUnit: "SNV", frequencies: [.quarter, .halfYear, .year])
        let p = regime.periods(year: 2023)
        let q1 = p.first { $0.code == "2023-Q1" }!
        #expect((q1.start, q1.end, q1.deadline) == (CalendarDay(2022, 12, 15), CalendarDay(2023, 3, 14), CalendarDay(2023, 3, 20)))
        let h1 = p.first { $0.code == "2023-H1" }!
        #expect(h1.windowVI == "Từ ngày 15/12/2022 đến ngày 14/06/2023" && h1.labelVI == "6 tháng đầu năm 2023")
        let y = p.first { $0.code == "2023" }!
        // Seed 003's yearly window: 15/12/2022 → 14/12/2023.
        #expect((y.start, y.end) == (CalendarDay(2022, 12, 15), CalendarDay(2023, 12, 14)))
        #expect(p.count == 6)
        #expect(regime.reportingUnits(among: [("SNV", .department), ("X1", .commune), ("H1", .district)]) == ["SNV", "H1"])
    }

    @Test func calendarMonthsAndNineMonths() {
        let months = PeriodGenerator.periods(year: 2024, frequency: .month, cutOff: .calendar, deadline: .dayOfLastMonth(31))
        #expect(months.count == 12 && months[1].end == CalendarDay(2024, 2, 29) && months[1].deadline == CalendarDay(2024, 2, 29))
        let nine = PeriodGenerator.periods(year: 2023, frequency: .nineMonths, cutOff: .fifteenthToFourteenth, deadline: .dayOfLastMonth(20))
        #expect(nine.map(\.windowVI) == ["Từ ngày 15/12/2022 đến ngày 14/09/2023"])
        #expect(PeriodGenerator.periods(year: 2023, frequency: .adHoc, cutOff: .calendar, deadline: .dayOfLastMonth(1)).isEmpty)
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        // 14/06/2023 is a Wednesday: 3 working days → Thu 15, Fri 16, (weekend), Mon 19.
        #expect(PeriodGenerator.workingDays(3, after: CalendarDay(2023, 6, 14), holidays: []) == CalendarDay(2023, 6, 19))
        // With Friday 16 a holiday: Tue 20.
        #expect(PeriodGenerator.workingDays(3, after: CalendarDay(2023, 6, 14), holidays: [CalendarDay(2023, 6, 16)]) == CalendarDay(2023, 6, 20))
        let q = PeriodGenerator.periods(year: 2023, frequency: .halfYear, cutOff: .fifteenthToFourteenth, deadline: .workingDaysAfterCutOff(3))
        #expect(q.first?.deadline == CalendarDay(2023, 6, 19))
    }

    @Test func explicitPeriodsAreCheckedAndDatesParsed() throws {
        #expect(throws: StatisticsError.self) {
            try ReportPeriod(code: "x", labelVI: "X", start: CalendarDay(2023, 6, 2), end: CalendarDay(2023, 6, 1), deadline: CalendarDay(2023, 6, 20))
        }
        #expect(throws: StatisticsError.self) { try CalendarDay(parsing: "31/02/2023") }
        #expect(try CalendarDay(parsing: "01/6/2023") == CalendarDay(2023, 6, 1))
        #expect(ReportOutline.parDefault.sections[0].children.count == 7)
    }
}
