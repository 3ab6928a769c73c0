import Foundation
import Testing
@testable import ParIndexCore

/// A small valid file; tests break one thing at a time.
private let header = """
id: test
title: Bộ chỉ số thử
unit_kind: commune
year: 2023
version: "1"
nodes:
"""

private func file(_ nodes: String) -> String { header + "\n" + nodes }

private func errors(_ yaml: String) -> [FrameworkError] { FrameworkYAML.problems(in: yaml) }

@Suite("Framework YAML: reading and validation")
struct FrameworkYAMLTests {
    @Test func readsAValidFileWithVietnameseDecimalComma() throws {
        let f = try FrameworkYAML.load(file("""
          - code: "1"
            title: Công tác chỉ đạo, điều hành
            max: 71,5
            children:
              - code: "1.1"
                title: Kế hoạch
                max: 70.5
                method: {type: manual, step: "0,25"}
              - {code: "1.2", title: Báo cáo, max: 1, method: yes_no}
        """))
        #expect(f.totalMaxPoints == 71.5)
        #expect(f.nodes[0].children[0].method == .manual(step: 0.25))
        #expect(f.unitKind == .commune && f.year == 2023)
    }

    @Test func malformedYAMLNamesTheLine() {
        let e = errors(file("  - code: \"1\"\n    title: [unclosed\n"))
        guard case .malformedYAML(_, let line)? = e.first else { Issue.record("got \(e)"); return }
        #expect(line != nil)
        #expect(e.first?.messageVI.hasPrefix("Dòng") == true)
    }

    @Test func unknownMethodNamesNodeFieldAndLine() {
        let e = errors(file("""
          - code: "3"
            title: Cải cách TTHC
            max: 2
            children:
              - code: "3.1"
                title: Công khai
                max: 2
                method: magic
        """))
        #expect(e == [.unknownMethod("magic", FrameworkLocation(nodeCode: "3.1", fieldCode: "3", line: 14))])
        #expect(e[0].messageVI.hasPrefix("Dòng 14, tiêu chí 3.1 (lĩnh vực 3): Phương pháp chấm 'magic' không tồn tại"))
    }

    @Test func duplicateCodesNameBothLines() {
        let e = errors(file("""
          - {code: "1", title: A, max: 1, method: yes_no}
          - {code: "1", title: B, max: 1, method: yes_no}
        """))
        #expect(e == [.duplicateCode("1", FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 8), firstLine: 7)])
    }

    @Test func childrenThatDoNotSumToTheParent() {
        let e = errors(file("""
          - code: "1"
            title: A
            max: 14,5
            children:
              - {code: "1.1", title: B, max: 10, method: yes_no}
              - {code: "1.2", title: C, max: 4, method: yes_no}
        """))
        #expect(e == [.childrenDoNotSum(expected: 14.5, actual: 14, FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7))])
        #expect(e[0].messageVI.contains("14,5"))
    }

    @Test("methods that cannot reach their max", arguments: [
        ("{type: manual, step: \"0,25\"}", 1.1, 1.0),
        ("{type: levels, levels: [{label: Đạt, points: \"0,5\"}]}", 1.0, 0.5),
        ("{type: occurrences, mode: add, per_occurrence: 1, cap: 1}", 2.0, 1.0),
        ("{type: ratio_bands, bands: [{from: 100, points: 1}]}", 2.0, 1.0),
    ])
    func cannotReachMax(method: String, max: Double, reachable: Double) {
        let e = errors(file("  - {code: \"1\", title: A, max: \(max), method: \(method)}"))
        #expect(e == [.methodCannotReachMax(reachable: reachable, max: max, FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7))])
    }

    @Test("formula problems are caught at load", arguments: [
        ("a / 0", FormulaError.divisionByLiteralZero(position: 3)),
        ("a + b", .unknownInput("b", position: 5)),
        ("a +", .unexpectedEnd(expected: "một số, tên dữ liệu hoặc '('", position: 4)),
    ])
    func formulaErrors(expression: String, expected: FormulaError) {
        let e = errors(file("""
          - code: "1"
            title: A
            max: 1
            method:
              type: formula
              inputs: [{name: a, label: Số a}]
              expression: "\(expression)"
        """))
        #expect(e == [.formula(expected, FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 13))])
    }

    // Issue #12, item 4: a survey criterion only gets points from a questionnaire whose template
    // fills its source, so a typo (`sipass`) or a missing source is refused before publication.
    @Test func surveySourceMustBeOneATemplateKnows() {
        let e = errors(file("""
          - code: "8"
            title: Tác động
            max: 3
            children:
              - {code: "8.1", title: SIPAS, max: 1, method: {type: survey, source: sipas}}
              - code: "8.2"
                title: Ý kiến tổ chức
                max: 1
                method:
                  type: survey
                  source: sipass
              - {code: "8.3", title: Không nguồn, max: 1, method: survey}
        """))
        let known = "sipas (Đo lường sự hài lòng (SIPAS)), organisation_survey (Điều tra ý kiến của tổ chức)"
        #expect(e == [
            .invalidMethod(detailVI: "Nguồn điều tra 'sipass' ('source') không thuộc mẫu phiếu nào; dùng một trong: \(known).",
                           FrameworkLocation(nodeCode: "8.2", fieldCode: "8", line: 16)),
            .invalidMethod(detailVI: "Tiêu chí điều tra thiếu nguồn điều tra ('source'); dùng một trong: \(known).",
                           FrameworkLocation(nodeCode: "8.3", fieldCode: "8", line: 18)),
        ])
        #expect(e.first?.messageVI.hasPrefix("Dòng 16, tiêu chí 8.2 (lĩnh vực 8): Nguồn điều tra 'sipass'") == true)
        #expect(Set(QuestionnaireTemplates.knownSources.map(\.source))
                == [QuestionnaireTemplates.sipas().source, QuestionnaireTemplates.organisational().source])
    }

    @Test func pointsOutsideTheRange() {
        let e = errors(file("  - {code: \"1\", title: A, max: 1, method: {type: levels, levels: [{label: X, points: 2}, {label: Y, points: -1}]}}"))
        let loc = FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7)
        #expect(e == [.pointsOutOfRange(key: "levels.points", value: 2, max: 1, loc),
                      .pointsOutOfRange(key: "levels.points", value: -1, max: 1, loc)])
    }

    @Test func textWhereANumberBelongs() {
        let e = errors(file("  - {code: \"1\", title: A, max: mười, method: yes_no}"))
        #expect(e == [.notANumber(key: "max", text: "mười", FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7))])
        #expect(e[0].messageVI.contains("phải là số"))
    }

    @Test func unknownAndMissingKeys() {
        let e = errors(file("  - {code: \"1\", title: A, mx: 1, method: yes_no}"))
        #expect(e.contains(.unknownKey("mx", FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7))))
        #expect(e.contains(.missingKey("max", FrameworkLocation(nodeCode: "1", fieldCode: "1", line: 7))))
    }

    @Test func leafWithoutMethodAndBranchWithMethod() {
        let e = errors(file("""
          - code: "1"
            title: A
            max: 1
            method: yes_no
            children:
              - {code: "1.1", title: B, max: 1}
        """))
        #expect(e.map(\.code) == ["framework.method_on_branch", "framework.leaf_without_method"])
    }

    @Test func invalidEnumValuesListTheChoices() {
        let yaml = header.replacingOccurrences(of: "commune", with: "galaxy") + "\n  - {code: \"1\", title: A, max: 1, method: yes_no}"
        let e = errors(yaml)
        #expect(e.count == 1)
        #expect(e[0].messageVI.contains("department"))
    }

    @Test func compositionMustAddUp() {
        let yaml = header.replacingOccurrences(of: "nodes:", with: """
        composition:
          - {name: Tài liệu kiểm chứng, source: evidence, points: 2, nodes: ["1"]}
          - {name: Điều tra, source: survey, points: 1, nodes: ["9"]}
        nodes:
        """) + "\n  - {code: \"1\", title: A, max: 1, method: yes_no}"
        #expect(errors(yaml) == [
            .compositionDoesNotSum(part: "Tài liệu kiểm chứng", expected: 2, actual: 1),
            .compositionUnknownNode(part: "Điều tra", code: "9"),
            .compositionDoesNotSum(part: "Điều tra", expected: 1, actual: 0),
            .compositionTotal(expected: 1, actual: 3),
        ])
    }

    @Test func nothingIsImportedWhenAnythingIsWrong() {
        #expect(throws: FrameworkValidationError.self) {
            try FrameworkYAML.load(file("  - {code: \"1\", title: A, max: 1, method: magic}"))
        }
        #expect(throws: FrameworkValidationError.self) { try FrameworkYAML.load("- just a list") }
        #expect(throws: FrameworkValidationError.self) { try FrameworkYAML.load("") }
    }

    @Test func validationErrorSummarisesInVietnamese() {
        let error = FrameworkValidationError(errors: [.leafWithoutMethod(FrameworkLocation(nodeCode: "2.1", fieldCode: "2", line: 9))])
        #expect(error.code == "framework.invalid")
        #expect(error.messageVI == "Bộ chỉ số có 1 lỗi:\n- Dòng 9, tiêu chí 2.1 (lĩnh vực 2): Tiêu chí không có tiêu chí con thì phải có phương pháp chấm ('method').")
    }

    @Test func exportRoundTripsEveryMethod() throws {
        let f = try RepositoryFrameworks.load("hai-duong-district-2022.yaml")
        var g = f
        g.nodes[0].guidance = "Dòng một\nDòng hai"
        g.nodes[0].previousCode = "I"
        #expect(try FrameworkYAML.load(FrameworkYAML.export(g)) == g)
    }

    // Issue #20: node codes and titles follow the one text rule (bidi overrides, controls, length).
    @Test func nodeTitlesAndCodesFollowTheTextRule() {
        let e = errors(file("""
          - {code: "1", title: "Công tác \u{202E}chỉ đạo", max: 1, method: yes_no}
          - {code: "2\u{2066}", title: "Báo cáo", max: 1, method: yes_no}
        """))
        let texts = e.compactMap { if case let .invalidText(key, detail, loc) = $0 { "\(key)|\(loc.nodeCode ?? "")|\(detail)" } else { nil } }
        #expect(texts == ["title|1|Tên tiêu chí chứa ký tự điều khiển hướng chữ U+202E ở vị trí thứ 10; hãy xoá ký tự này.",
                          "code|2\u{2066}|Mã tiêu chí chứa ký tự điều khiển hướng chữ U+2066 ở vị trí thứ 2; hãy xoá ký tự này."])
        #expect(e.first { $0.code == "framework.invalid_text" } != nil)
    }
}

/// Hostile framework files (issue #20): deep nesting and alias bombs are clean errors.
@Suite("Framework YAML: hostile files")
struct FrameworkYAMLHostileTests {
    func malformed(_ yaml: String) -> String? {
        do {
            _ = try FrameworkYAMLReader.read(yaml)
            return nil
        } catch {
            guard case let .malformedYAML(detail, _)? = error.errors.first else { return "other: \(error.errors)" }
            return detail
        }
    }

    @Test func a100000DeepFlowSequenceIsRefusedBeforeYamsRecurses() {
        let deep = "id: x\nnodes: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(malformed(deep) == "các mức lồng nhau quá sâu (tối đa 64 mức)")
        #expect(malformed("a: " + String(repeating: "{b: ", count: 70) + "1" + String(repeating: "}", count: 70)) != nil)
    }

    @Test func deepBlockNestingIsRefused() {
        #expect(malformed("nodes:\n" + String(repeating: "- ", count: 100_000) + "x\n") == "các mức lồng nhau quá sâu (tối đa 64 mức)")
        var stairs = "nodes:\n"
        for i in 0 ..< 300 { stairs += String(repeating: " ", count: i) + "k\(i):\n" }
        #expect(malformed(stairs) == "các mức lồng nhau quá sâu (tối đa 64 mức)")
    }

    @Test func bracketsInsideQuotesAndApostrophesInTextAreNotNesting() throws {
        let text = "id: 'x [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\ntitle: don't [sửa] # [[[\n"
        #expect(YAMLNesting.problem(in: text) == nil)
        // An apostrophe inside plain text does not hide what follows.
        let hidden = "title: don't\nnodes: " + String(repeating: "[", count: 100) + "'"
        #expect(YAMLNesting.problem(in: hidden) != nil)
    }

    @Test func anAliasBombIsRefusedAfterComposing() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1 ... 9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(malformed(yaml)?.hasPrefix("tệp có quá nhiều phần tử (tối đa 200.000") == true)
    }

    @Test func theRepositorysFrameworksStayWithinTheBounds() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Frameworks")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "yaml" }
        #expect(files.count >= 3)
        for f in files {
            let text = try String(contentsOf: f, encoding: .utf8)
            #expect(YAMLNesting.problem(in: text) == nil, "\(f.lastPathComponent)")
            #expect(throws: Never.self) { _ = try FrameworkYAMLReader.read(text) }
        }
    }
}
