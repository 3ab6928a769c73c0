import Foundation
import ParIndexCore
import Vapor

/// A stored framework version as lists, the API and audit lines speak it (no YAML: that is
/// what export is for; the SHA-256 identifies the exact text).
struct FrameworkSummaryDTO: Content, Equatable {
    var id: UUID
    var code: String
    var unitKind: String
    var unitKindLabel: String
    var year: Int
    var version: String
    var title: String
    var status: String
    var statusLabel: String
    var sha256: String
    var nodeCount: Int
    var leafCount: Int
    var totalMaxPoints: Double
    /// Vietnamese notation, e.g. "100" or "71,5".
    var totalMaxPointsText: String
    var createdAt: String
    var createdBy: String
    var publishedAt: String?
    var publishedBy: String?

    init(_ m: FrameworkVersionModel) {
        id = m.id!
        code = m.code
        unitKind = m.unitKind
        unitKindLabel = m.kind.labelVI
        year = m.year
        version = m.version
        title = m.title
        status = m.status
        statusLabel = m.frameworkStatus.labelVI
        sha256 = m.sha256
        nodeCount = m.nodeCount
        leafCount = m.leafCount
        totalMaxPoints = m.totalMax
        totalMaxPointsText = VietnameseNumber.format(m.totalMax)
        createdAt = VietnameseDate.formatDateTime(m.createdAt)
        createdBy = m.createdBy
        publishedAt = m.publishedAt.map(VietnameseDate.formatDateTime)
        publishedBy = m.publishedBy
    }

    var isDraft: Bool { status == FrameworkStatus.draft.rawValue }
}

/// One node of the tree, flattened in reading order with its depth (fields are 0) so a page
/// can indent it and an API client can rebuild the tree from `parentCode`.
struct FrameworkNodeDTO: Content, Equatable {
    var code: String
    var parentCode: String?
    var depth: Int
    var title: String
    var maxPoints: Double
    var maxPointsText: String
    /// `scored`, `bonus` or `penalty`.
    var role: String
    var roleLabel: String?
    var allowsNotApplicable: Bool
    var guidance: String
    var evidence: [String]
    /// Leaves only: the method's file name (`yes_no`, `levels`, …), Vietnamese name and rule text.
    var method: String?
    var methodName: String?
    var ruleText: String?

    init(_ flat: FlatNode) {
        let n = flat.node
        code = n.code
        parentCode = flat.parentCode
        depth = flat.depth
        title = n.title
        maxPoints = n.maxPoints
        maxPointsText = VietnameseNumber.format(n.maxPoints)
        role = n.role.rawValue
        roleLabel = switch n.role {
        case .scored: nil
        case .bonus: "Điểm thưởng"
        case .penalty: "Điểm trừ"
        }
        allowsNotApplicable = n.allowsNotApplicable
        guidance = n.guidance
        evidence = n.evidence
        method = n.method?.kind
        methodName = n.method?.nameVI
        ruleText = n.method?.ruleTextVI(maxPoints: n.maxPoints)
    }
}

struct CompositionPartDTO: Content, Equatable {
    var name: String
    var source: String
    var points: Double
    var pointsText: String
    var nodes: [String]

    init(_ p: CompositionPart) {
        name = p.name
        source = p.source.rawValue
        points = p.points
        pointsText = VietnameseNumber.format(p.points)
        nodes = p.nodeCodes
    }
}

/// A version with its whole tree, for review before publication.
struct FrameworkDetailDTO: Content, Equatable {
    var framework: FrameworkSummaryDTO
    var legalBasis: String
    var notApplicablePolicy: String
    var indexDenominator: String
    var composition: [CompositionPartDTO]
    var nodes: [FrameworkNodeDTO]
    /// The results rules in words (its `results:` block, or seed 004's), and the fields' tags.
    var resultsRules: [String]
    var fieldTags: [String: [String]]

    init(_ m: FrameworkVersionModel, _ f: Framework) {
        framework = FrameworkSummaryDTO(m)
        legalBasis = f.legalBasis
        notApplicablePolicy = f.notApplicablePolicy.rawValue
        indexDenominator = f.indexDenominator.rawValue
        composition = f.composition.map(CompositionPartDTO.init)
        nodes = f.allNodes.map(FrameworkNodeDTO.init)
        resultsRules = f.resultsRules.descriptionVI
        fieldTags = Dictionary(uniqueKeysWithValues: f.nodes.filter { !$0.tags.isEmpty }.map { ($0.code, $0.tags) })
    }
}

/// What changed from one version (`from`, the baseline) to another (`to`).
struct FrameworkDiffDTO: Content, Equatable {
    struct Change: Content, Equatable {
        /// `added`, `removed`, `moved`, `renamed`, `max_changed`, `method_changed`.
        var type: String
        var code: String
        var description: String

        init(_ c: FrameworkDiff.Change) {
            (type, code) = switch c {
            case .added(let code, _): ("added", code)
            case .removed(let code, _): ("removed", code)
            case .moved(_, let to, _): ("moved", to)
            case .renamed(let code, _, _): ("renamed", code)
            case .maxChanged(let code, _, _): ("max_changed", code)
            case .methodChanged(let code, _, _): ("method_changed", code)
            }
            description = c.descriptionVI
        }
    }

    var from: FrameworkSummaryDTO
    var to: FrameworkSummaryDTO
    var changes: [Change]
}

/// `POST /api/v1/frameworks` as JSON (the YAML may also be sent as the body itself).
struct FrameworkUploadInput: Content {
    var yaml: String?
    /// Why the version is uploaded (kept in the audit trail).
    var reason: String?
}

struct FrameworkReasonInput: Content {
    var reason: String?
}
