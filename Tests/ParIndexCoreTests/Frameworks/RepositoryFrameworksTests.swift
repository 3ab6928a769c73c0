import Foundation
import Testing
@testable import ParIndexCore

/// The framework files kept at the repository root (`Frameworks/*.yaml`).
enum RepositoryFrameworks {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Frameworks")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func load(_ name: String) throws -> Framework {
        try FrameworkYAML.load(text(name))
    }

    static let files = ["hai-duong-department-2022.yaml", "hai-duong-district-2022.yaml", "province-2948.yaml"]
}

@Suite("Framework files in the repository")
struct RepositoryFrameworksTests {
    @Test("every file validates and round-trips through export", arguments: RepositoryFrameworks.files)
    func validatesAndRoundTrips(file: String) throws {
        let framework = try RepositoryFrameworks.load(file)
        #expect(framework.totalMaxPoints == 100)
        let exported = try FrameworkYAML.export(framework)
        #expect(try FrameworkYAML.load(exported) == framework)
    }

    /// The demo ships its own copies of seed 004's frameworks; they must load like the repository's.
    @Test("the demo's framework files validate", arguments: ["hai-duong-department-2022.yaml", "hai-duong-district-2022.yaml"])
    func demoFilesValidate(file: String) throws {
        let url = RepositoryFrameworks.directory.deletingLastPathComponent()
            .appendingPathComponent("Sources/ParIndexDemo/Resources/Frameworks").appendingPathComponent(file)
        let framework = try FrameworkYAML.load(String(contentsOf: url, encoding: .utf8))
        #expect(framework.totalMaxPoints == 100)
    }

    @Test("every survey criterion names a source a questionnaire template fills", arguments: RepositoryFrameworks.files)
    func surveySourcesAreKnown(file: String) throws {
        let sources = try RepositoryFrameworks.load(file).leaves.compactMap { leaf -> String? in
            if case let .survey(source)? = leaf.method { source } else { nil }
        }
        #expect(!sources.isEmpty)
        #expect(Set(sources).isSubset(of: QuestionnaireTemplates.knownSources.map(\.source)))
    }

    @Test func departmentFieldsMatchSeed004() throws {
        let f = try RepositoryFrameworks.load("hai-duong-department-2022.yaml")
        #expect(f.unitKind == .department && f.year == 2022)
        #expect(f.nodes.map(\.maxPoints) == [14.5, 10, 16, 6.5, 9.5, 6, 9, 28.5])
        #expect(f.composition.map(\.points) == [71.5, 18.5, 10])
        #expect(f.nodes[2].title == "Cải cách thủ tục hành chính")
        let kinds = Set(f.leaves.compactMap { $0.method?.kind })
        #expect(kinds == Set(FrameworkYAMLKeys.methodKinds))
        #expect(f.allNodes.contains { $0.node.role == .penalty })
    }

    @Test func districtFieldsMatchSeed004() throws {
        let f = try RepositoryFrameworks.load("hai-duong-district-2022.yaml")
        #expect(f.unitKind == .district)
        #expect(f.nodes.map(\.maxPoints) == [15.5, 5.5, 15.5, 8.5, 11.5, 7, 9, 6.5, 21])
        #expect(f.composition.map(\.points) == [72.5, 6.5, 11, 10])
        #expect(Set(f.leaves.compactMap { $0.method?.kind }) == Set(FrameworkYAMLKeys.methodKinds))
    }

    @Test func provinceHasEightFields() throws {
        let f = try RepositoryFrameworks.load("province-2948.yaml")
        #expect(f.unitKind == .province)
        #expect(f.nodes.map(\.maxPoints) == [10, 10, 14.5, 11, 16, 7, 16, 15.5])
    }

    @Test func vietnameseTextIsKeptAsIs() throws {
        let f = try RepositoryFrameworks.load("hai-duong-department-2022.yaml")
        let exported = try FrameworkYAML.export(f)
        #expect(exported.contains("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"))
        #expect(exported.contains("max: 14,5"))
        #expect(f.node(code: "1.1.2")?.title == "Kế hoạch xác định rõ nhiệm vụ theo tinh thần \"5 rõ\"")
    }

    @Test func departmentFrameworkScoresACampaign() throws {
        let f = try RepositoryFrameworks.load("hai-duong-department-2022.yaml")
        let engine = ResultsEngine(framework: f)
        let result = engine.compute([UnitSubmission(unitID: UUID(), name: "Sở Nội vụ", inputs: [:])])
        #expect(result.units[0].issues.count == f.leaves.count)
        #expect(result.units[0].indexPercent >= 0)
    }
}
