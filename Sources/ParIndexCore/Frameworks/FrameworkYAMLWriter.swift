import Foundation
import Yams

/// Writes a framework back to the file format ``FrameworkYAMLReader`` reads:
/// keys in a fixed, readable order, Vietnamese text as is, points in
/// Vietnamese notation (`14,5`).
enum FrameworkYAMLWriter {
    static func write(_ f: Framework) throws -> String {
        var pairs: [(Node, Node)] = [
            (key("id"), quoted(f.id)), (key("title"), text(f.title)), (key("unit_kind"), text(f.unitKind.rawValue)),
            (key("year"), Node(String(f.year))), (key("version"), quoted(f.version)),
        ]
        if !f.legalBasis.isEmpty { pairs.append((key("legal_basis"), text(f.legalBasis))) }
        pairs.append((key("not_applicable_policy"), text(f.notApplicablePolicy.rawValue)))
        pairs.append((key("index_denominator"), text(f.indexDenominator.rawValue)))
        if !f.composition.isEmpty {
            pairs.append((key("composition"), Node(f.composition.map { part in
                Node([(key("name"), text(part.name)), (key("source"), text(part.source.rawValue)),
                      (key("points"), number(part.points)),
                      (key("nodes"), Node(part.nodeCodes.map(quoted), Tag(.seq), .flow))])
            })))
        }
        pairs.append((key("nodes"), Node(f.nodes.map(node))))
        if let r = f.results { pairs.append((key("results"), results(r))) }
        return try Yams.serialize(node: Node(pairs), indent: 2, width: -1, allowUnicode: true)
    }

    private static func node(_ n: FrameworkNode) -> Node {
        var pairs: [(Node, Node)] = [(key("code"), quoted(n.code)), (key("title"), text(n.title))]
        if !n.guidance.isEmpty { pairs.append((key("guidance"), text(n.guidance))) }
        if !n.evidence.isEmpty { pairs.append((key("evidence"), Node(n.evidence.map(text)))) }
        pairs.append((key("max"), number(n.maxPoints)))
        if n.role != .scored { pairs.append((key("role"), text(n.role.rawValue))) }
        if n.allowsNotApplicable { pairs.append((key("not_applicable"), Node("true"))) }
        if let p = n.previousCode { pairs.append((key("previous_code"), quoted(p))) }
        if !n.tags.isEmpty { pairs.append((key("tags"), Node(n.tags.map(text), Tag(.seq), .flow))) }
        if let m = n.method { pairs.append((key("method"), method(m))) }
        if !n.children.isEmpty { pairs.append((key("children"), Node(n.children.map(node)))) }
        return Node(pairs)
    }

    /// The `results:` block, as ``ReaderState/readResults(_:fields:)`` reads it.
    private static func results(_ r: ResultsConfiguration) -> Node {
        let bands = r.bands.bands.map { b -> Node in
            var p: [(Node, Node)] = [(key("label"), text(b.label))]
            if b.minPercent.isFinite { p.append((key("min"), number(b.minPercent))) }
            if let c = b.colour { p.append((key("colour"), quoted(c))) }
            return Node(p, Tag(.map), .flow)
        }
        var rating: [(Node, Node)] = []
        if let tags = r.rating.fieldTags { rating.append((key("tags"), Node(tags.map(text), Tag(.seq), .flow))) }
        rating.append((key("rules"), Node(r.rating.rules.map { rule -> Node in
            var p: [(Node, Node)] = [(key("rating"), text(rule.rating.rawValue)), (key("index_min"), number(rule.minIndexPercent))]
            if let f = rule.minFieldPercent { p.append((key("field_min"), number(f))) }
            return Node(p, Tag(.map), .flow)
        })))
        rating.append((key("otherwise"), text(r.rating.fallback.rawValue)))
        var pairs: [(Node, Node)] = [(key("bands"), Node(bands)), (key("rating"), Node(rating))]
        if !r.review.fieldTags.isEmpty {
            pairs.append((key("review"), Node([(key("tags"), Node(r.review.fieldTags.map(text), Tag(.seq), .flow)),
                                                (key("below"), number(r.review.thresholdPercent))], Tag(.map), .flow)))
        }
        if let scale = r.totalScale { pairs.append((key("total_scale"), number(scale))) }
        return Node(pairs)
    }

    private static func method(_ m: ScoringMethod) -> Node {
        var pairs: [(Node, Node)] = [(key("type"), text(m.kind))]
        switch m {
        case .yesNo, .normalizedRatio: return text(m.kind)
        case .levels(let levels):
            pairs.append((key("levels"), Node(levels.map {
                Node([(key("id"), quoted($0.id)), (key("label"), text($0.label)), (key("points"), number($0.points))])
            })))
        case .ratio(let zero):
            pairs.append((key("zero_denominator"), text(zero.rawValue)))
        case .ratioBands(let bands, let zero):
            pairs.append((key("bands"), Node(bands.map {
                Node([(key("from"), number($0.minPercent)), (key("points"), number($0.points))], Tag(.map), .flow)
            })))
            pairs.append((key("zero_denominator"), text(zero.rawValue)))
        case .occurrences(let r):
            pairs.append((key("mode"), text(r.mode.rawValue)))
            pairs.append((key("per_occurrence"), number(r.pointsPerOccurrence)))
            if let cap = r.cap { pairs.append((key("cap"), number(cap))) }
        case .manual(let step):
            pairs.append((key("step"), number(step)))
        case .survey(let source):
            pairs.append((key("source"), text(source)))
        case .formula(let f):
            pairs.append((key("inputs"), Node(f.inputs.map {
                Node([(key("name"), text($0.name)), (key("label"), text($0.label))], Tag(.map), .flow)
            })))
            pairs.append((key("expression"), quoted(f.source)))
        }
        return Node(pairs)
    }

    private static func key(_ s: String) -> Node { Node(s) }

    private static func text(_ s: String) -> Node {
        s.contains("\n") ? Node(s, Tag(.str), .literal) : Node(s, Tag(.str))
    }

    private static func quoted(_ s: String) -> Node { Node(s, Tag(.str), .doubleQuoted) }

    /// `14,5` under 1.000; above, plain digits, because `2.476` would read back as YAML's 2,476.
    static func number(_ v: Double) -> Node {
        if abs(v) >= 1000 || !v.isFinite { return Node(v == v.rounded() ? String(Int(v)) : String(v)) }
        return Node(VietnameseNumber.format(v, fractionDigits: 9))
    }
}

/// Framework files: load (read + validate) and export.
public enum FrameworkYAML {
    /// Reads and validates; throws every problem found, and returns nothing unless the whole file is valid.
    public static func load(_ yaml: String) throws(FrameworkValidationError) -> Framework {
        let (framework, sourceMap) = try FrameworkYAMLReader.read(yaml)
        let errors = FrameworkValidator.validate(framework, sourceMap: sourceMap)
        guard errors.isEmpty else { throw FrameworkValidationError(errors: errors) }
        return framework
    }

    /// All problems of a file (empty when valid), for editors that show them all.
    public static func problems(in yaml: String) -> [FrameworkError] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.errors
        }
    }

    /// A campaign's own results rules (issue #12: overridable per campaign before publication):
    /// a YAML text whose top level is a `results:` block, read against `framework`'s fields
    /// (their tags) with the same checks and line numbers as the block inside a framework file.
    public static func resultsRules(_ yaml: String, for framework: Framework) throws(FrameworkValidationError) -> ResultsConfiguration {
        if let problem = YAMLNesting.problem(in: yaml) { throw FrameworkValidationError(errors: [problem]) }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw FrameworkValidationError(errors: [FrameworkYAMLReader.malformed(error)]) }
        guard case .mapping(let m)? = root, let block = m["results"] else {
            throw FrameworkValidationError(errors: [.missingKey("results", FrameworkLocation(line: 1))])
        }
        var state = ReaderState()
        state.scalars.checkKeys(m, allowed: ["results"], FrameworkLocation(line: 1))
        let rules = state.readResults(block, fields: framework.nodes)
        guard state.scalars.errors.isEmpty, let rules else { throw FrameworkValidationError(errors: state.scalars.errors) }
        return rules
    }

    public static func export(_ framework: Framework) throws(FrameworkValidationError) -> String {
        do {
            return try FrameworkYAMLWriter.write(framework)
        } catch {
            throw FrameworkValidationError(errors: [.malformedYAML(detail: "\(error)", line: nil)])
        }
    }
}
