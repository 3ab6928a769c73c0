import Foundation
@testable import ParIndexCore

/// Small hand-made frameworks and units for the results tests.
enum ScoringFixtures {
    static func id(_ n: Int) -> UnitID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
    }

    static func unit(_ n: Int, _ inputs: [String: LeafInput]) -> UnitSubmission {
        UnitSubmission(unitID: id(n), name: "Đơn vị \(n)", inputs: inputs)
    }

    static func leaf(_ code: String, _ max: Double, _ method: ScoringMethod, role: NodeRole = .scored,
                     na: Bool = false) -> FrameworkNode {
        FrameworkNode(code: code, title: "Tiêu chí \(code)", maxPoints: max, role: role, allowsNotApplicable: na,
                      method: method)
    }

    static func branch(_ code: String, _ max: Double, role: NodeRole = .scored, _ children: [FrameworkNode]) -> FrameworkNode {
        FrameworkNode(code: code, title: "Lĩnh vực \(code)", maxPoints: max, role: role, children: children)
    }

    /// Three fields, 10 points, one leaf of most methods, a bonus and a penalty.
    static var mini: Framework {
        Framework(id: "mini", title: "Bộ chỉ số thử", unitKind: .department, year: 2022, version: "1", nodes: [
            branch("1", 4, [
                leaf("1.1", 1, .yesNo, na: true),
                leaf("1.2", 1.5, .manual(step: 0.25)),
                leaf("1.3", 1.5, .ratio(zeroDenominator: .fullPoints), na: true),
            ]),
            branch("2", 3, [
                leaf("2.1", 1, .levels([.init(id: "a", label: "Tốt", points: 1), .init(id: "b", label: "Đạt", points: 0.5)])),
                leaf("2.2", 1, .occurrences(.init(mode: .deduct, pointsPerOccurrence: 0.25))),
                leaf("2.3", 1, .normalizedRatio),
                leaf("2.4", 0.5, .occurrences(.init(mode: .add, pointsPerOccurrence: 0.25)), role: .bonus),
                leaf("2.5", 1, .occurrences(.init(mode: .add, pointsPerOccurrence: 0.5)), role: .penalty),
            ]),
            branch("3", 3, [leaf("3.1", 3, .survey(source: "sipas"))]),
        ])
    }

    /// Everything at max in `mini`.
    static var fullMarks: [String: LeafInput] {
        ["1.1": .yesNo(true), "1.2": .points(1.5), "1.3": .ratio(numerator: 10, denominator: 10),
         "2.1": .level("a"), "2.2": .count(0), "2.3": .value(10), "2.4": .count(0), "2.5": .count(0),
         "3.1": .points(3)]
    }

    /// Seed 004's department fields (71,5 evidence) plus the 28,5 survey points, one manual leaf each,
    /// so that a test sets each field's percentage directly.
    static var department: Framework {
        let maxima: [(String, Double)] = [("1", 14.5), ("2", 10), ("3", 16), ("4", 6.5), ("5", 9.5), ("6", 6), ("7", 9),
                                          ("8", 28.5)]
        return Framework(id: "dept", title: "Sở", unitKind: .department, year: 2022, version: "1",
                         nodes: maxima.map { code, max in branch(code, max, [leaf("\(code).1", max, .manual(step: 0))]) })
    }

    /// A department unit whose field i scores `percents[i]` % of its max.
    static func department(_ n: Int, percents: [Double]) -> UnitSubmission {
        let fw = department
        var inputs: [String: LeafInput] = [:]
        for (field, p) in zip(fw.nodes, percents) { inputs["\(field.code).1"] = .points(field.maxPoints * p / 100) }
        return unit(n, inputs)
    }
}
