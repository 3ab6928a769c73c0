import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: form file validation")
struct StatisticsFormValidationTests {
    static let header = """
    code: thu
    version: "1"
    title: Biểu thử
    columns:
      - {code: c1, number: 1, label: Tổng, type: count}
      - {code: c2, number: 2, label: A, type: count}
      - {code: c3, number: 3, label: B, type: count}
      - {code: p, number: 4, label: Tỷ lệ, type: percent, formula: c2 / c1 * 100}
    rows:
      - {code: tong, label: Tổng cộng}

    """

    func errors(_ yaml: String) -> [FormError] {
        do { _ = try ReportFormYAML.load(yaml); return [] } catch { return error.errors }
    }

    @Test func aValidFileLoads() throws {
        let f = try ReportFormYAML.load(Self.header + "rules:\n  - {code: r1, left: c1, operator: '=', right: c2 + c3, message: Tổng phải bằng A + B}\n")
        #expect(f.rules.first?.importance == .medium && f.rules.first?.leftMissing == .skipIfAnyValueMissing)
    }

    @Test func listsEveryProblemWithItsLine() {
        let yaml = Self.header + """
        rules:
          - {code: r1, left: c1, operator: '=', right: c2 + c9, message: Cột lạ}
          - {code: r2, left: c1, operator: '=', right: p, message: Khác đơn vị}
          - {code: r3, left: c1, operator: '=>', right: c2, message: Sai phép so sánh}
          - {code: r1, left: c1, operator: '≥', right: 'c2[khong_co]', message: Trùng mã và dòng lạ}
          - {code: r5, left: 'c1 + (c2', operator: '=', right: c2, message: Công thức sai}
        """
        let e = errors(yaml)
        // The reader stops before the validator while it has errors: operator and formula first.
        #expect(e.map(\.code) == ["form.bad_operator", "form.expression"])
        #expect(e.map(\.line) == [14, 16])
        #expect(e[0].messageVI.hasPrefix("Dòng 14: Phép so sánh \"=>\" không hợp lệ"))
        #expect(e[1].messageVI.contains("thiếu dấu ')'"))
        let fixed = yaml.replacingOccurrences(of: "'=>'", with: "'='").replacingOccurrences(of: "'c1 + (c2'", with: "c1 + c2")
        let v = errors(fixed)
        #expect(v.map(\.code) == ["form.duplicate_code", "form.unknown_column", "form.unit_mismatch", "form.unknown_row"])
        #expect(v.map(\.line) == [15, 12, 13, 15])
        #expect(v[1].messageVI == "Dòng 12: Quy tắc 'r1' dùng cột 'c9' không có trong biểu mẫu.")
        #expect(v[2].messageVI == "Dòng 13: Quy tắc 'r2' so sánh hai vế khác đơn vị: vế trái là số lượng, vế phải là tỷ lệ %.")
        #expect(v[0].messageVI == "Dòng 15: Mã quy tắc 'r1' bị trùng (đã dùng ở dòng 12).")
    }

    @Test func cycleOfComputedCellsIsRefused() {
        let yaml = """
        code: vong
        version: "1"
        title: Vòng
        columns:
          - {code: a, number: 1, label: A, formula: b + 1}
          - {code: b, number: 2, label: B, formula: c * 2}
          - {code: c, number: 3, label: C, formula: a - 1}
          - {code: d, number: 4, label: D}
        rows:
          - {code: r, label: R}
        """
        let e = errors(yaml)
        #expect(e.map(\.code) == ["form.cycle"])
        #expect(e.first?.messageVI == "Dòng 5: Các cột tính toán phụ thuộc vòng tròn: a → b → c → a; không thể tính được.")
    }

    @Test func duplicateCodesUnknownKeysAndBadValuesAreListed() {
        let yaml = """
        code: trung
        version: "1"
        title: Trùng
        colour: red
        columns:
          - {code: c1, number: 1, label: A, type: number}
          - {code: c1, number: 1, label: B}
        rows:
          - {code: r, label: R, total: maybe}
        """
        let e = errors(yaml)
        #expect(e.map(\.code) == ["form.unknown_key", "form.invalid_value", "form.invalid_value"])
        #expect(e.map(\.line) == [4, 6, 9])
        let fixed = yaml.replacingOccurrences(of: "colour: red\n", with: "").replacingOccurrences(of: "type: number", with: "type: count")
            .replacingOccurrences(of: ", total: maybe", with: "")
        let v = errors(fixed)
        #expect(v.map(\.code) == ["form.duplicate_code", "form.duplicate_column_number"])
        #expect(v.allSatisfy { $0.line == 6 })
    }

    @Test func textAndPeriodsInArithmeticAreRefused() {
        let yaml = """
        code: chu
        version: "1"
        title: Chữ
        columns:
          - {code: t, number: 1, label: Ghi chú, type: text}
          - {code: n, number: 2, label: Số}
          - {code: m, number: 3, label: Tính, formula: previous(n) + 1}
        rows:
          - {code: r, label: R}
        rules:
          - {code: r1, left: t + n, operator: '=', right: n, message: Chữ cộng số}
          - {code: r2, left: t, operator: compulsory_pair, right: n, message: Có ghi chú thì có số}
          - {code: r3, rows: none, left: n, operator: '=', right: 'n[r]', message: Thiếu dòng}
        """
        let e = errors(yaml)
        #expect(e.map(\.code) == ["form.period_in_formula", "form.invalid_arithmetic", "form.row_required"])
        #expect(e.map(\.line) == [7, 11, 13])
    }

    @Test func parserBoundsDepthAndReadsVietnameseDecimals() throws {
        #expect(try StatExpressionParser.parse("c3 × 0,5 ÷ (c4 − 2)").text == "c3 × 0,5 ÷ (c4 − 2)")
        #expect(try StatExpressionParser.parse("a - (b - c)").text == "a − (b − c)")
        #expect(try StatExpressionParser.parse("last_year(c3[tong])") == .cell(FormCellReference(column: "c3", row: "tong", period: .lastYear)))
        let deep = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(throws: StatExpressionError.self) { try StatExpressionParser.parse(deep) }
        #expect(throws: StatExpressionError.self) { try StatExpressionParser.parse("sum(c3)") }
    }
}
