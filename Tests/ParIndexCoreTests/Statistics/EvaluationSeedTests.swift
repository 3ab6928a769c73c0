import Foundation
import Testing
@testable import ParIndexCore

/// Seed 003's own figures do not add up; the engine must say so exactly as the issue does.
@Suite("Statistics: evaluation with the seeds' figures")
struct StatisticsSeedEvaluationTests {
    let tthc: CompiledForm

    init() throws { tthc = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml") }

    func evaluate(_ figures: [String: Int], previous: FormGrid? = nil, stated: [(String, String)] = []) throws -> FormEvaluation {
        let grid = try tthc.grid(["tong": figures])
        let s = try stated.map { try tthc.stated(row: "tong", code: $0.0, text: $0.1) }
        return tthc.evaluate(grid, previous: previous, stated: s)
    }

    @Test func seed003Year2021NewDossiersDoNotAddUp() throws {
        // "Số mới tiếp nhận trong kỳ: 578 (trực tuyến: 73, trực tiếp và qua dịch vụ bưu chính: 508)".
        let e = try evaluate(Seed003.y2021, stated: [("moi_trong_ky", "578")])
        let stated = try #require(e.violations.first { $0.kind == .stated })
        #expect(stated.figuresVI == "578 ≠ 73 + 508 = 581")
        #expect(stated.importance == .high && stated.cells == [CellKey(row: "tong", column: "c4"), CellKey(row: "tong", column: "c5")])
        #expect(stated.messageVI == "Dòng “Tổng cộng”: “Số hồ sơ mới tiếp nhận trong kỳ” được nêu là 578 nhưng tính từ các số liệu của biểu là 73 + 508 = 581 (578 ≠ 73 + 508 = 581).")
        // The same three dossiers break c3 = c4 + c5 + c6 in the form itself.
        let rule = try #require(e.violations.first { $0.code == "nhan_bang_thanh_phan" })
        #expect(rule.figuresVI == "599 ≠ 73 + 508 + 21 = 602")
        #expect(e.violations.count == 2)
        // Resolved + pending = received holds (532 + 67 = 599).
        #expect(!e.violations.contains { $0.code == "nhan_bang_giai_quyet_cong_dang" })
    }

    @Test func seed003Year2023TotalDoesNotAddUp() throws {
        let previous = try evaluate(Seed003.y2022).grid
        let e = try evaluate(Seed003.y2023, previous: previous)
        #expect(e.violations.count == 1)
        let v = try #require(e.violations.first)
        #expect(v.figuresVI == "2.363 ≠ 1.146 + 1.123 + 194 = 2.463")
        #expect(v.messageVI == "Dòng “Tổng cộng”: Tổng số hồ sơ nhận giải quyết (3) phải bằng trực tuyến (4) + trực tiếp, bưu chính (5) + từ kỳ trước (6): 2.363 ≠ 1.146 + 1.123 + 194 = 2.463.")
        #expect(v.left == 2363 && v.right == 2463 && v.blocksSubmission)
        // No "trước hạn" figure in 2023: c7 = c8 + c9 + c10 is skipped, not failed.
        #expect(e.rulesSkipped == 1)
    }

    @Test func seed003Year2022CarriedOverDiffersFromPendingOf2021() throws {
        // A finding the seed does not state: 2022 carries over 0 dossiers while 2021 ended with 67 pending.
        let e = try evaluate(Seed003.y2022, previous: try evaluate(Seed003.y2021).grid)
        #expect(e.violations.map(\.figuresVI) == ["0 ≠ 67"])
        #expect(e.violations.first?.importance == .medium)
        #expect(try evaluate(Seed003.y2022).violations.isEmpty) // no previous period: skipped
    }

    @Test func seed003DigitisationRateStatedAs82_4IsReally83_9() throws {
        let form = try RepositoryForms.compiled("so-hoa-ho-so.yaml")
        // 2022: 365/538 stated as 67,84 % — right to the stated two decimals.
        let g2022 = try form.grid(["tong": ["c3": 538, "c6": 365]])
        let e2022 = form.evaluate(g2022, stated: [try form.stated(row: "tong", code: "c7", text: "67,84%")])
        #expect(!e2022.violations.contains { $0.kind == .stated })
        #expect(e2022.grid[0, 6].map { StatNumberFormat.round($0, decimals: 2) } == 67.84)
        // 2023: 224/267 stated as 82,4 %.
        let g2023 = try form.grid(["tong": ["c3": 267, "c6": 224]])
        let e = form.evaluate(g2023, stated: [try form.stated(row: "tong", code: "c7", text: "82,4")])
        let v = try #require(e.violations.first { $0.kind == .stated })
        #expect(v.figuresVI == "82,4 % ≠ 224 ÷ 267 × 100 = 83,9 %")
        #expect(v.blocksSubmission)
        // The 100 % target of Resolution 71/NQ-CP is a low warning.
        let target = try #require(e.violations.first { $0.code == "muc_tieu_so_hoa_ket_qua" })
        #expect(target.importance == .low && target.figuresVI == "83,9 % < 100")
    }

    @Test func seed003ProceduresAndOnlineServicesByLevel() throws {
        let procedures = try RepositoryForms.compiled("tthc-thuoc-tham-quyen.yaml")
        let e = procedures.evaluate(try procedures.grid(["cap_tinh": ["c3": 95], "cap_huyen": ["c3": 34], "cap_xa": ["c3": 15]]))
        #expect(e.violations.isEmpty)
        #expect(e.grid[3, 2] == 144) // the total row sums the levels
        let online = try RepositoryForms.compiled("dich-vu-cong-truc-tuyen.yaml")
        let o = online.evaluate(try online.grid(["cap_tinh": ["c3": 95, "c4": 28, "c5": 63]]))
        #expect(o.violations.map(\.code) == ["muc_tieu_toan_trinh", "muc_tieu_toan_trinh"])
        #expect(o.violations.first?.figuresVI == "29,5 % < 90")
        #expect(o.violations.allSatisfy { !$0.blocksSubmission })
    }

    @Test func seed002CommuneFigures() throws {
        // Xã Khánh Hà, 6 months 2023: 174 procedures under authority, 156 performed, 18 not.
        let procedures = try RepositoryForms.compiled("tthc-thuoc-tham-quyen.yaml")
        #expect(procedures.evaluate(try procedures.grid(["cap_xa": ["c3": 174, "c4": 156, "c5": 18]])).violations.isEmpty)
        let wrong = procedures.evaluate(try procedures.grid(["cap_xa": ["c3": 174, "c4": 156, "c5": 17]]))
        #expect(wrong.violations.map(\.figuresVI) == ["174 ≠ 156 + 17 = 173", "174 ≠ 156 + 17 = 173"])
        #expect(wrong.violations.map(\.row) == ["cap_xa", "tong"])
        // 551 received, 551 resolved, 0 pending; the parts are not stated, so only c3 = c7 + c11 is checked.
        let e = try evaluate(["c3": 551, "c7": 551, "c11": 0])
        #expect(e.violations.isEmpty && e.rulesEvaluated == 1)
        // Its window is irregular and stored as is.
        let p = try ReportPeriod(code: "2023-H1", labelVI: "6 tháng đầu năm 2023", start: CalendarDay(parsing: "10/12/2022"),
                                 end: CalendarDay(parsing: "01/06/2023"), deadline: CalendarDay(2023, 6, 20))
        #expect(p.windowVI == "Từ ngày 10/12/2022 đến ngày 01/06/2023")
    }

    @Test func seed003FeedbackIsAllZeroAndConsistent() throws {
        let form = try RepositoryForms.compiled("phan-anh-kien-nghi.yaml")
        let zeros = ["c3": 0, "c4": 0, "c5": 0, "c6": 0, "c7": 0]
        let e = form.evaluate(try form.grid(["quy_dinh": zeros, "hanh_vi": zeros]))
        #expect(e.violations.isEmpty && e.rulesEvaluated == 6)
        let bad = form.evaluate(try form.grid(["quy_dinh": ["c3": 5, "c4": 3, "c5": 2, "c6": 4, "c7": 2]]))
        #expect(bad.violations.map(\.figuresVI) == ["2 ≠ 5 − 4 = 1", "2 ≠ 5 − 4 = 1"])
    }
}
