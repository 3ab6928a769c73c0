import Foundation

/// A criteria framework (*bộ chỉ số*) for one unit kind and year. Frameworks
/// change every year and a published version is frozen: results computed on it
/// must stay reproducible, so a framework is an immutable value identified by
/// `id` + `version`.
public struct Framework: Sendable, Hashable {
    public var id: String
    public var title: String
    public var unitKind: UnitKind
    public var year: Int
    public var version: String
    /// The decision that issued it, e.g. "3396/QĐ-UBND ngày 15/12/2022".
    public var legalBasis: String
    public var composition: [CompositionPart]
    public var notApplicablePolicy: NotApplicablePolicy
    public var indexDenominator: IndexDenominator
    /// Top-level nodes: the fields.
    public var nodes: [FrameworkNode]
    /// The file's `results:` block; nil: seed 004's rules (every framework published before
    /// issue #12 reads as it did).
    public var results: ResultsConfiguration?

    public init(id: String, title: String, unitKind: UnitKind, year: Int, version: String,
                legalBasis: String = "", composition: [CompositionPart] = [],
                notApplicablePolicy: NotApplicablePolicy = .rescaleToFullTotal,
                indexDenominator: IndexDenominator = .frameworkTotal, nodes: [FrameworkNode], results: ResultsConfiguration? = nil) {
        self.id = id
        self.title = title
        self.unitKind = unitKind
        self.year = year
        self.version = version
        self.legalBasis = legalBasis
        self.composition = composition
        self.notApplicablePolicy = notApplicablePolicy
        self.indexDenominator = indexDenominator
        self.nodes = nodes
        self.results = results
    }

    /// The rules its results are computed with: its own, or seed 004's, fields chosen by tag resolved to codes.
    public var resultsRules: ResultsConfiguration { (results ?? .seed004).resolved(for: self) }

    /// The framework's full max (seed 004: 100), bonus and penalty nodes excluded.
    public var totalMaxPoints: Double {
        nodes.lazy.filter { $0.role == .scored }.map(\.maxPoints).reduce(0, +)
    }

    /// Every node in pre-order with its depth (fields have depth 0) and field code.
    public var allNodes: [FlatNode] {
        var out: [FlatNode] = []
        func walk(_ node: FrameworkNode, depth: Int, field: String, parent: String?, path: [Int]) {
            out.append(FlatNode(node: node, depth: depth, fieldCode: field, parentCode: parent, path: path))
            for (i, child) in node.children.enumerated() {
                walk(child, depth: depth + 1, field: field, parent: node.code, path: path + [i])
            }
        }
        for (i, field) in nodes.enumerated() { walk(field, depth: 0, field: field.code, parent: nil, path: [i]) }
        return out
    }

    public var leaves: [FrameworkNode] { allNodes.map(\.node).filter(\.isLeaf) }

    public func node(code: String) -> FrameworkNode? {
        allNodes.first { $0.node.code == code }?.node
    }
}

/// A node seen in a flattened walk of the tree.
public struct FlatNode: Sendable, Hashable {
    public var node: FrameworkNode
    public var depth: Int
    public var fieldCode: String
    public var parentCode: String?
    /// Child indexes from the top level, e.g. [2, 1, 0] for the first child of 3.2.
    public var path: [Int]
}

/// One part of the score composition (seed 004, departments: 71,5 from evidence,
/// 18,5 organisational survey, 10 SIPAS).
public struct CompositionPart: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, CaseIterable {
        case evidence
        case survey
    }
    public var name: String
    public var source: Source
    public var points: Double
    /// Codes of the nodes whose max make up this part.
    public var nodeCodes: [String]

    public init(name: String, source: Source, points: Double, nodeCodes: [String]) {
        self.name = name
        self.source = source
        self.points = points
        self.nodeCodes = nodeCodes
    }
}

/// What a unit's result is when some of its nodes are not applicable.
public enum NotApplicablePolicy: String, Sendable, Hashable, CaseIterable {
    /// Points are rescaled to the full total (points ÷ applicable max × total).
    case rescaleToFullTotal = "rescale_to_full_total"
    /// Points are reported as they are, as a share of the applicable max.
    case shareOfApplicableMax = "share_of_applicable_max"
}

/// What the index percentage divides by. One province reported appraised
/// points ÷ appraised max (62,62 / 70 = 89,45 %), leaving surveys out; most
/// divide by the full total (so it is a framework setting, not a constant).
public enum IndexDenominator: String, Sendable, Hashable, CaseIterable {
    case frameworkTotal = "framework_total"
    case excludingSurveys = "excluding_surveys"
}
