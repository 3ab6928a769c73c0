import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: roll-up")
struct StatisticsRollUpTests {
    let units = [
        RollUpUnit(code: "T", name: "Tỉnh", parent: nil),
        RollUpUnit(code: "H1", name: "Huyện 1", parent: "T"),
        RollUpUnit(code: "H2", name: "Huyện 2", parent: "T"),
        RollUpUnit(code: "X1", name: "Xã 1", parent: "H1"),
        RollUpUnit(code: "X2", name: "Xã 2", parent: "H1"),
        RollUpUnit(code: "X3", name: "Xã 3", parent: "H2"),
    ]

    @Test func communeToDistrictToProvinceWithRatesFromSummedParts() throws {
        let form = try RepositoryForms.compiled("so-hoa-ho-so.yaml")
        func report(_ resolved: Int, _ digitised: Int) throws -> FormGrid {
            var g = try form.grid(["tong": ["c3": resolved, "c6": digitised]])
            form.complete(&g)
            return g
        }
        let reports = ["X1": try report(10, 9), "X2": try report(90, 9), "X3": try report(100, 100)]
        let rollUp = try RollUp(form: form, units: units)
        let t = rollUp.totals(reports)
        let h1 = try #require(t["H1"])
        #expect(h1.grid[0, 2] == 100 && h1.grid[0, 5] == 18)
        #expect(h1.grid[0, 6] == 18) // 18/100, not the mean of 90 % and 10 %
        #expect(h1.contributors == ["X1", "X2"])
        let province = try #require(t["T"])
        #expect(province.grid[0, 2] == 200 && province.grid[0, 6] == 59)
        #expect(province.contributors == ["X1", "X2", "X3"])
        let drill = rollUp.drillDown("T", cell: CellKey(row: "tong", column: "c6"), reports: reports, totals: t)
        #expect(drill.map(\.unit) == ["X1", "X2", "X3"] && drill.map(\.value) == [9, 9, 100])
    }

    @Test func aUnitsOwnReportCountsAndLoopsAreRefused() throws {
        let form = try RepositoryForms.compiled("tthc-thuoc-tham-quyen.yaml")
        var own = try form.grid(["cap_tinh": ["c3": 95]])
        form.complete(&own)
        var commune = try form.grid(["cap_xa": ["c3": 15]])
        form.complete(&commune)
        let t = try RollUp(form: form, units: units).totals(["T": own, "X3": commune])
        #expect(t["T"]?.grid[3, 2] == 110 && t["T"]?.contributors == ["T", "X3"])
        #expect(t["H1"] == nil)
        let loop = [RollUpUnit(code: "A", name: "A", parent: "B"), RollUpUnit(code: "B", name: "B", parent: "A")]
        #expect(throws: StatisticsError.unitTreeCycle(["A", "B", "A"])) { try RollUp(form: form, units: loop) }
    }

    @Test func comparisonWithTheSamePeriodLastYear() throws {
        let form = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml")
        let now = try form.grid(["tong": Seed003.y2023]), last = try form.grid(["tong": Seed003.y2022])
        let c = form.compare(now, lastYear: last)
        let c3 = try #require(c.first { $0.cell.column == "c3" })
        #expect(c3.change == 1193 && c3.descriptionVI == "2.363 (năm trước 1.170; tăng 1.193, bằng 202 %)")
        // 2023 states no "trước hạn"; 2022 did (0).
        #expect(c.first { $0.cell.column == "c8" }?.descriptionVI == "— (năm trước 0)")
        #expect(c.first { $0.cell.column == "c4" }?.ratio.map { StatNumberFormat.round($0, decimals: 2) } == 3.11)
    }
}
