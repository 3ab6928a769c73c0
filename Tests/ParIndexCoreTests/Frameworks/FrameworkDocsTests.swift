import Foundation
import Testing
@testable import ParIndexCore

/// `docs/frameworks.md` and `docs/framework.schema.json` at the repository root (issue #12, item 4).
enum FrameworkDocs {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Every key set the reader accepts and the heading of the section that documents it. A new set
    /// in ``FrameworkYAMLKeys`` is one line here; a new method is picked up from `method` by itself.
    static let keySets: [(name: String, heading: String, keys: Set<String>)] = [
        ("framework", "## Top level", FrameworkYAMLKeys.framework),
        ("composition", "## Composition", FrameworkYAMLKeys.composition),
        ("node", "## Nodes", FrameworkYAMLKeys.node),
        ("level", "### `levels`", FrameworkYAMLKeys.level),
        ("band", "### `ratio_bands`", FrameworkYAMLKeys.band),
        ("formulaInput", "### `formula`", FrameworkYAMLKeys.formulaInput),
        ("results", "## Results rules", FrameworkYAMLKeys.results),
        ("resultsBand", "## Results rules", FrameworkYAMLKeys.resultsBand),
        ("rating", "## Results rules", FrameworkYAMLKeys.rating),
        ("ratingRule", "## Results rules", FrameworkYAMLKeys.ratingRule),
        ("review", "## Results rules", FrameworkYAMLKeys.review),
    ] + FrameworkYAMLKeys.method.keys.sorted().map { ("method \($0)", "### `\($0)`", FrameworkYAMLKeys.method[$0] ?? []) }

    /// The lines of the section whose heading starts with `heading`, up to the next heading of the
    /// same or a higher level; headings inside code blocks (YAML comments) do not count.
    static func section(_ heading: String, in doc: String) -> [Substring]? {
        let level = heading.prefix { $0 == "#" }.count
        var lines: [Substring]?
        var fenced = false
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { fenced.toggle() }
            let headingLevel = fenced ? 0 : line.prefix { $0 == "#" }.count
            if headingLevel > 0, line.dropFirst(headingLevel).first == " " {
                if lines != nil, headingLevel <= level { break }
                if lines == nil, line.hasPrefix(heading) { lines = []; continue }
            }
            lines?.append(line)
        }
        return lines
    }

    /// A key is documented when a table row or list item of its section names it as `key`.
    static func documents(_ key: String, in section: [Substring]) -> Bool {
        section.contains { line in
            let t = line.drop { $0 == " " }
            return (t.hasPrefix("|") || t.hasPrefix("- ") || t.hasPrefix("* ")) && t.contains("`\(key)`")
        }
    }
}

@Suite("Framework files: the reference and the schema")
struct FrameworkDocsTests {
    @Test("every key the reader accepts is documented in its section", arguments: FrameworkDocs.keySets.map(\.name))
    func everyKeyIsDocumented(set name: String) throws {
        let doc = try FrameworkDocs.text("frameworks.md")
        let set = try #require(FrameworkDocs.keySets.first { $0.name == name })
        let section = try #require(FrameworkDocs.section(set.heading, in: doc), "no section \(set.heading)")
        let missing = set.keys.filter { !FrameworkDocs.documents($0, in: section) }.sorted()
        #expect(missing.isEmpty, "keys of \(name) missing from \(set.heading): \(missing)")
    }

    @Test func everyMethodKindHasItsKeySet() {
        #expect(Set(FrameworkYAMLKeys.method.keys) == Set(FrameworkYAMLKeys.methodKinds))
    }

    /// The check itself must be able to fail: a key only in prose or in a YAML example is not documented.
    @Test func aKeyOutsideATableOrListIsNotDocumented() throws {
        let doc = "## Nodes\n\nThe `max` key.\n\n```yaml\n# comment\n- code: \"1\"\n```\n| `title` | yes |\n## Next\n| `max` | |\n"
        let section = try #require(FrameworkDocs.section("## Nodes", in: doc))
        #expect(FrameworkDocs.documents("title", in: section))
        #expect(!FrameworkDocs.documents("max", in: section))
        #expect(!FrameworkDocs.documents("code", in: section))
        #expect(FrameworkDocs.section("## Missing", in: doc) == nil)
    }

    @Test func everyAllowedValueIsDocumented() throws {
        let doc = try FrameworkDocs.text("frameworks.md")
        let values = UnitKind.allCases.map(\.rawValue) + NotApplicablePolicy.allCases.map(\.rawValue)
            + IndexDenominator.allCases.map(\.rawValue) + CompositionPart.Source.allCases.map(\.rawValue)
            + NodeRole.allCases.map(\.rawValue) + ZeroDenominatorRule.allCases.map(\.rawValue)
            + OccurrenceRule.Mode.allCases.map(\.rawValue) + QuestionnaireTemplates.knownSources.map(\.source)
        let missing = values.filter { !doc.contains("`\($0)`") }
        #expect(missing.isEmpty, "undocumented values: \(missing)")
    }

    /// The results section's example is a block the reader takes, and the default it promises holds.
    @Test func theResultsSectionsExampleReads() throws {
        let doc = try FrameworkDocs.text("frameworks.md")
        let section = try #require(FrameworkDocs.section("## Results rules (results:)", in: doc)).joined(separator: "\n")
        let fence = try #require(section.range(of: "```yaml\nnodes:"))
        let example = section[fence.upperBound...].prefix { $0 != "`" }
        let block = try #require(example.range(of: "results:")).lowerBound
        let fw = try FrameworkYAML.load(try String(contentsOf: RepositoryFrameworks.directory.appendingPathComponent("province-2948.yaml"), encoding: .utf8))
        #expect(fw.results?.bands.bands.map(\.label) == ["Nhóm A", "Nhóm B", "Nhóm C", "Dưới 70%"])
        #expect(String(example[block...]).contains("- {label: Nhóm A, min: 90, colour: \"#2e7d32\"}"))
        #expect(section.contains("quy tắc của\nBáo cáo kết quả Chỉ số CCHC năm 2022 của tỉnh Hải Dương (seed 004)"))
    }

    /// The messages quoted under "Common mistakes" are the reader's, word for word.
    @Test("common mistakes quote the reader's messages", arguments: [
        ("  - {code: \"1\", title: A, max: 1, method: {type: manual, step: 0,5}}",
         "Dòng 7, lĩnh vực 1: Khóa '5' không được hỗ trợ (có thể gõ sai)."),
        ("  - {code: \"1\", title: A, max: 1, method: yes_no}\n  - {code: \"1\", title: B, max: 1, method: yes_no}",
         "Dòng 8, lĩnh vực 1: Mã '1' bị trùng (đã dùng ở dòng 7)."),
        ("  - code: \"1\"\n    title: A\n    max: 14,5\n    children:\n      - {code: \"1.1\", title: B, max: 10, method: yes_no}\n      - {code: \"1.2\", title: C, max: 4, method: yes_no}",
         "Dòng 7, lĩnh vực 1: Tổng điểm tối đa của các tiêu chí con là 14, khác điểm tối đa 14,5 của tiêu chí."),
        ("  - {code: \"1\", title: A, mx: 1, method: yes_no}", "Dòng 7, lĩnh vực 1: Thiếu khóa bắt buộc 'max'."),
        ("  - {code: \"1\", title: A, max: 2, method: {type: ratio_bands, bands: [{from: 100, points: 1}]}}",
         "Dòng 7, lĩnh vực 1: Phương pháp chấm chỉ đạt tối đa 1 điểm, không đạt được điểm tối đa 2."),
        ("  - {code: \"1\", title: A, max: 1, method: {type: formula, inputs: [{name: a}], expression: \"a * 0,5\"}}",
         "Dòng 7, lĩnh vực 1: Công thức: Gặp ',' tại vị trí 6, cần toán tử hoặc kết thúc công thức."),
        ("  - {code: \"1\", title: A, max: 1, method: {type: formula, inputs: [{name: a}], expression: \"a * b\"}}",
         "Dòng 7, lĩnh vực 1: Công thức: Công thức dùng đại lượng 'b' (vị trí 5) không được khai báo trong danh sách dữ liệu đầu vào."),
        ("  - {code: \"1\", title: A, max: 1, method: {type: survey, source: SIPAS}}",
         "Dòng 7, lĩnh vực 1: Nguồn điều tra 'SIPAS' ('source') không thuộc mẫu phiếu nào; dùng một trong: sipas (Đo lường sự hài lòng (SIPAS)), organisation_survey (Điều tra ý kiến của tổ chức)."),
        ("  - {code: \"1\", title: A, max: 1, method: survey}",
         "Dòng 7, lĩnh vực 1: Tiêu chí điều tra thiếu nguồn điều tra ('source'); dùng một trong: sipas (Đo lường sự hài lòng (SIPAS)), organisation_survey (Điều tra ý kiến của tổ chức)."),
        ("  - {code: \"1\", title: A, max: 1, method: {type: ratio_bands, bands: [{from: 80%, points: 1}]}}",
         "Dòng 7, lĩnh vực 1: 'from' phải là số (ví dụ 71,5), nhưng có \"80%\"."),
        ("  - {code: \"1\", title: A, max: 1, method: {type: ratio, zero_denominator: full}}",
         "Dòng 7, lĩnh vực 1: Giá trị \"full\" của 'zero_denominator' không hợp lệ; cần một trong: full_points, zero_points, not_applicable."),
        ("  - code: \"1\"\n    title: A\n    max: 1\n    method: yes_no\n    children:\n      - {code: \"1.1\", title: B, max: 1}",
         "Dòng 10, lĩnh vực 1: Tiêu chí có tiêu chí con không được có phương pháp chấm riêng."),
        ("  - code: \"1\"\n    title: A\n  max: 1", "Dòng 9: Tệp YAML không hợp lệ: did not find expected '-' indicator"),
    ])
    func commonMistakes(nodes: String, message: String) throws {
        let yaml = "id: test\ntitle: Bộ chỉ số thử\nunit_kind: commune\nyear: 2023\nversion: \"1\"\nnodes:\n" + nodes
        #expect(FrameworkYAML.problems(in: yaml).map(\.messageVI).contains(message))
        #expect(try FrameworkDocs.text("frameworks.md").contains(message))
    }

    /// The worked examples of the reference, scored by the shipped department framework's own criteria.
    @Test func workedExamplesGiveTheDocumentedPoints() throws {
        let f = try RepositoryFrameworks.load("hai-duong-department-2022.yaml")
        func points(_ code: String, _ input: LeafInput, best: Double = 0) throws -> Double {
            let node = try #require(f.node(code: code))
            let method = try #require(node.method)
            return LeafScorer.score(method, maxPoints: node.maxPoints, allowsNotApplicable: node.allowsNotApplicable,
                                    input: input, best: best).points
        }
        #expect(try points("1.1.2", .yesNo(true)) == 1)
        #expect(try points("1.1.1", .level("cham")) == 0.5)
        #expect(try abs(points("1.4.2", .ratio(numerator: 8, denominator: 10)) - 1.2) < 1e-9)
        #expect(try points("1.4.2", .ratio(numerator: 0, denominator: 0)) == 0)
        #expect(try points("1.1.3", .ratio(numerator: 17, denominator: 20)) == 0.5)
        #expect(try points("1.1.3", .ratio(numerator: 15, denominator: 20)) == 0)
        #expect(try abs(points("7.2", .value(66), best: 99) - 2) < 1e-9)
        #expect(try points("1.2", .count(3)) == 0.5)
        #expect(try points("1.2", .count(5)) == 0)
        #expect(try points("1.5", .count(3)) == 2)
        #expect(try points("1.7", .count(2)) == 1)
        #expect(try points("4.4", .points(1.25)) == 1.25)
        #expect(throws: ScoringError.pointsOffStep(1.3, step: 0.25)) {
            try LeafScorer.validate(.manual(step: 0.25), maxPoints: 1.5, allowsNotApplicable: false, input: .points(1.3))
        }
        #expect(try points("1.6", .values(["giao": 10, "dung_han": 7, "qua_han": 2])) == 2)
        #expect(try points("1.6", .values(["giao": 0, "dung_han": 0, "qua_han": 0])) == 2.5)
        let doc = try FrameworkDocs.text("frameworks.md")
        for figure in ["**1,2 điểm**", "**0,5 điểm**", "**2 điểm**", "**1,25 điểm**", "**8,37 điểm**", "**15,54 điểm**",
                       "Điểm 1,3 không phải bội số của bước chấm 0,25."] {
            #expect(doc.contains(figure), "\(figure)")
        }
    }

    @Test func theSchemaIsDraft2020AndListsTheReadersKeys() throws {
        let data = try Data(contentsOf: FrameworkDocs.directory.appendingPathComponent("framework.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let defs = try #require(schema["$defs"] as? [String: Any])
        func keys(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        #expect(keys(schema) == FrameworkYAMLKeys.framework)
        #expect(keys(defs["node"]) == FrameworkYAMLKeys.node)
        #expect(keys(defs["compositionPart"]) == FrameworkYAMLKeys.composition)
        #expect(keys(defs["level"]) == FrameworkYAMLKeys.level)
        #expect(keys(defs["band"]) == FrameworkYAMLKeys.band)
        #expect(keys(defs["formulaInput"]) == FrameworkYAMLKeys.formulaInput)
        #expect(keys(defs["results"]) == FrameworkYAMLKeys.results)
        #expect(keys(defs["resultsBand"]) == FrameworkYAMLKeys.resultsBand)
        #expect(keys(defs["rating"]) == FrameworkYAMLKeys.rating)
        #expect(keys(defs["ratingRule"]) == FrameworkYAMLKeys.ratingRule)
        #expect(keys(defs["review"]) == FrameworkYAMLKeys.review)
        for (kind, allowed) in FrameworkYAMLKeys.method {
            #expect(keys(defs["method_\(kind)"]) == allowed, "method \(kind)")
        }
        let survey = (defs["method_survey"] as? [String: Any])?["properties"] as? [String: Any]
        let sources = (survey?["source"] as? [String: Any])?["enum"] as? [String]
        #expect(sources == QuestionnaireTemplates.knownSources.map(\.source))
        // Required keys are keys the schema describes (a typo there would make every file invalid).
        for (name, object) in [("framework", schema as Any), ("node", defs["node"] as Any)] {
            let required = Set((object as? [String: Any])?["required"] as? [String] ?? [])
            #expect(!required.isEmpty && required.isSubset(of: keys(object)), "\(name)")
        }
    }
}
