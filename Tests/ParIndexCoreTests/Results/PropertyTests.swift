import Foundation
import Testing
@testable import ParIndexCore

/// Randomised frameworks and inputs (seeded, so reproducible) checked against
/// the engine's invariants.
@Suite("Results engine properties")
struct PropertyTests {
    struct Random {
        var g: SeededGenerator
        var counter = 0

        mutating func points() -> Double { Double(Int.random(in: 1...12, using: &g)) * 0.25 }

        mutating func method(max: Double) -> ScoringMethod {
            switch Int.random(in: 0..<9, using: &g) {
            case 0: return .yesNo
            case 1: return .levels([.init(id: "a", label: "A", points: max), .init(id: "b", label: "B", points: max / 2)])
            case 2: return .ratio(zeroDenominator: .allCases.randomElement(using: &g)!)
            case 3: return .ratioBands([.init(minPercent: 100, points: max), .init(minPercent: 50, points: max / 2)],
                                       zeroDenominator: .allCases.randomElement(using: &g)!)
            case 4: return .normalizedRatio
            case 5: return .occurrences(.init(mode: Bool.random(using: &g) ? .add : .deduct, pointsPerOccurrence: 0.25,
                                              cap: Bool.random(using: &g) ? nil : max / 2))
            case 6: return .manual(step: 0.25)
            case 7: return .survey(source: "org")
            default: return .formula(try! Formula("if(a > b, a - b, b / 2) * 0.5", inputs: [
                .init(name: "a", label: "a"), .init(name: "b", label: "b")]))
            }
        }

        mutating func node(code: String, depth: Int) -> FrameworkNode {
            let role: NodeRole = depth > 0 && Int.random(in: 0..<8, using: &g) == 0 ? (Bool.random(using: &g) ? .bonus : .penalty) : .scored
            if depth >= 3 || (depth > 0 && Bool.random(using: &g)) {
                let max = points()
                return FrameworkNode(code: code, title: code, maxPoints: max, role: role,
                                     allowsNotApplicable: Bool.random(using: &g), method: method(max: max))
            }
            var children: [FrameworkNode] = []
            for i in 1...Int.random(in: 1...4, using: &g) { children.append(node(code: "\(code).\(i)", depth: depth + 1)) }
            let sum = children.filter { $0.role == .scored }.map(\.maxPoints).reduce(0, +)
            return FrameworkNode(code: code, title: code, maxPoints: sum > 0 ? sum : 1, role: role, children: children)
        }

        mutating func input(for method: ScoringMethod?) -> LeafInput? {
            let roll = Int.random(in: 0..<20, using: &g)
            if roll == 0 { return nil }
            if roll == 1 { return .notApplicable }
            if roll == 2 { return .count(-3) }
            let x = Double.random(in: -1...30, using: &g)
            switch method {
            case .yesNo: return .yesNo(Bool.random(using: &g))
            case .levels: return .level(["a", "b", "z"].randomElement(using: &g)!)
            case .ratio, .ratioBands: return .ratio(numerator: x, denominator: Double(Int.random(in: 0...20, using: &g)))
            case .normalizedRatio: return .value(x)
            case .occurrences: return .count(Int.random(in: -1...12, using: &g))
            case .manual, .survey: return .points(x / 5)
            case .formula: return .values(["a": x, "b": Double.random(in: 0...10, using: &g)])
            case nil: return nil
            }
        }
    }

    @Test("invariants hold on random campaigns", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func invariants(seed: UInt64) {
        var r = Random(g: SeededGenerator(seed: seed))
        let fields = (1...Int.random(in: 1...6, using: &r.g)).map { r.node(code: "\($0)", depth: 0) }
        let framework = Framework(id: "p", title: "p", unitKind: .district, year: 2024, version: "\(seed)", nodes: fields)
        let leaves = framework.leaves
        let units = (0..<Int.random(in: 0...25, using: &r.g)).map { n in
            var inputs: [String: LeafInput] = [:]
            for leaf in leaves { inputs[leaf.code] = r.input(for: leaf.method) }
            return ScoringFixtures.unit(n, inputs)
        }
        let campaign = ResultsEngine(framework: framework).compute(units)
        for k in units.indices {
            for field in framework.nodes { check(field, unit: k, campaign) }
            let u = campaign.units[k]
            #expect(u.indexPercent >= 0 && u.indexPercent <= 100 + 1e-9)
            #expect(u.totalPoints >= 0 && u.totalPoints <= framework.totalMaxPoints + 1e-9)
        }
        checkRanks(campaign.units)
    }

    /// Points within [0, applicable max ≤ max]; a parent is the capped sum of its children.
    private func check(_ node: FrameworkNode, unit k: Int, _ campaign: CampaignResult) {
        let r = campaign.node(node.code, unit: k)!
        #expect(r.points >= 0 && r.points <= r.applicableMax + 1e-9, "\(node.code)")
        #expect(r.applicableMax <= node.maxPoints + 1e-9, "\(node.code)")
        guard !node.isLeaf else { return }
        var sum = 0.0
        for child in node.children {
            check(child, unit: k, campaign)
            let c = campaign.node(child.code, unit: k)!
            switch child.role {
            case .scored, .bonus: sum += c.points
            case .penalty: sum -= c.points
            }
        }
        let expected = r.isNotApplicable ? 0 : min(max(sum, 0), r.applicableMax)
        #expect(abs(r.points - expected) < 1e-9, "parent \(node.code)")
    }

    /// Ranks are consistent with the order: rank = 1 + number of units strictly ahead.
    private func checkRanks(_ units: [UnitResult]) {
        for u in units {
            let ahead = units.filter { $0.indexPercent - u.indexPercent > Ranking.tieTolerance }.count
            #expect(u.rank == ahead + 1)
        }
        let sorted = units.sorted { $0.rank < $1.rank }
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.indexPercent >= b.indexPercent - Ranking.tieTolerance) }
    }
}
