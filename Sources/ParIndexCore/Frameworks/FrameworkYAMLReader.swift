import Foundation
import Yams

/// Reads a framework file. Human-edited, so it is forgiving in notation
/// (`71,5` or `71.5`) and strict in structure (unknown keys and methods are
/// errors), and it reports every problem with its line at once.
public enum FrameworkYAMLReader {
    /// Parses without the structural validation of ``FrameworkValidator``.
    public static func read(_ yaml: String) throws(FrameworkValidationError) -> (Framework, FrameworkSourceMap) {
        if let problem = YAMLNesting.problem(in: yaml) { throw FrameworkValidationError(errors: [problem]) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw FrameworkValidationError(errors: [malformed(error)])
        }
        if let root, let problem = YAMLNesting.problem(in: root) { throw FrameworkValidationError(errors: [problem]) }
        guard case .mapping(let m)? = root else {
            throw FrameworkValidationError(errors: [.malformedYAML(detail: "tệp phải là một bảng khóa – giá trị", line: 1)])
        }
        var state = ReaderState()
        let framework = state.readFramework(m)
        guard state.scalars.errors.isEmpty, let framework else {
            throw FrameworkValidationError(errors: state.scalars.errors)
        }
        return (framework, state.sourceMap)
    }

    static func malformed(_ error: any Error) -> FrameworkError {
        guard let y = error as? YamlError else { return .malformedYAML(detail: "\(error)", line: nil) }
        switch y {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return .malformedYAML(detail: problem, line: mark.line)
        case .duplicatedKeysInMapping(let keys, let context):
            return .malformedYAML(detail: "khóa bị trùng: \(keys.joined(separator: ", "))", line: context.mark.line)
        default:
            return .malformedYAML(detail: "\(y)", line: nil)
        }
    }
}

struct ReaderState {
    var scalars = YAMLScalars()
    var sourceMap = FrameworkSourceMap()

    mutating func readFramework(_ m: Node.Mapping) -> Framework? {
        let loc = FrameworkLocation(line: 1)
        scalars.checkKeys(m, allowed: FrameworkYAMLKeys.framework, loc)
        let id = scalars.string("id", in: m, loc)
        let title = scalars.string("title", in: m, loc)
        let kindText = scalars.string("unit_kind", in: m, loc)
        let kind = kindText.flatMap { UnitKind(rawValue: $0) ?? UnitKind(loose: $0) }
        if let kindText, kind == nil {
            let expected = "một trong: " + UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
            scalars.errors.append(.invalidValue(key: "unit_kind", text: kindText, expected: expected, scalars.at(loc, m["unit_kind"])))
        }
        let year = scalars.integer("year", in: m, loc)
        let version = scalars.string("version", in: m, loc)
        let legal = scalars.string("legal_basis", in: m, loc, required: false) ?? ""
        let policy = scalars.choice("not_applicable_policy", in: m, loc, default: NotApplicablePolicy.rescaleToFullTotal)
        let denominator = scalars.choice("index_denominator", in: m, loc, default: IndexDenominator.frameworkTotal)
        let composition = readComposition(m["composition"], loc)
        var nodes: [FrameworkNode] = []
        switch m["nodes"] {
        case .sequence(let seq)?:
            for (i, item) in seq.enumerated() {
                if let node = readNode(item, path: [i], field: nil) { nodes.append(node) }
            }
        case nil: scalars.errors.append(.missingKey("nodes", loc))
        default:
            scalars.errors.append(.invalidValue(key: "nodes", text: "…", expected: "danh sách lĩnh vực", scalars.at(loc, m["nodes"])))
        }
        let results = m["results"].flatMap { readResults($0, fields: nodes) }
        guard let id, let title, let kind, let year, let version else { return nil }
        return Framework(id: id, title: title, unitKind: kind, year: year, version: version, legalBasis: legal,
                         composition: composition, notApplicablePolicy: policy, indexDenominator: denominator,
                         nodes: nodes, results: results)
    }

    mutating func readComposition(_ node: Node?, _ loc: FrameworkLocation) -> [CompositionPart] {
        guard let node else { return [] }
        guard case .sequence(let seq) = node else {
            scalars.errors.append(.invalidValue(key: "composition", text: "…", expected: "một danh sách", scalars.at(loc, node)))
            return []
        }
        var parts: [CompositionPart] = []
        for item in seq {
            let l = FrameworkLocation(line: YAMLScalars.line(item))
            guard case .mapping(let m) = item else {
                scalars.errors.append(.invalidValue(key: "composition", text: "…", expected: "name, source, points, nodes", l))
                continue
            }
            scalars.checkKeys(m, allowed: FrameworkYAMLKeys.composition, l)
            let name = scalars.string("name", in: m, l)
            let source = scalars.choice("source", in: m, l, default: CompositionPart.Source.evidence)
            let points = scalars.number("points", in: m, l)
            let codes = scalars.strings("nodes", in: m, l)
            if let name, let points { parts.append(CompositionPart(name: name, source: source, points: points, nodeCodes: codes)) }
        }
        return parts
    }

    mutating func readNode(_ item: Node, path: [Int], field: String?) -> FrameworkNode? {
        var loc = FrameworkLocation(fieldCode: field, line: YAMLScalars.line(item))
        guard case .mapping(let m) = item else {
            scalars.errors.append(.invalidValue(key: "nodes", text: scalars.text(item) ?? "…",
                                                expected: "một tiêu chí (code, title, max, …)", loc))
            return nil
        }
        let code = scalars.string("code", in: m, loc)
        loc.nodeCode = code
        if field == nil { loc.fieldCode = code }
        sourceMap.nodeLines[path] = loc.line
        scalars.checkKeys(m, allowed: FrameworkYAMLKeys.node, loc)
        let title = scalars.string("title", in: m, loc)
        let max = scalars.number("max", in: m, loc)
        let role = scalars.choice("role", in: m, loc, default: NodeRole.scored)
        var children: [FrameworkNode] = []
        if let childNodes = m["children"] {
            if case .sequence(let seq) = childNodes {
                for (i, child) in seq.enumerated() {
                    if let c = readNode(child, path: path + [i], field: loc.fieldCode) { children.append(c) }
                }
            } else {
                scalars.errors.append(.invalidValue(key: "children", text: "…", expected: "một danh sách", scalars.at(loc, childNodes)))
            }
        }
        var method: ScoringMethod?
        if let methodNode = m["method"] {
            sourceMap.methodLines[path] = YAMLScalars.line(methodNode)
            method = readMethod(methodNode, max: max ?? 0, loc)
        }
        guard let code, let title, let max else { return nil }
        return FrameworkNode(code: code, title: title, guidance: scalars.string("guidance", in: m, loc, required: false) ?? "",
                             evidence: scalars.strings("evidence", in: m, loc), maxPoints: max, role: role,
                             allowsNotApplicable: scalars.bool("not_applicable", in: m, loc) ?? false, method: method,
                             previousCode: scalars.string("previous_code", in: m, loc, required: false),
                             tags: readTags(m, loc), children: children)
    }
}

/// Bounds on a framework file before and after Yams reads it (issue #20). Yams builds its tree
/// recursively, one stack frame per nesting level, so `[[[[…` 100.000 deep would overflow the
/// stack; and it copies aliased nodes, so ten levels of `&a [*b, *b, …]` make a tree of
/// billions of nodes for the reader to walk. Real frameworks are 5–6 levels deep and a few
/// thousand nodes.
enum YAMLNesting {
    static let maxBytes = 5 * 1_024 * 1_024
    /// Flow brackets open at once, and block levels (indentation, `- ` chains) of one line.
    static let maxDepth = 64
    static let maxIndentation = 256
    static let maxNodes = 200_000

    /// A cheap look at the text, before any recursion: brackets, indentation and `- - -` chains.
    static func problem(in yaml: String) -> FrameworkError? {
        let bytes = yaml.utf8
        guard bytes.count <= maxBytes else {
            return .malformedYAML(detail: "tệp quá lớn (tối đa \(VietnameseNumber.format(maxBytes / 1_048_576)) MB)", line: nil)
        }
        var line = 1, flow = 0, column = 0, indentation = true, dashes = 0
        var quote: UInt8 = 0, comment = false
        // The last byte that was not a space on this line: a quote opens a scalar, and `#`
        // opens a comment, only after an indicator or a space (`don't` is plain text).
        var previous: UInt8 = 0x20
        for b in bytes {
            if b == 0x0A {
                line += 1; column = 0; indentation = true; dashes = 0; comment = false; previous = 0x20
                continue
            }
            if comment { continue }
            if quote != 0 {
                if b == quote { quote = 0 }
                previous = b
                continue
            }
            if indentation {
                if b == 0x20 {
                    column += 1
                    if column > maxIndentation { return tooDeep(line) }
                    continue
                }
                if b == 0x2D || b == 0x3F { // `- ` or `? ` opens one more block level on the same line
                    dashes += 1
                    if dashes > maxDepth { return tooDeep(line) }
                    continue
                }
                indentation = false
            }
            let opensScalar = [0x20, 0x09, 0x3A, 0x2D, 0x5B, 0x7B, 0x2C, 0x3F].contains(previous)
            switch b {
            case 0x23 where previous == 0x20 || previous == 0x09: comment = true
            case 0x27 where opensScalar, 0x22 where opensScalar: quote = b
            case 0x5B, 0x7B:
                flow += 1
                if flow > maxDepth { return tooDeep(line) }
            case 0x5D, 0x7D: flow = max(0, flow - 1)
            default: break
            }
            previous = b
        }
        return nil
    }

    /// The tree Yams built, aliases expanded, walked with a budget.
    static func problem(in root: Node) -> FrameworkError? {
        var budget = maxNodes
        func walk(_ node: Node, depth: Int) -> FrameworkError? {
            budget -= 1
            if budget < 0 {
                return .malformedYAML(detail: "tệp có quá nhiều phần tử (tối đa \(VietnameseNumber.format(maxNodes)), kể cả phần tử lặp lại qua bí danh *)", line: node.mark?.line)
            }
            if depth > maxDepth { return tooDeep(node.mark?.line ?? 1) }
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    if let p = walk(k, depth: depth + 1) ?? walk(v, depth: depth + 1) { return p }
                }
            case .sequence(let s):
                for v in s { if let p = walk(v, depth: depth + 1) { return p } }
            default: break
            }
            return nil
        }
        return walk(root, depth: 0)
    }

    static func tooDeep(_ line: Int) -> FrameworkError {
        .malformedYAML(detail: "các mức lồng nhau quá sâu (tối đa \(maxDepth) mức)", line: line)
    }
}
