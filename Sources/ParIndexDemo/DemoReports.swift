import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// The periodic reports of the demo province (issue #14): the regime "Báo cáo công tác CCHC
/// định kỳ" over the departments, districts and communes, with yearly, 6-month and quarterly
/// periods.
/// - Sở Nội vụ's TTHC figures for 2021, 2022 and 2023 exactly as seed 003 gives them (the
///   report of Sở Nội vụ Hà Tĩnh, carried by the demo's Sở Nội vụ), so the app flags its
///   errors: 2021 "new 578" ≠ 73 + 508 = 581, 2023 total 2.363 ≠ 1.146 + 1.123 + 194 = 2.463,
///   and 224/267 stated as 82,4 % where it is 83,9 %. 2021 and 2022 went up with explanations
///   and were approved; 2023 is still a draft, its errors waiting for the reporter.
/// - A commune's 6-month report with seed 002's figures (xã Khánh Hà: 174 / 156 / 18
///   procedures; 551 received, 551 resolved, 0 pending; 25 news items broadcast) and its
///   irregular window 10/12/2022 → 01/06/2023.
/// - Every other unit with plausible generated figures that add up, some late, one returned,
///   a few missing; and the current quarter open, nobody has reported yet.
enum DemoReports {
    static let forms = ["tthc-ket-qua-giai-quyet", "tthc-thuoc-tham-quyen", "so-hoa-ho-so"]
    /// The commune that carries seed 002's figures.
    static let seed002Commune = "HNS-X2"

    struct Counts { var periods = 0, submissions = 0 }

    static func store(now: Date, on db: any Database) async throws -> Counts {
        guard let province = try await UnitModel.query(on: db).filter(\.$code == DemoProvince.province.0).first() else { return Counts() }
        let units = try await UnitModel.query(on: db).filter(\.$code != DemoProvince.province.0).all()
            .filter { ["department", "district", "commune"].contains($0.kind) }.sorted { $0.code < $1.code }
        let regime = ReportRegimeModel()
        regime.$ownerUnit.id = province.id!
        regime.$receivingUnit.id = province.id!
        regime.code = "cchc-dinh-ky"
        regime.name = "Báo cáo công tác CCHC định kỳ"
        regime.content = "Kết quả thực hiện công tác cải cách hành chính theo bảy nội dung và các biểu số liệu thủ tục hành chính, số hóa hồ sơ."
        regime.unitKinds = "department,district,commune"
        regime.unitCodes = ""
        regime.formCodes = forms.joined(separator: ",")
        regime.frequencies = "quarter,half_year,year"
        regime.cutOff = CutOffPreset.fifteenthToFourteenth.code
        regime.deadlineRule = DeadlineRule.dayOfLastMonth(20).code
        regime.createdBy = "dieuphoi"
        regime.createdAt = DemoCalendar.day(5, 1, 2021, hour: 9)
        try await regime.create(on: db)
        var counts = Counts()
        func period(_ code: String, _ label: String, _ frequency: String, _ start: CalendarDay, _ end: CalendarDay,
                    _ deadline: CalendarDay) async throws -> ReportPeriodModel {
            let p = ReportPeriodModel()
            p.$regime.id = regime.id!
            p.code = code
            p.label = label
            p.frequency = frequency
            p.startsOn = iso(start)
            p.endsOn = iso(end)
            p.deadline = iso(deadline)
            p.openedBy = "dieuphoi"
            p.openedAt = min(start.end, now)
            try await p.create(on: db)
            counts.periods += 1
            return p
        }
        // Yearly: 15/12 of the year before → 14/12, due on the 20th (YEAR-ROUND §1).
        var pendingByUnit: [String: Int] = [:]
        for year in 2021...2023 {
            let p = try await period(String(year), "Năm \(year)", "year", CalendarDay(year - 1, 12, 15), CalendarDay(year, 12, 14),
                                     CalendarDay(year, 12, 20))
            for u in units {
                let s = submission(p, u)
                if u.code == "SNV" {
                    seed003(s, year: year)
                } else {
                    var rng = DemoRandom("reports/\(year)/\(u.code)")
                    let carried = pendingByUnit[u.code] ?? rng.int(in: 0...20)
                    pendingByUnit[u.code] = generated(s, kind: u.kind, carried: carried, &rng)
                    if year < 2023 || rng.chance(0.8) {
                        markHandedIn(s, state: .approved, at: CalendarDay(year, 12, rng.int(in: 10...19)).start.addingTimeInterval(9 * 3600))
                    }
                }
                try await explainBlocking(s, period: p, on: db)
                try await s.create(on: db)
                counts.submissions += 1
            }
        }
        // 6 months of 2023, with seed 002's irregular window for everyone (the district set it).
        let h1 = try await period("2023-H1", "6 tháng đầu năm 2023", "half_year", CalendarDay(2022, 12, 10), CalendarDay(2023, 6, 1),
                                  CalendarDay(2023, 6, 20))
        for (i, u) in units.enumerated() {
            let s = submission(h1, u)
            var rng = DemoRandom("reports/2023-H1/\(u.code)")
            if u.code == seed002Commune {
                seed002(s)
                markHandedIn(s, state: .approved, at: DemoCalendar.day(19, 6, 2023, hour: 16))
            } else if i % 13 == 5 {
                // Missing: nothing entered, past the deadline.
            } else {
                _ = generated(s, kind: u.kind, carried: rng.int(in: 0...15), &rng)
                let late = i % 11 == 3
                let day = late ? DemoCalendar.day(rng.int(in: 22...28), 6, 2023, hour: 10) : DemoCalendar.day(rng.int(in: 12...20), 6, 2023, hour: 10)
                markHandedIn(s, state: i % 4 == 0 ? .submitted : .accepted, at: day)
                if i == 7 {
                    s.state = SubmissionState.returned.rawValue
                    s.returnReason = "Số hồ sơ đã giải quyết chưa khớp với Hệ thống thông tin giải quyết TTHC của tỉnh; đề nghị rà soát lại cột (7)."
                    s.decidedBy = "dieuphoi"
                }
            }
            try await explainBlocking(s, period: h1, on: db)
            try await s.create(on: db)
            counts.submissions += 1
        }
        // The current quarter, open now: nobody has reported yet.
        let today = CalendarDay(now)
        let quarters = PeriodGenerator.periods(year: today.year, frequency: .quarter, cutOff: .fifteenthToFourteenth, deadline: .dayOfLastMonth(20))
        if let q = quarters.first(where: { $0.deadline >= today }) ?? quarters.last {
            let p = try await period(q.code, q.labelVI, "quarter", q.start, q.end, q.deadline)
            for u in units {
                try await submission(p, u).create(on: db)
                counts.submissions += 1
            }
        }
        return counts
    }

    private static func iso(_ d: CalendarDay) -> String { String(format: "%04d-%02d-%02d", d.year, d.month, d.day) }

    private static func submission(_ p: ReportPeriodModel, _ u: UnitModel) -> ReportSubmissionModel {
        ReportSubmissionModel.draft(period: p, unit: u.id!, at: p.openedAt)
    }

    private static func markHandedIn(_ s: ReportSubmissionModel, state: SubmissionState, at: Date) {
        s.state = state.rawValue
        s.submittedAt = at
        s.submittedBy = "system"
        if state != .submitted {
            s.decidedAt = at.addingTimeInterval(2 * 86_400)
            s.decidedBy = "dieuphoi"
        }
        s.version = state == .submitted ? 1 : state == .accepted ? 2 : 3
        s.updatedAt = at
    }

    /// Seed 003, section I.7: the TTHC figures of 2021–2023 typed into form 06's total row,
    /// the stated "new in the period" of 2021 and the digitisation of results of 2022 and 2023.
    private static func seed003(_ s: ReportSubmissionModel, year: Int) {
        let tthc: [Int: [String: Int]] = [
            2021: ["c3": 599, "c4": 73, "c5": 508, "c6": 21, "c7": 532, "c8": 0, "c9": 532, "c10": 0, "c11": 67, "c12": 67, "c13": 0],
            2022: ["c3": 1170, "c4": 369, "c5": 801, "c6": 0, "c7": 976, "c8": 0, "c9": 976, "c10": 0, "c11": 194, "c12": 194, "c13": 0],
            // 2023 states no "trước hạn" (c8).
            2023: ["c3": 2363, "c4": 1146, "c5": 1123, "c6": 194, "c7": 2198, "c9": 2198, "c10": 0, "c11": 165, "c12": 165, "c13": 0],
        ]
        var values: [String: [String: String]] = [
            "tthc-ket-qua-giai-quyet": tthc[year]!.reduce(into: [:]) { $0["tong/\($1.key)"] = String(Double($1.value)) },
            // "cấp tỉnh có 95 thủ tục; cấp huyện có 34 thủ tục; cấp xã có 15 thủ tục".
            "tthc-thuoc-tham-quyen": ["cap_tinh/c3": "95.0", "cap_huyen/c3": "34.0", "cap_xa/c3": "15.0"],
        ]
        var stated: [String: [String: String]] = [:]
        switch year {
        case 2021: stated["tthc-ket-qua-giai-quyet"] = ["tong/moi_trong_ky": "578"]
        case 2022:
            values["so-hoa-ho-so"] = ["tong/c3": "538.0", "tong/c6": "365.0"]
            stated["so-hoa-ho-so"] = ["tong/c7": "67,84"]
        default:
            values["so-hoa-ho-so"] = ["tong/c3": "267.0", "tong/c6": "224.0"]
            stated["so-hoa-ho-so"] = ["tong/c7": "82,4"]
        }
        s.values = values
        s.stated = stated
        s.narrative = [
            "tthc": "Sở Nội vụ đã ban hành, triển khai kế hoạch kiểm soát TTHC hằng năm đầy đủ, kịp thời; công khai các TTHC tại trụ sở cơ quan và Cổng thông tin điện tử của Sở.",
        ]
        if year < 2023 { markHandedIn(s, state: .approved, at: CalendarDay(year, 12, 18).start.addingTimeInterval(15 * 3600)) }
    }

    /// Seed 002: xã Khánh Hà, 6 months of 2023 (10/12/2022 → 01/06/2023).
    private static func seed002(_ s: ReportSubmissionModel) {
        s.values = [
            "tthc-thuoc-tham-quyen": ["cap_xa/c3": "174.0", "cap_xa/c4": "156.0", "cap_xa/c5": "18.0"],
            "tthc-ket-qua-giai-quyet": ["tong/c3": "551.0", "tong/c7": "551.0", "tong/c11": "0.0"],
        ]
        s.narrative = [
            "chi_dao": "Thông qua hệ thống loa truyền thanh của xã: từ đầu năm đến nay, Đài truyền thanh xã đã phát 25 tin, bài về công tác CCHC, thực thi công vụ của địa phương.",
        ]
    }

    /// Figures that add up (received = online + direct + carried; resolved = early + on time +
    /// late; pending = in time + overdue; received = resolved + pending). Returns the pending.
    private static func generated(_ s: ReportSubmissionModel, kind: String, carried: Int, _ rng: inout DemoRandom) -> Int {
        let scale = kind == "department" ? 900 : kind == "district" ? 1_500 : 400
        let online = rng.int(in: scale / 5...scale), direct = rng.int(in: scale / 4...scale)
        let received = online + direct + carried
        let pending = rng.int(in: 0...max(1, received / 12))
        let resolved = received - pending
        let late = rng.int(in: 0...max(0, resolved / 60)), early = rng.int(in: 0...resolved / 3)
        let overdue = rng.int(in: 0...pending / 4)
        let f = { (n: Int) in String(Double(n)) }
        let digitised = rng.int(in: resolved / 2...resolved)
        s.values = [
            "tthc-ket-qua-giai-quyet": ["tong/c3": f(received), "tong/c4": f(online), "tong/c5": f(direct), "tong/c6": f(carried),
                                        "tong/c7": f(resolved), "tong/c8": f(early), "tong/c9": f(resolved - early - late), "tong/c10": f(late),
                                        "tong/c11": f(pending), "tong/c12": f(pending - overdue), "tong/c13": f(overdue)],
            "so-hoa-ho-so": ["tong/c3": f(resolved), "tong/c4": f(rng.int(in: digitised / 2...digitised)), "tong/c6": f(digitised)],
        ]
        return pending
    }

    /// A report handed in with high-importance violations carried an explanation for each
    /// (the server refuses to submit it otherwise).
    private static func explainBlocking(_ s: ReportSubmissionModel, period: ReportPeriodModel, on db: any Database) async throws {
        guard s.submissionState != .draft else { return }
        var explanations: [String: String] = [:]
        for code in forms {
            guard let f = ReportFormCatalog.bundled[code], let values = s.values[code] else { continue }
            let form = try ReportFormCatalog.compiled(f)
            var cells: [CellKey: CellValue] = [:]
            for (k, v) in values {
                let p = k.split(separator: "/").map(String.init)
                cells[CellKey(row: p[0], column: p[1])] = Decimal(string: v).map { .number($0) }
            }
            let stated = (s.stated[code] ?? [:]).compactMap { k, v -> StatedValue? in
                let p = k.split(separator: "/").map(String.init)
                return try? form.stated(row: p[0], code: p[1], text: v)
            }
            for v in form.evaluate(try form.grid(cells), stated: stated).violations where v.blocksSubmission {
                explanations["\(code)|\(v.key)"] = "Số liệu lấy theo báo cáo tổng hợp của các phòng chuyên môn; sẽ rà soát, đính chính ở kỳ sau."
            }
        }
        s.explanations = explanations
    }
}
