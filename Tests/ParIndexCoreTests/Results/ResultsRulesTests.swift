import Foundation
import Testing
@testable import ParIndexCore

/// Every province's method as data (issue #12 item 1): the `results:` block of a framework file.
@Suite("Results rules as data")
struct ResultsRulesTests {
    /// Seven fields of 10 points; administrative procedures are field 2 and digital government
    /// field 6 here (the 2025 numbering moved them), tagged so the rules find them.
    static func yaml(results: String, tags: (String, String) = ("tthc", "digital")) -> String {
        var s = """
        id: tinh-x-2025
        title: Bộ chỉ số thử
        unit_kind: department
        year: 2025
        version: "1"
        nodes:

        """
        for f in 1...7 {
            let tag = f == 2 ? "\n    tags: [\(tags.0)]" : f == 6 ? "\n    tags: [\(tags.1)]" : ""
            s += """
              - code: "\(f)"
                title: Lĩnh vực \(f)\(tag)
                max: 10
                children:
                  - {code: "\(f).1", title: Tiêu chí \(f).1, max: 10, method: {type: manual, step: "0,01"}}

            """
        }
        return s + results
    }

    static let national = """
    results:
      bands:
        - {label: Nhóm A, min: 90, colour: "#2e7d32"}
        - {label: Nhóm B, min: 80, colour: "#1565c0"}
        - {label: Nhóm C, min: 70}
        - {label: Chưa xếp nhóm}
      rating:
        tags: [tthc, digital]
        rules:
          - {rating: excellent, index_min: 90, field_min: 80}
          - {rating: good, index_min: 80, field_min: 70}
          - {rating: completed, index_min: 70}
          - {rating: completed, index_min: 60, field_min: 60}
          - {rating: completed, index_min: 50, field_min: 90}
        otherwise: not_completed
      review: {tags: [tthc, digital], below: 75}
      total_scale: 100
    """

    static func unit(_ n: Int, _ percents: [Double]) -> UnitSubmission {
        var inputs: [String: LeafInput] = [:]
        for (f, p) in percents.enumerated() { inputs["\(f + 1).1"] = .points(p / 10) }
        return ScoringFixtures.unit(n, inputs)
    }

    @Test func aProvincesRulesBandRateAndFlagByTag() throws {
        let fw = try FrameworkYAML.load(Self.yaml(results: Self.national))
        let rules = fw.resultsRules
        #expect(rules.isFrameworks && rules.review.fieldCodes == ["2", "6"] && rules.rating.fieldCodes == ["2", "6"])
        let engine = ResultsEngine(framework: fw)
        let r = engine.compute([
            Self.unit(1, [95, 95, 95, 95, 95, 95, 95]),
            Self.unit(2, [90, 70, 90, 90, 90, 74, 90]),
            Self.unit(3, [58, 95, 58, 58, 58, 95, 58]),
        ])
        let byID = Dictionary(uniqueKeysWithValues: r.units.map { ($0.unitID, $0) })
        let a = try #require(byID[ScoringFixtures.id(1)]), b = try #require(byID[ScoringFixtures.id(2)]), c = try #require(byID[ScoringFixtures.id(3)])
        #expect(a.band?.label == "Nhóm A" && a.band?.colour == "#2e7d32" && a.rating == .excellent && a.reviewFieldCodes.isEmpty)
        // 84,86 %: band B; its tagged fields (70 and 74 %) miss "excellent"'s 80 but reach "good"'s 70.
        #expect(b.band?.label == "Nhóm B" && b.rating == .good)
        // The review follows the tags: field 6 (digital) at 74 % is under 75 %, field 2 at 70 % too.
        #expect(b.reviewFieldCodes == ["2", "6"])
        // 68,57 %: no band above C's 70, so the floor; the fourth rule (≥ 60 %, tagged fields ≥ 60) rates it.
        #expect(c.band?.label == "Chưa xếp nhóm" && c.rating == .completed && c.reviewFieldCodes.isEmpty)
        // Totals on the stated scale: 70 points of fields shown out of 100.
        #expect(abs(a.totalPoints - 95) < 1e-9 && a.maxPoints == 100)
        #expect(rules.descriptionVI.contains { $0.hasPrefix("Xếp nhóm theo chỉ số: Nhóm A (từ 90 %); Nhóm B (từ 80 %)") })
        #expect(rules.descriptionVI.contains { $0.contains("Phải kiểm điểm khi nhãn tthc hoặc nhãn digital dưới 75 % (các lĩnh vực: 2, 6)") })
    }

    /// Issue #12's acceptance example: the same rule on fields numbered 3 and 7 flags 3 and 7.
    @Test func theReviewFollowsTheTagWhereverTheFieldIs() throws {
        let renumbered = Self.yaml(results: "results:\n  review: {tags: [tthc, digital], below: 75}\n")
            .replacingOccurrences(of: "    tags: [tthc]\n", with: "").replacingOccurrences(of: "    tags: [digital]\n", with: "")
            .replacingOccurrences(of: "title: Lĩnh vực 3\n", with: "title: Lĩnh vực 3\n    tags: [tthc]\n")
            .replacingOccurrences(of: "title: Lĩnh vực 7\n", with: "title: Lĩnh vực 7\n    tags: [digital]\n")
        let fw = try FrameworkYAML.load(renumbered)
        let r = ResultsEngine(framework: fw).compute([Self.unit(1, [50, 50, 74, 90, 90, 50, 70])])
        #expect(r.units[0].reviewFieldCodes == ["3", "7"])
        // Without a review in the block there is none (seed 004's fields 3 and 7 are not assumed).
        let none = try FrameworkYAML.load(Self.yaml(results: "results:\n  total_scale: 100\n"))
        #expect(ResultsEngine(framework: none).compute([Self.unit(1, [0, 0, 0, 0, 0, 0, 0])]).units[0].reviewFieldCodes.isEmpty)
    }

    @Test func aFrameworkWithoutRulesReadsWithSeed004s() throws {
        let fw = try FrameworkYAML.load(Self.yaml(results: ""))
        #expect(fw.results == nil && fw.resultsRules == .seed004 && !fw.resultsRules.isFrameworks)
        #expect(fw.resultsRules.descriptionVI.first == "Quy tắc kết quả mặc định (theo Báo cáo kết quả Chỉ số CCHC năm 2022 của tỉnh Hải Dương).")
    }

    @Test func theBlockWritesBackAndReadsTheSame() throws {
        let fw = try FrameworkYAML.load(Self.yaml(results: Self.national))
        let again = try FrameworkYAML.load(try FrameworkYAML.export(fw))
        #expect(again.results == fw.results && again.nodes.map(\.tags) == fw.nodes.map(\.tags))
    }

    @Test func badRulesAreRefusedWithTheirLines() throws {
        let e = #expect(throws: FrameworkValidationError.self) {
            try FrameworkYAML.load(Self.yaml(results: """
            results:
              bands:
                - {label: Khá, min: 80}
                - {label: Tốt, min: 90}
                - {label: Yếu}
                - {label: Trung bình, min: 50, colour: đỏ}
              rating:
                rules:
                  - {rating: completed, index_min: 60}
                  - {rating: good, index_min: 80, field_min: 70}
                  - {rating: tuyet_voi, index_min: 120}
              review: {tags: [so_hoa], below: 75}
              total_scale: -1
            """))
        }
        let messages = e?.errors.map(\.messageVI) ?? []
        let expected = [
            "Các nhóm phải xếp từ cao xuống thấp và không trùng nhau: ngưỡng 90 % của “Tốt” không thấp hơn ngưỡng 80 % của nhóm trên nó.",
            "Nhóm “Trung bình” đứng sau nhóm không có ngưỡng",
            "mã màu #rrggbb",
            "tuyet_voi",
            "một tỷ lệ từ 0 đến 100",
            "so_hoa",
            "total_scale",
        ]
        for text in expected { #expect(messages.contains { $0.contains(text) }, "no error mentions \(text): \(messages)") }
        // Every error names its line in the file.
        #expect(messages.allSatisfy { $0.contains("Dòng ") || $0.contains("dòng ") }, "\(messages)")
        let unreachable = #expect(throws: FrameworkValidationError.self) {
            try FrameworkYAML.load(Self.yaml(results: """
            results:
              rating:
                rules:
                  - {rating: completed, index_min: 60}
                  - {rating: good, index_min: 80, field_min: 70}
            """))
        }
        #expect(unreachable?.errors.map(\.messageVI).contains { $0.contains("Mức “Hoàn thành tốt nhiệm vụ” không bao giờ được xếp") } == true)
    }

    /// Issue #12 item 3: each headline figure says which rule produced it.
    @Test func everyHeadlineFigureSaysWhichRuleMadeIt() throws {
        let fw = try FrameworkYAML.load(Self.yaml(results: Self.national))
        let engine = ResultsEngine(framework: fw)
        let r = engine.compute([Self.unit(1, [95, 95, 95, 95, 95, 95, 95]), Self.unit(2, [90, 70, 90, 90, 90, 74, 90])])
        let b = try #require(r.units.first { $0.unitID == ScoringFixtures.id(2) })
        let why = engine.whyVI(b, unitCount: 2)
        #expect(why == [
            "Chỉ số 84,86 % = 59,4 điểm ÷ 70 điểm tối đa được tính, chưa làm tròn.",
            "Hạng 2/2 theo chỉ số chưa làm tròn; các đơn vị bằng chỉ số cùng hạng.",
            "Nhóm “Nhóm B”: chỉ số từ 80 % đến dưới 90 %.",
            "Người đứng đầu: “Hoàn thành tốt nhiệm vụ”, mức đầu tiên đạt được: chỉ số từ 80 % và các lĩnh vực xét từ 70 % (lĩnh vực thấp nhất: 2, 70 %).",
            "Phải kiểm điểm: lĩnh vực 2, 6 dưới 75 % (xét các lĩnh vực 2 (70 %), 6 (74 %)).",
        ])
        let a = try #require(r.units.first { $0.unitID == ScoringFixtures.id(1) })
        #expect(engine.whyVI(a).contains("Không thuộc diện kiểm điểm: các lĩnh vực 2 (95 %), 6 (95 %) từ 75 % trở lên."))
        #expect(engine.whyVI(a).contains("Nhóm “Nhóm A”: chỉ số từ 90 % trở lên."))
    }
}
