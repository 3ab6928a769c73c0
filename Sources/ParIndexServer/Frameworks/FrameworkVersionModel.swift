import Crypto
import Fluent
import Foundation
import ParIndexCore

/// Where a stored framework version is in its life: a draft can be replaced or deleted;
/// a published version is frozen so that results computed on it stay reproducible.
package enum FrameworkStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case published

    var labelVI: String {
        switch self {
        case .draft: "Bản nháp"
        case .published: "Đã công bố"
        }
    }
}

/// One uploaded version of a criteria framework, unique by unit kind, year and version.
/// The YAML source is kept exactly as uploaded (it is the version's definition, and what
/// export returns); the other columns are derived from it at upload so that lists need no parse.
package final class FrameworkVersionModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are classes with property wrappers; each instance is
    // confined to the request task that loaded it (Fluent's documented usage).
    package static let schema = "framework_versions"

    @ID(key: .id) package var id: UUID?
    /// The framework's own `id` in its file, e.g. `hai-duong-department`.
    @Field(key: "code") package var code: String
    @Field(key: "unit_kind") package var unitKind: String
    @Field(key: "year") package var year: Int
    @Field(key: "version") package var version: String
    @Field(key: "title") var title: String
    @Field(key: "yaml") var yaml: String
    /// Hex SHA-256 of the UTF-8 YAML: lets anyone check that a result was computed on this exact text.
    @Field(key: "sha256") var sha256: String
    @Field(key: "node_count") var nodeCount: Int
    @Field(key: "leaf_count") var leafCount: Int
    @Field(key: "total_max") var totalMax: Double
    @Field(key: "status") package var status: String
    @OptionalField(key: "published_at") package var publishedAt: Date?
    /// Usernames, as in the audit trail (users are never deleted or renamed).
    @OptionalField(key: "published_by") package var publishedBy: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by") var createdBy: String

    package init() {}

    package var frameworkStatus: FrameworkStatus { FrameworkStatus(rawValue: status) ?? .draft }
    var kind: UnitKind { UnitKind(rawValue: unitKind) ?? .department }

    /// Audit-trail and API name of the version: what makes it unique.
    var key: String { "\(unitKind)/\(year)/\(version)" }

    /// Takes a validated framework and its source. `createdAt`/`createdBy` are set here too:
    /// replacing a draft makes the uploader of the new text its author.
    package func apply(_ framework: Framework, yaml: String, by actor: String, at date: Date) {
        code = framework.id
        unitKind = framework.unitKind.rawValue
        year = framework.year
        version = framework.version
        title = framework.title
        self.yaml = yaml
        sha256 = Self.sha256(yaml)
        let nodes = framework.allNodes
        nodeCount = nodes.count
        leafCount = nodes.filter(\.node.isLeaf).count
        totalMax = framework.totalMaxPoints
        status = FrameworkStatus.draft.rawValue
        createdAt = date
        createdBy = actor
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
