import Foundation
import Yams

/// Reads a framework file. Human-edited, so it is forgiving in notation
/// (`71,5` or `71.5`) and strict in structure (unknown keys and methods are
/// errors), and it reports every problem with its line at once.
public enum FrameworkYAMLReader {
    /// Parses without the structural validation of ``FrameworkValidator``.
    public static func read(_ yaml: String) throws(FrameworkValidationError) -> (Framework, FrameworkSourceMap) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw FrameworkValidationError(errors: [malformed(error)])
        }
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
        guard let id, let title, let kind, let year, let version else { return nil }
        return Framework(id: id, title: title, unitKind: kind, year: year, version: version, legalBasis: legal,
                         composition: composition, notApplicablePolicy: policy, indexDenominator: denominator,
                         nodes: nodes)
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
                             previousCode: scalars.string("previous_code", in: m, loc, required: false), children: children)
    }
}
