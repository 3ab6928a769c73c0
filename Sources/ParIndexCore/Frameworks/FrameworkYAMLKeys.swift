import Foundation

/// The vocabulary of framework files. Unknown keys are errors: a typo such as
/// `mx: 2` would otherwise silently drop a criterion's max.
enum FrameworkYAMLKeys {
    static let framework: Set<String> = ["id", "title", "unit_kind", "year", "version", "legal_basis",
                                         "not_applicable_policy", "index_denominator", "composition", "nodes", "results"]
    static let composition: Set<String> = ["name", "source", "points", "nodes"]
    static let node: Set<String> = ["code", "title", "guidance", "evidence", "max", "role", "not_applicable",
                                    "method", "previous_code", "tags", "children"]
    static let methodKinds = ["yes_no", "levels", "ratio", "ratio_bands", "normalized_ratio", "occurrences",
                              "manual", "survey", "formula"]
    static let method: [String: Set<String>] = [
        "yes_no": ["type"],
        "levels": ["type", "levels"],
        "ratio": ["type", "zero_denominator"],
        "ratio_bands": ["type", "bands", "zero_denominator"],
        "normalized_ratio": ["type"],
        "occurrences": ["type", "mode", "per_occurrence", "cap"],
        "manual": ["type", "step"],
        "survey": ["type", "source"],
        "formula": ["type", "inputs", "expression"],
    ]
    static let level: Set<String> = ["id", "label", "points"]
    static let band: Set<String> = ["from", "points"]
    static let formulaInput: Set<String> = ["name", "label"]
    /// The `results:` block (issue #12): how results are banded, rated and flagged.
    static let results: Set<String> = ["bands", "rating", "review", "total_scale"]
    static let resultsBand: Set<String> = ["label", "min", "colour"]
    static let rating: Set<String> = ["tags", "rules", "otherwise"]
    static let ratingRule: Set<String> = ["rating", "index_min", "field_min"]
    static let review: Set<String> = ["tags", "below"]
}

/// Where each node of a file was written, by its index path in the tree, so
/// validation can name the line even when two nodes share a code.
public struct FrameworkSourceMap: Sendable, Hashable {
    public var nodeLines: [[Int]: Int] = [:]
    public var methodLines: [[Int]: Int] = [:]
    public init() {}
}
