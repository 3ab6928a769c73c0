import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: submission lifecycle")
struct StatisticsLifecycleTests {
    let deadline = UnitDeadline(deadline: CalendarDay(2023, 12, 20))
    let before = CalendarDay(2023, 12, 20).start.addingTimeInterval(23 * 3600) // 23:00 on the 20th, Vietnam time
    let after = CalendarDay(2023, 12, 21).start.addingTimeInterval(60)

    func violation(_ importance: Importance) throws -> Violation {
        let tthc = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml")
        var v = try #require(tthc.evaluate(try tthc.grid(["tong": Seed003.y2023])).violations.first)
        v.importance = importance
        return v
    }

    @Test func fullPathToApproval() throws {
        var s = SubmissionState.draft
        s = try SubmissionLifecycle.apply(.submit(violations: [], explanations: [:]), to: s, deadline: deadline, now: before)
        #expect(s == .submitted)
        s = try SubmissionLifecycle.apply(.returnForRevision(reason: "Số liệu cột 3 chưa khớp"), to: s, deadline: deadline, now: before)
        #expect(s == .returned)
        s = try SubmissionLifecycle.apply(.submit(violations: [], explanations: [:]), to: s, deadline: deadline, now: before)
        s = try SubmissionLifecycle.apply(.accept, to: s, deadline: deadline, now: after)
        s = try SubmissionLifecycle.apply(.approve(children: []), to: s, deadline: deadline, now: after)
        #expect(s == .approved)
        #expect(SubmissionLifecycle.lockReason(s, deadline: deadline, now: before) == .approved)
        #expect(throws: StatisticsError.reasonRequired(actionVI: "hủy phê duyệt")) {
            try SubmissionLifecycle.apply(.unapprove(reason: "  "), to: s, deadline: deadline, now: after)
        }
        #expect(try SubmissionLifecycle.apply(.unapprove(reason: "Phát hiện sai số liệu"), to: s, deadline: deadline, now: after) == .accepted)
    }

    @Test func returningNeedsAReasonAndStepsOutOfOrderAreRefused() {
        #expect(throws: StatisticsError.reasonRequired(actionVI: "trả lại")) {
            try SubmissionLifecycle.apply(.returnForRevision(reason: ""), to: .submitted, deadline: deadline, now: before)
        }
        let e = #expect(throws: StatisticsError.self) { try SubmissionLifecycle.apply(.approve(children: []), to: .draft, deadline: deadline, now: before) }
        #expect(e?.messageVI == "Không thể phê duyệt báo cáo đang ở trạng thái “đang soạn”.")
        #expect(throws: StatisticsError.self) { try SubmissionLifecycle.apply(.accept, to: .approved, deadline: deadline, now: before) }
    }

    @Test func highViolationsBlockSubmissionUnlessExplained() throws {
        let high = try violation(.high)
        let e = #expect(throws: StatisticsError.self) {
            try SubmissionLifecycle.apply(.submit(violations: [high], explanations: [high.key: " "]), to: .draft, deadline: deadline, now: before)
        }
        #expect(e?.messageVI.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463") == true)
        #expect(try SubmissionLifecycle.apply(.submit(violations: [high], explanations: [high.key: "Số liệu theo phần mềm một cửa"]),
                                              to: .draft, deadline: deadline, now: before) == .submitted)
        // Medium and low are warnings.
        #expect(try SubmissionLifecycle.apply(.submit(violations: [try violation(.medium)], explanations: [:]), to: .draft,
                                              deadline: deadline, now: before) == .submitted)
    }

    @Test func deadlineLocksUnlessExtendedAndTheReasonIsSaid() throws {
        #expect(SubmissionLifecycle.lockReason(.draft, deadline: deadline, now: before) == nil)
        let lock = try #require(SubmissionLifecycle.lockReason(.draft, deadline: deadline, now: after))
        #expect(lock.messageVI == "Báo cáo đã quá hạn nộp (hạn cuối ngày 20/12/2023); đề nghị cấp trên gia hạn cho đơn vị.")
        #expect(throws: StatisticsError.locked(.pastDeadline(CalendarDay(2023, 12, 20)))) {
            try SubmissionLifecycle.apply(.submit(violations: [], explanations: [:]), to: .draft, deadline: deadline, now: after)
        }
        let extended = UnitDeadline(deadline: CalendarDay(2023, 12, 20), extendedTo: CalendarDay(2023, 12, 27))
        #expect(try SubmissionLifecycle.apply(.submit(violations: [], explanations: [:]), to: .draft, deadline: extended, now: after) == .submitted)
        #expect(SubmissionLifecycle.lockReason(.submitted, deadline: extended, now: after)?.messageVI.contains("đang chờ cấp trên xem xét") == true)
    }

    @Test func aDistrictApprovesOnlyAfterEveryCommuneNamingThoseNotApproved() {
        let children = [ChildSubmission(unitName: "Xã Khánh Hà", state: .draft), ChildSubmission(unitName: "Xã Tân Minh", state: .approved),
                        ChildSubmission(unitName: "Thị trấn Thường Tín", state: nil)]
        let e = #expect(throws: StatisticsError.self) {
            try SubmissionLifecycle.apply(.approve(children: children), to: .accepted, deadline: deadline, now: after)
        }
        #expect(e == .childrenNotApproved(["Xã Khánh Hà (đang soạn)", "Thị trấn Thường Tín (chưa có báo cáo)"]))
        #expect(e?.messageVI == "Chưa thể phê duyệt: các đơn vị trực thuộc sau chưa được phê duyệt báo cáo: Xã Khánh Hà (đang soạn); Thị trấn Thường Tín (chưa có báo cáo).")
        let approved = children.map { ChildSubmission(unitName: $0.unitName, state: .approved) }
        #expect((try? SubmissionLifecycle.apply(.approve(children: approved), to: .accepted, deadline: deadline, now: after)) == .approved)
    }

    @Test func completenessAndTimeliness() {
        let d = deadline
        let ext = UnitDeadline(deadline: CalendarDay(2023, 12, 20), extendedTo: CalendarDay(2023, 12, 22))
        let reports = [
            ExpectedReport(unitCode: "A", state: .approved, submittedAt: before, deadline: d),
            ExpectedReport(unitCode: "B", state: .submitted, submittedAt: after, deadline: d),
            ExpectedReport(unitCode: "C", state: .accepted, submittedAt: after, deadline: ext),
            ExpectedReport(unitCode: "D", state: .returned, submittedAt: before, deadline: d),
            ExpectedReport(unitCode: "E", state: nil, submittedAt: nil, deadline: d),
        ]
        let c = Completeness(reports, now: after)
        #expect((c.expected, c.submitted, c.onTime, c.late, c.missing) == (5, 3, 2, 1, 2))
        #expect(c.lateUnits == ["B"] && c.missingUnits == ["D", "E"] && c.overdueUnits == ["D", "E"])
        #expect(c.reportingRate == 0.6 && c.onTimeRate == 0.4)
        #expect(Completeness(reports, now: before).overdueUnits.isEmpty)
    }
}
