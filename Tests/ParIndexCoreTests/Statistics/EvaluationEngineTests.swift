import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: evaluation engine")
struct StatisticsEngineTests {
    static let yaml = """
    code: thu
    version: "1"
    title: Biểu thử
    rows_from: per_field
    settings:
      - {code: s, label: Thiết lập}
    columns:
      - {code: t, number: 1, label: Tổng, type: count}
      - {code: a, number: 2, label: A, type: count}
      - {code: b, number: 3, label: B, type: count}
      - {code: p, number: 4, label: Tỷ lệ A, type: percent, formula: a / t * 100}
      - {code: note, number: 5, label: Ghi chú, type: text}
    rows:
      - {code: tong, label: Tổng cộng, total: true}
    rules:
      - {code: any, left: t, operator: '=', right: a + b, message: Bất kỳ}
      - {code: all, left: t, operator: '≥', right: a + b, missing: skip_if_all_values_missing, message: Tất cả}
      - {code: never, left: t, operator: '≥', right: a + b, right_missing: never_skip, message: Không bỏ qua}
      - {code: pair, left: a, operator: compulsory_pair, right: b, importance: low, message: Có A thì có B}
      - {code: excl, left: a, operator: exclusive_pair, right: b, importance: low, message: Chỉ A hoặc B}
      - {code: only_s, rows: [tong], setting: s, left: t, operator: '>', right: "0", message: Theo thiết lập}
    """

    let form: CompiledForm
    init() throws {
        form = try CompiledForm(ReportFormYAML.load(Self.yaml), rows: [FormRow(code: "x", label: "Lĩnh vực X"), FormRow(code: "y", label: "Y")])
    }

    func codes(_ rows: [String: [String: Int]], _ f: CompiledForm? = nil) throws -> [String] {
        let f = f ?? form
        return f.evaluate(try f.grid(rows)).violations.map { "\($0.code)@\($0.row)" }
    }

    @Test func templatesExpandPerRowAndSettingsSwitchRules() throws {
        #expect(form.ruleInstanceCount == 5 * 3)
        let on = try CompiledForm(ReportFormYAML.load(Self.yaml), rows: [FormRow(code: "x", label: "X")], settings: ["s"])
        #expect(on.ruleInstanceCount == 5 * 2 + 1)
    }

    @Test func missingValueStrategies() throws {
        // t = 5, a = 3, b missing: "any" skips; "all" reads b as 0 (5 ≥ 3 holds); never_skip too;
        // the compulsory pair fails (a without b).
        #expect(try codes(["x": ["t": 5, "a": 3]]) == ["pair@x", "pair@tong"])
        // t = 2, a = 3, b missing: skip_if_all and never_skip compare 2 ≥ 3 and fail.
        #expect(try codes(["x": ["t": 2, "a": 3]]) == ["all@x", "all@tong", "never@x", "never@tong", "pair@x", "pair@tong"])
        // Nothing at all: every rule skipped, the pairs hold.
        let e = form.evaluate(form.emptyGrid())
        #expect(e.violations.isEmpty && e.rulesEvaluated == 6 && e.rulesSkipped == 9)
        // never_skip treats a missing right side as 0 even when all of it is missing.
        #expect(try codes(["x": ["t": -1]]) == ["never@x", "never@tong"])
        #expect(try codes(["x": ["t": 3, "a": 1, "b": 2]]) == ["excl@x", "excl@tong"])
    }

    @Test func totalsSumRowsAndRatesAreRecomputedNotAveraged() throws {
        let e = form.evaluate(try form.grid(["x": ["t": 10, "a": 9, "b": 1], "y": ["t": 90, "a": 9, "b": 81]]))
        #expect(e.grid[2, 0] == 100 && e.grid[2, 1] == 18)
        #expect(e.grid[0, 3] == 90 && e.grid[1, 3] == 10)
        #expect(e.grid[2, 3] == 18) // 18 / 100, not (90 % + 10 %) / 2 = 50 %
        // Division by zero makes the rate missing, not infinite.
        let z = form.evaluate(try form.grid(["x": ["t": 0, "a": 0, "b": 0]]))
        #expect(z.grid[0, 3] == nil)
    }

    @Test func gridRefusesTypedRatesTextInCountsAndUnknownCells() throws {
        #expect(throws: StatisticsError.computedCellTyped(column: "p", row: "x")) {
            try form.grid([CellKey(row: "x", column: "p"): .number(50)])
        }
        #expect(throws: StatisticsError.textInNumberCell(column: "a", row: "x", text: "mười")) {
            try form.grid([CellKey(row: "x", column: "a"): .text("mười")])
        }
        #expect(throws: StatisticsError.unknownRow("z")) { try form.grid([CellKey(row: "z", column: "a"): .number(1)]) }
        let g = try form.grid([CellKey(row: "x", column: "note"): .text("ước tính")])
        #expect(g.texts[4] == "ước tính")
    }

    @Test func outliersAgainstLastYearAndPerUnitBounds() throws {
        let tthc = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml")
        let last = try tthc.grid(["tong": Seed003.y2021])
        let now = try tthc.grid(["tong": Seed003.y2023])
        let e = tthc.evaluate(now, lastYear: last)
        let out = e.violations.filter { $0.kind == .outlier }
        // c3: 2.363 vs 599 (× 3,9) and c7: 2.198 vs 532 (× 4,1); c11 165 vs 67 stays within × 3.
        #expect(out.map(\.cells) == [[CellKey(row: "tong", column: "c3")], [CellKey(row: "tong", column: "c7")]])
        #expect(out.first?.messageVI == "Dòng “Tổng cộng”, cột (3) “Tổng số”: 2.363 so với 599 cùng kỳ năm trước, gấp 3,9 lần (ngưỡng cảnh báo: gấp hoặc giảm quá 3 lần); đề nghị kiểm tra lại.")
        #expect(out.allSatisfy { $0.importance == .low })
        let bound = try tthc.bound(row: "tong", column: "c11", min: nil, max: 100)
        let b = tthc.evaluate(now, bounds: [bound]).violations.filter { $0.kind == .bounds }
        #expect(b.map(\.messageVI) == ["Dòng “Tổng cộng”, cột (11) “Tổng số”: 165 nằm ngoài khoảng tối đa 100 đã đặt cho đơn vị; đề nghị kiểm tra lại."])
    }

    @Test func tthcSettingOffDropsResolvedPlusPendingRule() throws {
        let off = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml", settings: [])
        let e = off.evaluate(try off.grid(["tong": ["c3": 10, "c7": 3, "c11": 2]]))
        #expect(e.violations.isEmpty)
        let on = try RepositoryForms.compiled("tthc-ket-qua-giai-quyet.yaml")
        #expect(on.evaluate(try on.grid(["tong": ["c3": 10, "c7": 3, "c11": 2]])).violations.map(\.figuresVI) == ["10 ≠ 3 + 2 = 5"])
    }
}
