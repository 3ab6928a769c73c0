import Foundation
import ParIndexCore
import ParIndexServer

/// One generated self-assessment entry, with the points the engine gives it.
struct DemoEntry: Sendable, Equatable {
    var leafCode: String
    var input: LeafInput
    var points: Double
    var explanation: String
}

/// Generates a unit's self-assessment: one input per self-scored leaf, in the shape its
/// scoring method expects, so that the grid, the progress counters and later the results
/// engine all see data a real reporter could have typed.
enum DemoEntries {
    /// A unit's claimed share of its self-scored max stays in this band: seed 004's units
    /// claim between about 70 % and 98 % of the points assessed from evidence.
    static let plausibleShare = 0.70...0.98

    /// A self-scored leaf and the role of its branch: points under a bonus or penalty node
    /// do not count toward the unit's max.
    struct Leaf {
        var node: FrameworkNode
        var role: NodeRole
    }

    static func leaves(_ framework: Framework) -> [Leaf] {
        var out: [Leaf] = []
        func walk(_ n: FrameworkNode, inherited: NodeRole) {
            let role = inherited == .scored ? n.role : inherited
            if n.isLeaf {
                if n.method?.isSelfScored ?? false { out.append(Leaf(node: n, role: role)) }
            } else {
                for c in n.children { walk(c, inherited: role) }
            }
        }
        for n in framework.nodes { walk(n, inherited: .scored) }
        return out
    }

    /// Deterministic per unit and year. Each unit gets a "quality" that drives every leaf;
    /// a draw whose claimed share leaves the plausible band is redrawn (same generator, so
    /// still deterministic).
    static func generate(_ framework: Framework, unitCode: String, year: Int) -> [DemoEntry] {
        generate(framework, unitCode: unitCode, year: year, label: "entries/\(year)/\(unitCode)", quality: 0.76...0.95)
    }

    /// The same with a quality range and a label of its own: the 2022 tuning (``DemoTargets``)
    /// tries labelled variants until the unit lands where seed 004 put it.
    static func generate(_ framework: Framework, unitCode: String, year: Int, label: String,
                         quality range: ClosedRange<Double>) -> [DemoEntry] {
        var rng = DemoRandom(label)
        let quality = rng.double(in: range)
        let all = leaves(framework)
        var entries: [DemoEntry] = []
        for _ in 0..<30 {
            entries = all.map { draw($0, quality: quality, year: year, rng: &rng) }
            if plausibleShare.contains(claimedShare(entries, leaves: all)) { break }
        }
        return entries
    }

    /// Points claimed on the unit's own scored leaves ÷ their max (not-applicable leaves
    /// leave the max, as in the results engine).
    static func claimedShare(_ entries: [DemoEntry], leaves: [Leaf]) -> Double {
        let byCode = Dictionary(uniqueKeysWithValues: entries.map { ($0.leafCode, $0) })
        var claimed = 0.0, max = 0.0
        for leaf in leaves where leaf.role == .scored {
            guard let e = byCode[leaf.node.code] else { continue }
            if case .notApplicable = e.input { continue }
            claimed += e.points
            max += leaf.node.maxPoints
        }
        return max > 0 ? claimed / max : 0
    }

    /// The points exactly as `AssessmentService.save` computes them, including its preview
    /// rule for a normalised ratio (the unit's own value is the best until every unit is in).
    static func points(_ node: FrameworkNode, _ input: LeafInput) -> Double {
        AssessmentService.previewPoints(node, input)
    }

    private static func draw(_ leaf: Leaf, quality: Double, year: Int, rng: inout DemoRandom) -> DemoEntry {
        let node = leaf.node
        if node.allowsNotApplicable && rng.chance(0.12) {
            return DemoEntry(leafCode: node.code, input: .notApplicable, points: 0,
                             explanation: "Trong năm \(year) đơn vị không phát sinh nội dung này nên đề nghị không áp dụng tiêu chí.")
        }
        // A target share of the leaf's max: most leaves near the unit's quality, a few weak ones.
        let target: Double
        switch leaf.role {
        case .penalty: target = 0   // the grid adds every entry's points, so a penalty would read as a gain
        case .bonus: target = rng.chance(quality - 0.5) ? 1 : 0
        case .scored: target = rng.chance(1 - quality) ? rng.double(in: 0...0.6) : min(1, rng.double(in: (quality - 0.1)...1.05))
        }
        let goal = target * node.maxPoints
        var best: (input: LeafInput, points: Double)?
        for input in rng.shuffled(candidates(node, target: target, rng: &rng)) where valid(node, input) {
            let p = points(node, input)
            if best == nil || abs(p - goal) < abs(best!.points - goal) - 1e-12 { best = (input, p) }
        }
        let chosen = best ?? (.notApplicable, 0)
        return DemoEntry(leafCode: node.code, input: chosen.input, points: chosen.points,
                         explanation: explanation(node, chosen.input, year: year))
    }

    private static func valid(_ node: FrameworkNode, _ input: LeafInput) -> Bool {
        guard let method = node.method else { return false }
        do {
            try LeafScorer.validate(method, maxPoints: node.maxPoints, allowsNotApplicable: node.allowsNotApplicable, input: input)
            return true
        } catch { return false }
    }

    /// Inputs worth considering for a leaf; the one scoring closest to the target wins.
    private static func candidates(_ node: FrameworkNode, target: Double, rng: inout DemoRandom) -> [LeafInput] {
        switch node.method {
        case .none, .survey: return []
        case .yesNo: return [.yesNo(true), .yesNo(false)]
        case let .levels(levels): return levels.map { .level($0.id) }
        case .ratio:
            let d = rng.int(in: 12...480)
            return [target, 1, rng.double(in: 0.6...1)].map { .ratio(numerator: (Double(d) * $0).rounded(), denominator: Double(d)) }
        case let .ratioBands(bands, _):
            // One ratio inside each band, one below the lowest: the band decides the points.
            let d = rng.int(in: 12...480)
            let mins = bands.map(\.minPercent).sorted()
            var ratios = [max(0, (mins.first ?? 50) - rng.double(in: 5...30)) / 100]
            for (i, lo) in mins.enumerated() {
                let hi = i + 1 < mins.count ? mins[i + 1] : max(lo, 100)
                ratios.append(min(1, (lo + rng.double(in: 0...max(0, hi - lo - 0.5))) / 100))
            }
            return ratios.map { r in .ratio(numerator: min(Double(d), (Double(d) * r).rounded(.up)), denominator: Double(d)) }
        case .normalizedRatio:
            // A percentage for rates (*tỷ lệ*), otherwise a count such as new enterprises.
            // Points come from comparing units (value ÷ the best unit's), so the value follows
            // the unit's quality: a strong unit is near the top of the province.
            let t = min(max(target, 0), 1)
            if node.title.lowercased().contains("tỷ lệ") {
                return [.value((min(99, max(20, 35 + 63 * t + rng.double(in: -5...5))) * 10).rounded() / 10)]
            }
            return [.value(Double(max(10, Int(40 + 380 * t) + rng.int(in: -30...30))))]
        case let .occurrences(rule):
            let most = Int((node.maxPoints / max(rule.pointsPerOccurrence, 0.01)).rounded(.up))
            return (0...max(most, 1)).map { .count($0) }
        case let .manual(step):
            let steps = Int((node.maxPoints / max(step, 0.01)).rounded(.down))
            return (0...steps).map { .points(Double($0) * step) }
        case let .formula(f):
            return (0..<16).map { i in .values(formulaValues(f.inputs.map(\.name), small: i < 6, rng: &rng)) }
        }
    }

    /// The frameworks' formulas name a total first and parts of it after (tasks assigned →
    /// on time → late; late files → apologies; units → inspected), so the parts are drawn
    /// within what remains of the total and the data stays consistent.
    private static func formulaValues(_ names: [String], small: Bool, rng: inout DemoRandom) -> [String: Double] {
        guard let first = names.first else { return [:] }
        let total = small ? rng.int(in: 0...4) : rng.int(in: 5...80)
        var values = [first: Double(total)]
        var remaining = total
        for (i, name) in names.dropFirst().enumerated() {
            // The first part usually takes most of the total (e.g. tasks done on time).
            let share = i == 0 ? Int((Double(remaining) * rng.double(in: 0.5...1)).rounded()) : rng.int(in: 0...remaining)
            values[name] = Double(share)
            remaining -= share
        }
        return values
    }

    /// What a reporter would write next to the input, in Vietnamese notation.
    static func explanation(_ node: FrameworkNode, _ input: LeafInput, year: Int) -> String {
        switch input {
        case .notApplicable:
            return "Trong năm \(year) đơn vị không phát sinh nội dung này nên đề nghị không áp dụng tiêu chí."
        case let .yesNo(yes):
            return yes ? "Đơn vị đã thực hiện đầy đủ nội dung tiêu chí trong năm \(year)."
                : "Trong năm \(year) đơn vị chưa thực hiện được nội dung này."
        case let .level(id):
            if case let .levels(levels) = node.method, let l = levels.first(where: { $0.id == id }) {
                return "Tự đánh giá ở mức: \(lowerFirst(l.label))."
            }
            return "Tự đánh giá theo hướng dẫn của tiêu chí."
        case let .ratio(n, d):
            return "Đạt \(VietnameseNumber.format(n))/\(VietnameseNumber.format(d)) (\(VietnameseNumber.percent(d > 0 ? n / d : 0, fractionDigits: 1))) theo số liệu báo cáo năm \(year)."
        case let .value(v):
            return "Kết quả đạt được trong năm \(year): \(VietnameseNumber.format(v)) (số liệu của hệ thống theo dõi)."
        case let .count(c):
            return c == 0 ? "Trong năm \(year) không phát sinh trường hợp nào." : "Trong năm \(year) phát sinh \(c) trường hợp."
        case let .points(p):
            return "Đơn vị tự chấm \(VietnameseNumber.format(p)) điểm theo hướng dẫn của tiêu chí."
        case let .values(values):
            guard case let .formula(f) = node.method else { return "" }
            return f.inputs.map { "\($0.label): \(VietnameseNumber.format(values[$0.name] ?? 0))" }.joined(separator: "; ") + "."
        }
    }

    /// "Ban hành đúng hạn" → "ban hành đúng hạn", but "TTHC …" stays: acronyms keep their case.
    static func lowerFirst(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 1, chars[1].isLowercase else { return s }
        return chars[0].lowercased() + String(chars.dropFirst())
    }
}
