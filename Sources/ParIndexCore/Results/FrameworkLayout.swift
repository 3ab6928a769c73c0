import Foundation

/// A framework flattened into arrays for scoring: nodes in pre-order, so that a
/// reverse walk meets every child before its parent. Built once per framework
/// and shared by every unit of a campaign.
public struct FrameworkLayout: Sendable {
    struct Node: Sendable {
        var code: String
        var maxPoints: Double
        var role: NodeRole
        /// Index of the parent node, or `rootIndex` for fields.
        var parent: Int
        /// Index into the leaf arrays, or -1 for a branch.
        var leaf: Int
        var allowsNotApplicable: Bool
    }

    let nodes: [Node]
    let methods: [ScoringMethod]
    let leafNodeIndex: [Int]
    let fieldIndices: [Int]
    public let nodeCodes: [String]
    public let leafCodes: [String]
    let nodeIndexByCode: [String: Int]
    let normalizedLeaves: [Int]
    let surveyLeaves: Set<Int>
    public let totalMax: Double

    /// The virtual root above the fields; its slot follows the real nodes.
    var rootIndex: Int { nodes.count }

    public init(_ framework: Framework) {
        var nodes: [Node] = []
        var methods: [ScoringMethod] = []
        var leafNodeIndex: [Int] = []
        var fieldIndices: [Int] = []
        let flat = framework.allNodes
        var indexByPath: [[Int]: Int] = [:]
        for (i, f) in flat.enumerated() {
            indexByPath[f.path] = i
            let parent = f.path.count == 1 ? flat.count : indexByPath[Array(f.path.dropLast())]!
            var leaf = -1
            if f.node.isLeaf {
                leaf = methods.count
                methods.append(f.node.method ?? .manual(step: 0))
                leafNodeIndex.append(i)
            }
            if f.depth == 0 { fieldIndices.append(i) }
            nodes.append(Node(code: f.node.code, maxPoints: f.node.maxPoints, role: f.node.role, parent: parent,
                              leaf: leaf, allowsNotApplicable: f.node.allowsNotApplicable))
        }
        self.nodes = nodes
        self.methods = methods
        self.leafNodeIndex = leafNodeIndex
        self.fieldIndices = fieldIndices
        self.nodeCodes = nodes.map(\.code)
        self.leafCodes = leafNodeIndex.map { nodes[$0].code }
        // First occurrence wins; a validated framework has no duplicates.
        self.nodeIndexByCode = Dictionary(nodes.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.normalizedLeaves = methods.indices.filter { methods[$0].needsCampaignContext }
        self.surveyLeaves = Set(methods.indices.filter { !methods[$0].isSelfScored })
        self.totalMax = framework.totalMaxPoints
    }

    public var nodeCount: Int { nodes.count }
    public var leafCount: Int { leafCodes.count }

    public func nodeIndex(code: String) -> Int? { nodeIndexByCode[code] }

    /// A unit's inputs keyed by leaf code, laid out by leaf index.
    func denseInputs(_ inputs: [String: LeafInput]) -> [LeafInput?] {
        leafCodes.map { inputs[$0] }
    }
}
