import Foundation

/// Why a node got its points, for one unit: "why did we get 12,5 here?".
public struct NodeExplanation: Sendable, Hashable {
    public struct Contribution: Sendable, Hashable {
        public var code: String
        public var role: NodeRole
        public var points: Double
        public var isNotApplicable: Bool
    }

    public var code: String
    public var title: String
    public var depth: Int
    public var role: NodeRole
    public var maxPoints: Double
    /// Max after not-applicable nodes are left out.
    public var applicableMax: Double
    public var points: Double
    public var isNotApplicable: Bool
    /// Leaves: the method's name and rule text, the input and the rule that applied.
    public var methodNameVI: String?
    public var ruleTextVI: String?
    public var input: LeafInput?
    public var appliedVI: String?
    public var issue: ScoringError?
    /// Branches: what was summed.
    public var children: [Contribution]
    /// One Vietnamese sentence: the rule applied or the parent's sum.
    public var summaryVI: String

    public var percent: Double? { applicableMax > 0 ? points / applicableMax * 100 : nil }
}

/// The full trace of one unit, nodes in framework order.
public struct UnitExplanation: Sendable, Hashable {
    public var unitID: UnitID
    public var nodes: [NodeExplanation]
    public var totalPoints: Double
    public var applicableMax: Double
    public var summaryVI: String

    public func node(_ code: String) -> NodeExplanation? { nodes.first { $0.code == code } }
}

extension ResultsEngine {
    /// Explains one unit's result. The campaign result supplies the best values
    /// that normalised ratios were measured against.
    public func explain(_ submission: UnitSubmission, in campaign: CampaignResult) -> UnitExplanation {
        var best = [Double](repeating: 0, count: layout.leafCount)
        for (i, code) in layout.leafCodes.enumerated() { best[i] = campaign.bestValues[code] ?? 0 }
        let inputs = layout.denseInputs(submission.inputs)
        let out = scorer.score(inputs, best: best, recordLeaves: true)
        let flat = framework.allNodes
        var nodes: [NodeExplanation] = []
        nodes.reserveCapacity(flat.count)
        for (i, f) in flat.enumerated() {
            nodes.append(explainNode(f, index: i, out: out, inputs: inputs))
        }
        let root = layout.rootIndex
        let fields = layout.fieldIndices.map { contribution($0, out) }
        return UnitExplanation(unitID: submission.unitID, nodes: nodes, totalPoints: out.points[root],
                               applicableMax: out.applicableMax[root],
                               summaryVI: Self.sumText(fields, points: out.points[root], max: out.applicableMax[root]))
    }

    private func explainNode(_ f: FlatNode, index i: Int, out: UnitScorer.Output,
                             inputs: [LeafInput?]) -> NodeExplanation {
        let node = layout.nodes[i]
        var e = NodeExplanation(code: f.node.code, title: f.node.title, depth: f.depth, role: f.node.role,
                                maxPoints: f.node.maxPoints, applicableMax: out.applicableMax[i],
                                points: out.points[i], isNotApplicable: out.applicableMax[i] == 0,
                                children: [], summaryVI: "")
        if node.leaf >= 0 {
            let method = layout.methods[node.leaf]
            let leaf = out.leafScores[node.leaf]
            e.methodNameVI = method.nameVI
            e.ruleTextVI = method.ruleTextVI(maxPoints: f.node.maxPoints)
            e.input = inputs[node.leaf]
            e.issue = leaf.issue
            e.appliedVI = leaf.applied.textVI(points: leaf.points)
            var summary = e.appliedVI ?? ""
            if e.isNotApplicable && !leaf.isNotApplicable { summary = "Không tính vào mẫu số của chỉ số (điểm điều tra xã hội học)." }
            if let issue = leaf.issue { summary += " " + issue.messageVI }
            e.summaryVI = summary
        } else {
            let children = layout.nodes.indices.filter { layout.nodes[$0].parent == i }
            e.children = children.map { contribution($0, out) }
            e.summaryVI = Self.sumText(e.children, points: e.points, max: e.applicableMax)
        }
        return e
    }

    private func contribution(_ i: Int, _ out: UnitScorer.Output) -> NodeExplanation.Contribution {
        let n = layout.nodes[i]
        return .init(code: n.code, role: n.role, points: out.points[i], isNotApplicable: out.applicableMax[i] == 0)
    }

    /// "Tổng: 1.1 (2) + 1.2 (1,5) + thưởng 1.3 (0,5) − trừ 1.4 (1) = 3; tối đa 2,5 → 2,5 điểm."
    static func sumText(_ children: [NodeExplanation.Contribution], points: Double, max: Double) -> String {
        if max == 0 { return "Không áp dụng đối với đơn vị." }
        var raw = 0.0
        var terms: [String] = []
        for c in children where !c.isNotApplicable {
            let term = "\(c.code) (\(viNumber(c.points)))"
            switch c.role {
            case .scored: raw += c.points; terms.append(terms.isEmpty ? term : "+ " + term)
            case .bonus: raw += c.points; terms.append("+ thưởng " + term)
            case .penalty: raw -= c.points; terms.append("− trừ " + term)
            }
        }
        let skipped = children.filter(\.isNotApplicable).map(\.code)
        var text = "Tổng: " + terms.joined(separator: " ") + " = \(viNumber(raw))"
        if raw != points { text += "; giới hạn trong khoảng 0 – \(viNumber(max)) → \(viNumber(points))" }
        text += " điểm (tối đa \(viNumber(max)))."
        if !skipped.isEmpty { text += " Không áp dụng: " + skipped.joined(separator: ", ") + "." }
        return text
    }
}
