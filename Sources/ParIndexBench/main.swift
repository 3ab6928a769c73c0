import Foundation
import ParIndexCore

// Benchmarks. Not a test: run in release and copy the figures into BENCHMARKS.md.
//   swift run -c release ParIndexBench                       scoring engine (issue 4)
//   swift run -c release ParIndexBench surveys               ballot import and survey scoring (issue 6)
//   swift run -c release ParIndexBench survey-csv PATH [N]   writes the synthetic ballot CSV (default
//                                                            1.000.000 ballots) for the server import benchmark
//   swift run -c release ParIndexBench units                 unit import validation (issue #20)
//   swift run -c release ParIndexBench units-csv PATH [N]    writes a valid units CSV (default 200.000 units)
//                                                            for scripts/bench-units (the commit on SQLite)

/// SplitMix64, so every run scores the same synthetic campaign.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Peak resident set size in MiB (Linux: VmHWM in /proc/self/status).
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }

/// 10 fields × 10 leaves; leaf k uses method k mod 9, so all methods appear, formulas and normalised ratios included.
func syntheticFramework() -> Framework {
    let formula = try! Formula("if(giao == 0, 1, min((dung_han + 0.5 * qua_han) / giao, 1)) * 2",
                               inputs: [.init(name: "giao", label: "Giao"), .init(name: "dung_han", label: "Đúng hạn"),
                                        .init(name: "qua_han", label: "Quá hạn")])
    let methods: [ScoringMethod] = [
        .yesNo, .levels([.init(id: "a", label: "Tốt", points: 2), .init(id: "b", label: "Đạt", points: 1)]),
        .ratio(zeroDenominator: .fullPoints),
        .ratioBands([.init(minPercent: 100, points: 2), .init(minPercent: 80, points: 1)], zeroDenominator: .fullPoints),
        .normalizedRatio, .occurrences(.init(mode: .deduct, pointsPerOccurrence: 0.25)), .manual(step: 0.25),
        .survey(source: "sipas"), .formula(formula),
    ]
    let fields = (1...10).map { f in
        FrameworkNode(code: "\(f)", title: "Lĩnh vực \(f)", maxPoints: 20, children: (1...10).map { l in
            FrameworkNode(code: "\(f).\(l)", title: "Tiêu chí \(f).\(l)", maxPoints: 2, allowsNotApplicable: true,
                          method: methods[(f * 10 + l) % methods.count])
        })
    }
    return Framework(id: "bench", title: "Bench", unitKind: .province, year: 2024, version: "1", nodes: fields)
}

func input(for method: ScoringMethod, _ g: inout SplitMix) -> LeafInput {
    if Int.random(in: 0..<50, using: &g) == 0 { return .notApplicable }
    switch method {
    case .yesNo: return .yesNo(Bool.random(using: &g))
    case .levels: return .level(Bool.random(using: &g) ? "a" : "b")
    case .ratio, .ratioBands: return .ratio(numerator: Double(Int.random(in: 0...120, using: &g)), denominator: 100)
    case .normalizedRatio: return .value(Double.random(in: 0...100, using: &g))
    case .occurrences: return .count(Int.random(in: 0...6, using: &g))
    case .manual, .survey: return .points(Double(Int.random(in: 0...8, using: &g)) * 0.25)
    case .formula:
        return .values(["giao": Double(Int.random(in: 0...20, using: &g)), "dung_han": Double(Int.random(in: 0...15, using: &g)),
                        "qua_han": Double(Int.random(in: 0...5, using: &g))])
    }
}

func campaign(_ framework: Framework, units: Int, seed: UInt64) -> [UnitSubmission] {
    var g = SplitMix(state: seed)
    let leaves = framework.leaves
    return (0..<units).map { n in
        var inputs: [String: LeafInput] = [:]
        inputs.reserveCapacity(leaves.count)
        for leaf in leaves { inputs[leaf.code] = input(for: leaf.method!, &g) }
        return UnitSubmission(unitID: UUID(), name: "Đơn vị \(n)", inputs: inputs)
    }
}

/// A 500-node framework file: 10 fields × 7 criteria × 6 sub-criteria (10 + 70 + 420 nodes).
func syntheticYAML() -> String {
    var lines = ["id: bench-500", "title: Bộ chỉ số 500 tiêu chí", "unit_kind: province", "year: 2024",
                 "version: \"1\"", "nodes:"]
    let methods = ["yes_no", "{type: manual, step: \"0,25\"}", "normalized_ratio",
                   "{type: ratio, zero_denominator: full_points}",
                   "{type: occurrences, mode: deduct, per_occurrence: \"0,5\"}",
                   "{type: formula, inputs: [{name: a, label: Số a}, {name: b, label: Số b}], expression: \"if(b == 0, 1.5, min(a / b, 1) * 1.5)\"}"]
    for f in 1...10 {
        lines += ["  - code: \"\(f)\"", "    title: Lĩnh vực cải cách hành chính số \(f)", "    max: 63", "    children:"]
        for c in 1...7 {
            lines += ["      - code: \"\(f).\(c)\"", "        title: Tiêu chí \(f).\(c)", "        max: 9", "        children:"]
            for s in 1...6 {
                lines.append("          - {code: \"\(f).\(c).\(s)\", title: \"Tiêu chí thành phần \(f).\(c).\(s)\", max: \"1,5\", method: \(methods[s - 1])}")
            }
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

// MARK: - Scoring engine

func runScoringBench() {

    print("ParIndexBench — scoring engine (issue 4)")
    print(String(format: "peak RSS at start: %.1f MiB", peakRSSMiB()))

    let framework = syntheticFramework()
    let engine = ResultsEngine(framework: framework)

    let national = campaign(framework, units: 16_000, seed: 42)
    print(String(format: "national inputs generated (16.000 units × 100 leaves); peak RSS %.1f MiB", peakRSSMiB()))
    var nationalTimes: [Double] = []
    var checksum = 0.0
    for _ in 0..<5 {
        nationalTimes.append(seconds {
            let r = engine.compute(national)
            checksum += r.units[0].indexPercent + Double(r.units.last!.rank)
        })
    }
    print("national 16.000 × 100: median \(ms(median(nationalTimes))), best \(ms(nationalTimes.min()!)) of 5; "
          + String(format: "peak RSS %.1f MiB", peakRSSMiB()))

    // Issue #12: the same campaign under a province's own rules (three bands, a five-rule rating
    // table on two tagged fields, a review rule on the same tags), timed alternately with the defaults.
    var tagged = framework
    tagged.nodes[2].tags = ["tthc"]
    tagged.nodes[6].tags = ["digital"]
    let rules = ResultsConfiguration(
        bands: BandTable([BandRule(label: "Nhóm A", minPercent: 90), BandRule(label: "Nhóm B", minPercent: 80),
                          BandRule(label: "Nhóm C", minPercent: 70)]),
        rating: RatingRuleTable(rules: [
            RatingRule(rating: .excellent, minIndexPercent: 90, minFieldPercent: 80),
            RatingRule(rating: .good, minIndexPercent: 80, minFieldPercent: 70),
            RatingRule(rating: .completed, minIndexPercent: 70, minFieldPercent: nil),
            RatingRule(rating: .completed, minIndexPercent: 60, minFieldPercent: 60),
            RatingRule(rating: .completed, minIndexPercent: 50, minFieldPercent: 90),
        ], fieldTags: ["tthc", "digital"]),
        review: ReviewRule(fieldTags: ["tthc", "digital"], thresholdPercent: 75), totalScale: 100, isFrameworks: true)
    let custom = ResultsEngine(framework: tagged, configuration: rules)
    var defaultTimes: [Double] = [], customTimes: [Double] = []
    for _ in 0..<5 {
        defaultTimes.append(seconds { checksum += engine.compute(national).units[0].indexPercent })
        customTimes.append(seconds { checksum += custom.compute(national).units[0].indexPercent })
    }
    print("national 16.000 × 100, results rules (issue 12): defaults median \(ms(median(defaultTimes))), "
          + "a province's own rules median \(ms(median(customTimes))); own ÷ defaults = "
          + String(format: "%.2f", median(customTimes) / median(defaultTimes)))

    let province = campaign(framework, units: 30, seed: 7)
    var provinceTimes: [Double] = []
    for _ in 0..<500 { provinceTimes.append(seconds { checksum += engine.compute(province).units[0].totalPoints }) }
    print("province 30 × 100: median \(ms(median(provinceTimes))) of 500 runs (p90 \(ms(provinceTimes.sorted()[450])))")

    let oneResult = engine.compute(province)
    var explainTimes: [Double] = []
    for _ in 0..<200 { explainTimes.append(seconds { checksum += engine.explain(province[0], in: oneResult).totalPoints }) }
    print("explanation of one unit (100 leaves): median \(ms(median(explainTimes))) of 200 runs")

    let yaml = syntheticYAML()
    var yamlTimes: [Double] = []
    var nodes = 0
    for _ in 0..<20 {
        yamlTimes.append(seconds {
            let f = try! FrameworkYAML.load(yaml)
            nodes = f.allNodes.count
        })
    }
    print("YAML load + validation, \(nodes) nodes (\(yaml.utf8.count / 1024) KiB): median \(ms(median(yamlTimes))) of 20 runs")
    print(String(format: "final peak RSS %.1f MiB (checksum %.3f)", peakRSSMiB(), checksum))
}

// MARK: - Surveys (issue 6)

let benchUnitCodes = (1...30).map { String(format: "DV%02d", $0) }
let benchGroup = "cd"

/// A deterministic SIPAS ballot file: single mode, 30 units, one group, 25 answers mostly
/// "satisfied", 2 % no opinion, 1 % straight-lined.
func syntheticBallotCSV(count: Int, questionnaire q: Questionnaire, seed: UInt64) -> [UInt8] {
    var g = SplitMix(state: seed)
    var out: [UInt8] = []
    out.reserveCapacity(count * (16 + 2 * q.questions.count))
    out += Array(("so_phieu,nhom,don_vi," + q.questions.map(\.code).joined(separator: ",") + "\n").utf8)
    let units = benchUnitCodes.map { Array($0.utf8) }
    let cuts: [(UInt64, UInt8)] = [(2, 0x30), (5, 0x31), (12, 0x32), (30, 0x33), (75, 0x34), (100, 0x35)]
    for n in 1...max(count, 1) {
        out += Array(String(1_000_000 + n).utf8)
        out += [0x2C, 0x63, 0x64, 0x2C]   // ",cd,"
        out += units[Int(g.next() % UInt64(units.count))]
        let straight = g.next() % 100 == 0
        for _ in q.questions {
            var code: UInt8 = 0x35
            if !straight {
                let r = g.next() % 100
                code = cuts.first { r < $0.0 }!.1
            }
            out.append(0x2C)
            out.append(code)
        }
        out.append(0x0A)
    }
    return out
}

func runSurveyBench() {
    print("ParIndexBench — ballot import and survey scoring (issue 6)")
    let q = QuestionnaireTemplates.sipas(formID: "sipas-bench", title: "SIPAS bench", version: "1")
    let count = 1_000_000
    let csv = Data(syntheticBallotCSV(count: count, questionnaire: q, seed: 2024))
    print("CSV in memory: \(VietnameseNumber.format(count)) ballots × \(q.questions.count) answers, "
          + String(format: "%.1f MiB; peak RSS %.1f MiB", Double(csv.count) / 1_048_576, peakRSSMiB()))
    let context = BallotImportContext(questionnaire: q, groupCodes: [benchGroup], unitCodes: benchUnitCodes)
    let groups = [RespondentGroup(code: benchGroup, name: "Người dân, doanh nghiệp", formID: q.formID,
                                  plannedBallots: count, quotaPerUnit: count / 30)]
    let scoring = try! SurveyScoring(questionnaire: q, groups: groups)
    var totals: [Double] = [], parses: [Double] = [], tallies: [Double] = [], scores: [Double] = []
    var checksum = 0.0
    for _ in 0..<3 {
        var result: BallotImportResult? = nil
        let parse = seconds { result = try! BallotImport.parseCSV(csv, context: context) }
        precondition(result!.isValid && result!.ballots.count == count, "bench data must be valid")
        var built = SurveyTallies()
        let tally = seconds {
            var builder = SurveyTallyBuilder(questionnaire: q, unitCodes: benchUnitCodes)
            for b in result!.ballots { builder.add(b) }
            built = builder.build()
        }
        let score = seconds {
            for unit in benchUnitCodes { checksum += scoring.score(built, unit: unit, maxPoints: 10)?.points ?? 0 }
        }
        checksum += Double(result!.flaggedCount)
        result = nil
        parses.append(parse); tallies.append(tally); scores.append(score)
        totals.append(parse + tally + score)
    }
    let best = totals.min()!, med = median(totals)
    print("parse + validate: median \(ms(median(parses))); tally: median \(ms(median(tallies))); score 30 units: median \(ms(median(scores)))")
    print("parse + validate + tally + score, 1.000.000 ballots: best \(ms(best)), median \(ms(med)) of 3")
    print(String(format: "rate: best %.0f ballots/s, median %.0f ballots/s (target ≥ 200000)", Double(count) / best, Double(count) / med))
    print(String(format: "final peak RSS %.1f MiB (checksum %.2f)", peakRSSMiB(), checksum))
}

/// Writes the synthetic ballot file, for timing the server's import into SQLite and PostgreSQL.
func writeSurveyCSV(path: String, count: Int) {
    let q = QuestionnaireTemplates.sipas(formID: "sipas-bench", title: "SIPAS bench", version: "1")
    let bytes = syntheticBallotCSV(count: count, questionnaire: q, seed: 2024)
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
        FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
    print("wrote \(path): \(VietnameseNumber.format(count)) ballots, "
          + String(format: "%.1f MiB", Double(bytes.count) / 1_048_576)
          + "; SIPAS template (formID sipas-bench), group “\(benchGroup)”, units \(benchUnitCodes.first!)…\(benchUnitCodes.last!)")
}

// MARK: - Unit import (issue #20)

/// CPU seconds (user + system) of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

func cpu(_ body: () -> Void) -> Double {
    let start = cpuSeconds()
    body()
    return cpuSeconds() - start
}

/// A chain of `n` departments, each under the previous one (the first under province HD, or
/// under the last one when `closed`, making one loop of `n`).
func unitChainCSV(_ n: Int, closed: Bool) -> String {
    var lines = ["ma,ten,loai,ma_cap_tren"]
    lines.reserveCapacity(n + 1)
    for i in 1...n { lines.append("S\(i),Sở \(i),Sở,\(i == 1 ? (closed ? "S\(n)" : "HD") : "S\(i - 1)")") }
    return lines.joined(separator: "\n") + "\n"
}

/// A valid file of about `count` units, children listed before their parents: one province,
/// 100 departments, districts of 500 communes each.
func syntheticUnitsCSV(count: Int) -> String {
    var lines = ["ma,ten,ten_viet_tat,loai,ma_cap_tren"]
    lines.reserveCapacity(count + 1)
    let districts = max(1, (count - 101) / 501)
    for d in 1...districts {
        for c in 1...500 { lines.append("H\(d)-X\(c),Xã số \(c) huyện \(d),,Xã,H\(d)") }
    }
    for d in 1...districts { lines.append("H\(d),Huyện số \(d),Huyện \(d),Huyện,TINH") }
    for s in 1...100 { lines.append("S\(s),Sở số \(s),,Sở,TINH") }
    lines.append("TINH,Tỉnh Thử Nghiệm,Thử Nghiệm,Tỉnh,")
    return lines.joined(separator: "\n") + "\n"
}

/// The per-row walk to the root that the import used before issue #20, kept here only to
/// measure the "before" figure on the same data.
func legacyCycleWalks(_ plan: [(code: String, parent: String?)]) -> Int {
    var parentOf: [String: String?] = ["HD": nil]
    for r in plan { parentOf[r.code] = r.parent }
    var loops = 0
    for r in plan where r.parent != nil {
        var seen: Set<String> = [r.code]
        var current = parentOf[r.code] ?? nil
        while let c = current {
            if !seen.insert(c).inserted { loops += 1; break }
            current = parentOf[c] ?? nil
        }
    }
    return loops
}

func runUnitsBench() {
    print("ParIndexBench — unit import validation (issue #20); CPU time = user + system")
    let province = [UnitImportPlan.ExistingUnit(code: "HD", kind: .province, parentCode: nil)]
    for closed in [false, true] {
        let table = try! CSVTable.parse(unitChainCSV(20_000, closed: closed))
        var errors = 0
        let t = cpu {
            if case let .failure(e) = UnitImportPlan.plan(table, existing: province) { errors = e.rows.count }
        }
        print("20.000-deep \(closed ? "loop " : "chain"): plan + validation \(ms(t)) CPU (\(VietnameseNumber.format(errors)) row errors)")
    }
    let chain = (1...20_000).map { i in (code: "S\(i)", parent: Optional(i == 1 ? "HD" : "S\(i - 1)")) }
    var loops = 0
    let legacy = cpu { loops = legacyCycleWalks(chain) }
    print("before (per-row walk to the root), 20.000-deep chain: cycle check alone \(ms(legacy)) CPU (\(loops) loops)")

    let csv = syntheticUnitsCSV(count: 200_000)
    var table: CSVTable? = nil
    let parse = cpu { table = try! CSVTable.parse(csv) }
    var rows = 0, levels = 0
    let plan = cpu {
        let p = try! UnitImportPlan.plan(table!, existing: []).get()
        rows = p.rows.count
        levels = p.levels.count
    }
    print("valid file, \(VietnameseNumber.format(rows)) units: CSV parse \(ms(parse)), plan + validation + levels \(ms(plan)) CPU (\(levels) levels)")
    print(String(format: "peak RSS %.1f MiB", peakRSSMiB()))
}

func writeUnitsCSV(path: String, count: Int) {
    let csv = syntheticUnitsCSV(count: count)
    do { try Data(csv.utf8).write(to: URL(fileURLWithPath: path)) } catch {
        FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
    print("wrote \(path): \(VietnameseNumber.format(csv.split(separator: "\n").count - 1)) units")
}

// MARK: - Dispatch

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "surveys":
    runSurveyBench()
case "survey-csv":
    guard arguments.count >= 2 else {
        print("usage: ParIndexBench survey-csv PATH [COUNT]")
        exit(2)
    }
    writeSurveyCSV(path: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000)
case "units":
    runUnitsBench()
case "statistics":
    runStatisticsBench(formsDirectory: arguments.count > 1 ? arguments[1] : "Forms")
case "units-csv":
    guard arguments.count >= 2 else {
        print("usage: ParIndexBench units-csv PATH [COUNT]")
        exit(2)
    }
    writeUnitsCSV(path: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) ?? 200_000 : 200_000)
default:
    runScoringBench()
}
