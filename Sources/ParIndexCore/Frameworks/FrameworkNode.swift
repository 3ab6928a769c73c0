import Foundation

/// How a node's points reach its parent. Bonus and penalty nodes (*điểm thưởng*,
/// *điểm trừ*) sit outside the parent's max: their own max is their cap, and the
/// parent stays within [0, its max] after adding or subtracting them.
public enum NodeRole: String, Sendable, Hashable, CaseIterable {
    case scored
    case bonus
    case penalty
}

/// One node of a criteria framework: a field (*lĩnh vực*), criterion (*tiêu chí*)
/// or sub-criterion (*tiêu chí thành phần*), at any depth.
public struct FrameworkNode: Sendable, Hashable {
    /// Dotted code as printed in the framework, e.g. `3.2.1`.
    public var code: String
    public var title: String
    public var guidance: String
    /// The evidence (*tài liệu kiểm chứng*) the criterion asks for.
    public var evidence: [String]
    public var maxPoints: Double
    public var role: NodeRole
    /// Whether a unit may mark this node not applicable (it then leaves the unit's max).
    public var allowsNotApplicable: Bool
    /// Set on leaves only.
    public var method: ScoringMethod?
    /// Last year's code of this node, when it differs (crosswalk hint).
    public var previousCode: String?
    /// What a field is about (`tthc`, `digital`), so results rules choose fields by subject
    /// rather than by number: the 2025 frameworks renumbered them (issue #12).
    public var tags: [String]
    public var children: [FrameworkNode]

    public init(code: String, title: String, guidance: String = "", evidence: [String] = [],
                maxPoints: Double, role: NodeRole = .scored, allowsNotApplicable: Bool = false,
                method: ScoringMethod? = nil, previousCode: String? = nil, tags: [String] = [], children: [FrameworkNode] = []) {
        self.code = code
        self.title = title
        self.guidance = guidance
        self.evidence = evidence
        self.maxPoints = maxPoints
        self.role = role
        self.allowsNotApplicable = allowsNotApplicable
        self.method = method
        self.previousCode = previousCode
        self.tags = tags
        self.children = children
    }

    public var isLeaf: Bool { children.isEmpty }

    /// Sum of the max of the children that count toward this node's max.
    public var scoredChildrenMax: Double {
        children.lazy.filter { $0.role == .scored }.map(\.maxPoints).reduce(0, +)
    }
}
