import Foundation

/// Maps this year's node codes to last year's, so results compare across years
/// (rank change, "flagged again after review") even when the framework was
/// renumbered. Built from the nodes' `previous_code` hints and, for the rest,
/// from the diff between the two versions.
public struct Crosswalk: Sendable, Hashable {
    /// Current code → previous code.
    public var previousCodes: [String: String]

    public init(previousCodes: [String: String] = [:]) {
        self.previousCodes = previousCodes
    }

    /// The previous code of a current node; nil when the node is new.
    public func previousCode(of code: String) -> String? { previousCodes[code] }

    /// Derives the crosswalk between two versions: explicit `previousCode` hints
    /// first, then nodes the diff matched (same node, possibly moved or renamed).
    public static func derive(from previous: Framework, to current: Framework) -> Crosswalk {
        var map: [String: String] = [:]
        let previousCodes = Set(previous.allNodes.map(\.node.code))
        for flat in current.allNodes {
            if let hint = flat.node.previousCode, previousCodes.contains(hint) { map[flat.node.code] = hint }
        }
        let diff = FrameworkDiff.compare(previous, current)
        for pair in diff.matchedPairs where map[pair.newCode] == nil { map[pair.newCode] = pair.oldCode }
        return Crosswalk(previousCodes: map)
    }
}
