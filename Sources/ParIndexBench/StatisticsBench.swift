import Foundation
import ParIndexCore

/// Issue #14's figures: the TTHC form's rules over a national quarter (3.321 commune
/// submissions of 13 columns × 10 rows: 9 fields and the total), one submission as a web
/// request builds it (cells by code, then evaluation), and the roll-up to 34 provinces. The
/// anchor is the same arithmetic written by hand over flat arrays in the same run: what the
/// hardware does when nothing but the sums and comparisons is left.
func runStatisticsBench(formsDirectory: String) {
    func fail(_ m: String) -> Never { FileHandle.standardError.write(Data((m + "\n").utf8)); exit(1) }
    guard let yaml = try? String(contentsOfFile: formsDirectory + "/tthc-ket-qua-giai-quyet.yaml", encoding: .utf8),
          let form = try? ReportFormYAML.load(yaml) else { fail("cannot read \(formsDirectory)/tthc-ket-qua-giai-quyet.yaml") }
    let fields = (1...9).map { FormRow(code: "f\($0)", label: "Lĩnh vực \($0)") }
    guard let compiled = try? CompiledForm(form, rows: fields) else { fail("form does not compile") }
    let communes = 3_321
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ upTo: Int) -> Double {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Double(Int((seed >> 33) % UInt64(upTo + 1)))
    }
    // Figures that add up, except one commune in 50 whose total is one too many.
    func makeGrid(_ i: Int, carried: FormGrid?) -> FormGrid {
        var g = compiled.emptyGrid()
        for r in 0..<9 {
            let c4 = next(40), c5 = next(40), c6 = carried?[r, 10] ?? next(5)
            let c3 = c4 + c5 + c6 + (i % 50 == 0 ? 1 : 0)
            let c11 = next(Int(c3)), c7 = c3 - c11, c8 = next(Int(c7))
            for (c, v) in [(2, c3), (3, c4), (4, c5), (5, c6), (6, c7), (7, c8), (8, c7 - c8), (9, 0.0), (10, c11), (11, c11), (12, 0.0)] { g[r, c] = v }
        }
        return g
    }
    let previous = (0..<communes).map { i -> FormGrid in var g = makeGrid(i + 1, carried: nil); compiled.complete(&g); return g }
    let grids = (0..<communes).map { makeGrid($0, carried: previous[$0]) }
    var best = Double.infinity, rules = 0, violations = 0
    for _ in 0..<5 {
        rules = 0; violations = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<communes {
            let e = compiled.evaluate(grids[i], previous: previous[i])
            rules += e.rulesEvaluated + e.rulesSkipped
            violations += e.violations.count
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    // Anchor: the five rule templates per row as hand-written sums and comparisons.
    var anchorBest = Double.infinity, anchorFails = 0
    let flat = grids.map { g -> [Double] in var c = g; compiled.complete(&c); return c.values }
    let prevFlat = previous.map(\.values)
    let w = compiled.width
    for _ in 0..<5 {
        anchorFails = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<communes {
            let v = flat[i], p = prevFlat[i]
            for r in 0..<compiled.height {
                let b = r * w
                if v[b + 2] != v[b + 3] + v[b + 4] + v[b + 5] { anchorFails += 1 }
                if v[b + 6] != v[b + 7] + v[b + 8] + v[b + 9] { anchorFails += 1 }
                if v[b + 10] != v[b + 11] + v[b + 12] { anchorFails += 1 }
                if v[b + 2] != v[b + 6] + v[b + 10] { anchorFails += 1 }
                if v[b + 5] != p[b + 10] { anchorFails += 1 }
            }
        }
        anchorBest = min(anchorBest, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    let rate = Double(rules) / best, anchorRate = Double(communes * compiled.height * 5) / anchorBest
    print("Statistics validation — national quarter: \(communes) submissions × \(compiled.ruleInstanceCount) rule instances")
    print(String(format: "  engine:  %.2f M rules/s (best of 5: %.4f s, %d violations)", rate / 1e6, best, violations))
    print(String(format: "  anchor (hand-written sums over flat arrays): %.2f M rules/s (%.4f s, %d failures) → engine/anchor %.0f %%",
                 anchorRate / 1e6, anchorBest, anchorFails, rate / anchorRate * 100))
    var cells: [CellKey: CellValue] = [:]
    for r in 0..<9 { for c in 2..<13 { if let v = grids[0][r, c] { cells[CellKey(row: compiled.rows[r].code, column: form.columns[c].code)] = .number(Decimal(v)) } } }
    let n = 2_000
    let t1 = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<n { _ = compiled.evaluate(try! compiled.grid(cells), previous: previous[0]) }
    print(String(format: "  one submission from %d coded cells (grid + evaluate, as a web request does): %.1f µs", cells.count,
                 Double(DispatchTime.now().uptimeNanoseconds - t1) / Double(n) / 1e3))
    var units = (0..<34).map { RollUpUnit(code: "P\($0)", name: "P\($0)", parent: "VN") } + [RollUpUnit(code: "VN", name: "VN", parent: nil)]
    var reports: [String: FormGrid] = [:]
    for i in 0..<communes {
        units.append(RollUpUnit(code: "X\(i)", name: "X\(i)", parent: "P\(i % 34)"))
        var g = grids[i]; compiled.complete(&g); reports["X\(i)"] = g
    }
    let t2 = DispatchTime.now().uptimeNanoseconds
    let totals = (try! RollUp(form: compiled, units: units)).totals(reports)
    print(String(format: "  roll-up to 34 provinces and the country (%d totals): %.1f ms", totals.count,
                 Double(DispatchTime.now().uptimeNanoseconds - t2) / 1e6))
}
