import Foundation

/// Scores one unit over a ``FrameworkLayout``: every leaf by its method, then
/// every branch as the sum of its children, bonus added and penalty subtracted,
/// kept within [0, applicable max]. Nothing is rounded here (rounding is for
/// display only; official rankings use unrounded values).
struct UnitScorer {
    let layout: FrameworkLayout
    let excludeSurveys: Bool

    /// Per-node results for one unit; slot `layout.rootIndex` is the whole framework.
    struct Output {
        var points: [Double]
        var applicableMax: [Double]
        var leafScores: [LeafScore]
        /// Leaves whose input was unusable, as (leaf index, error); rare, so always kept.
        var issues: [(Int, ScoringError)]
    }

    /// - Parameters:
    ///   - best: per leaf, the campaign's highest value (used by normalised ratios only).
    ///   - recordLeaves: keep each leaf's ``LeafScore`` (for explanations and issues).
    func score(_ inputs: [LeafInput?], best: [Double], recordLeaves: Bool) -> Output {
        let count = layout.nodes.count + 1
        var points = [Double](repeating: 0, count: count)
        var appMax = [Double](repeating: 0, count: count)
        var acc = [Double](repeating: 0, count: count)
        var lost = [Double](repeating: 0, count: count)
        var applicable = [Bool](repeating: false, count: count)
        var leafScores: [LeafScore] = []
        var issues: [(Int, ScoringError)] = []
        if recordLeaves { leafScores.reserveCapacity(layout.leafCount) }

        for i in stride(from: layout.nodes.count - 1, through: 0, by: -1) {
            let node = layout.nodes[i]
            var pts: Double
            var max: Double
            if node.leaf >= 0 {
                let leaf = scoreLeaf(node, inputs: inputs, best: best)
                if recordLeaves { leafScores.append(leaf) }
                if let issue = leaf.issue { issues.append((node.leaf, issue)) }
                let na = leaf.isNotApplicable || (excludeSurveys && layout.surveyLeaves.contains(node.leaf))
                pts = na ? 0 : leaf.points
                max = na ? 0 : node.maxPoints
            } else if node.role == .scored {
                max = applicable[i] ? node.maxPoints - lost[i] : 0
                pts = clamp(acc[i], max)
            } else {
                // A bonus or penalty branch: its max is a cap on what its children add up to.
                max = applicable[i] ? node.maxPoints : 0
                pts = clamp(acc[i], max)
            }
            points[i] = pts
            appMax[i] = max
            let p = node.parent
            switch node.role {
            case .scored:
                acc[p] += pts
                lost[p] += node.maxPoints - max
                if max > 0 { applicable[p] = true }
            case .bonus: acc[p] += pts
            case .penalty: acc[p] -= pts
            }
        }
        let root = layout.rootIndex
        appMax[root] = layout.totalMax - lost[root]
        points[root] = clamp(acc[root], appMax[root])
        if recordLeaves { leafScores.reverse() }
        return Output(points: points, applicableMax: appMax, leafScores: leafScores, issues: issues.reversed())
    }

    private func scoreLeaf(_ node: FrameworkLayout.Node, inputs: [LeafInput?], best: [Double]) -> LeafScore {
        LeafScorer.score(layout.methods[node.leaf], maxPoints: node.maxPoints,
                         allowsNotApplicable: node.allowsNotApplicable,
                         input: inputs[node.leaf], best: best[node.leaf])
    }

    @inline(__always)
    private func clamp(_ value: Double, _ max: Double) -> Double {
        value < 0 ? 0 : (value > max ? max : value)
    }
}
