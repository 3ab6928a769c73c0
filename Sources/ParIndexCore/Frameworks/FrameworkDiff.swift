import Foundation

/// What changed between two versions of a framework (frameworks change every
/// year: criteria move, are renamed, and their maxima change).
public struct FrameworkDiff: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case added(code: String, title: String)
        case removed(code: String, title: String)
        /// Same node (same title) under a new code, possibly under a new parent.
        case moved(from: String, to: String, title: String)
        case renamed(code: String, from: String, to: String)
        case maxChanged(code: String, from: Double, to: Double)
        case methodChanged(code: String, from: String, to: String)

        public var descriptionVI: String {
            switch self {
            case .added(let c, let t): "+ Thêm \(c) \(t)"
            case .removed(let c, let t): "- Bỏ \(c) \(t)"
            case .moved(let from, let to, let t): "~ Chuyển \(from) → \(to) \(t)"
            case .renamed(let c, let from, let to): "~ Đổi tên \(c): \"\(from)\" → \"\(to)\""
            case .maxChanged(let c, let from, let to): "~ Điểm tối đa \(c): \(viNumber(from)) → \(viNumber(to))"
            case .methodChanged(let c, let from, let to): "~ Phương pháp chấm \(c): \(from) → \(to)"
            }
        }
    }

    public struct MatchedPair: Sendable, Hashable {
        public var oldCode: String
        public var newCode: String
    }

    public var changes: [Change]
    /// Nodes judged to be the same in both versions (the basis of the crosswalk).
    public var matchedPairs: [MatchedPair]

    public var isEmpty: Bool { changes.isEmpty }

    /// Matches nodes by code and title, then by title alone (moved), then by code
    /// alone (renamed); what is left is added or removed.
    public static func compare(_ old: Framework, _ new: Framework) -> FrameworkDiff {
        let oldNodes = old.allNodes.map(\.node)
        let newNodes = new.allNodes.map(\.node)
        var oldFree = Set(oldNodes.indices)
        var newFree = Set(newNodes.indices)
        var pairs: [(Int, Int)] = []
        func pair(_ o: Int, _ n: Int) { pairs.append((o, n)); oldFree.remove(o); newFree.remove(n) }

        let oldByCode = Dictionary(oldNodes.indices.map { (oldNodes[$0].code, $0) }, uniquingKeysWith: { a, _ in a })
        for n in newNodes.indices {
            if let o = oldByCode[newNodes[n].code], oldFree.contains(o),
               normalized(oldNodes[o].title) == normalized(newNodes[n].title) { pair(o, n) }
        }
        var oldByTitle: [String: [Int]] = [:]
        for o in oldNodes.indices where oldFree.contains(o) { oldByTitle[normalized(oldNodes[o].title), default: []].append(o) }
        for n in newNodes.indices.sorted() where newFree.contains(n) {
            if let o = oldByTitle[normalized(newNodes[n].title)]?.first(where: { oldFree.contains($0) }) { pair(o, n) }
        }
        for n in newNodes.indices.sorted() where newFree.contains(n) {
            if let o = oldByCode[newNodes[n].code], oldFree.contains(o) { pair(o, n) }
        }

        var changes: [Change] = []
        for (o, n) in pairs.sorted(by: { $0.1 < $1.1 }) {
            changes += pairChanges(oldNodes[o], newNodes[n])
        }
        changes += newFree.sorted().map { .added(code: newNodes[$0].code, title: newNodes[$0].title) }
        changes += oldFree.sorted().map { .removed(code: oldNodes[$0].code, title: oldNodes[$0].title) }
        let matched = pairs.sorted { $0.1 < $1.1 }.map { MatchedPair(oldCode: oldNodes[$0.0].code, newCode: newNodes[$0.1].code) }
        return FrameworkDiff(changes: changes, matchedPairs: matched)
    }

    private static func pairChanges(_ a: FrameworkNode, _ b: FrameworkNode) -> [Change] {
        var out: [Change] = []
        if a.code != b.code { out.append(.moved(from: a.code, to: b.code, title: b.title)) }
        if a.code == b.code && normalized(a.title) != normalized(b.title) {
            out.append(.renamed(code: b.code, from: a.title, to: b.title))
        }
        if a.maxPoints != b.maxPoints { out.append(.maxChanged(code: b.code, from: a.maxPoints, to: b.maxPoints)) }
        if a.method != b.method {
            let from = a.method?.nameVI ?? "—"
            var to = b.method?.nameVI ?? "—"
            if from == to { to += " (thay đổi tham số)" }
            out.append(.methodChanged(code: b.code, from: from, to: to))
        }
        return out
    }

    /// Titles compare without case and extra spaces (files are hand-edited).
    static func normalized(_ title: String) -> String {
        title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
