import Foundation
import Yams

/// Reads a leaf's `method:`, either a bare kind (`method: yes_no`) or a mapping
/// with `type:` and the method's parameters. Formulas are parsed here, once.
extension ReaderState {
    mutating func readMethod(_ node: Node, max: Double, _ nodeLoc: FrameworkLocation) -> ScoringMethod? {
        let loc = scalars.at(nodeLoc, node)
        if let kind = scalars.text(node) {
            return readMethod(kind: kind, Node.Mapping([]), max: max, loc)
        }
        guard case .mapping(let m) = node, let kind = scalars.string("type", in: m, loc) else {
            if case .mapping = node {} else {
                scalars.errors.append(.invalidValue(key: "method", text: "…", expected: "tên phương pháp hoặc bảng có 'type'", loc))
            }
            return nil
        }
        return readMethod(kind: kind, m, max: max, loc)
    }

    private mutating func readMethod(kind: String, _ m: Node.Mapping, max: Double,
                                     _ loc: FrameworkLocation) -> ScoringMethod? {
        guard let allowed = FrameworkYAMLKeys.method[kind] else {
            scalars.errors.append(.unknownMethod(kind, loc))
            return nil
        }
        scalars.checkKeys(m, allowed: allowed, loc)
        switch kind {
        case "yes_no": return .yesNo
        case "levels": return readLevels(m, loc)
        case "ratio":
            return .ratio(zeroDenominator: scalars.choice("zero_denominator", in: m, loc, default: ZeroDenominatorRule.fullPoints))
        case "ratio_bands":
            let zero = scalars.choice("zero_denominator", in: m, loc, default: ZeroDenominatorRule.fullPoints)
            return readBands(m, loc).map { .ratioBands($0, zeroDenominator: zero) }
        case "normalized_ratio": return .normalizedRatio
        case "occurrences": return readOccurrences(m, loc)
        case "manual": return scalars.number("step", in: m, loc).map { .manual(step: $0) }
        case "survey": return .survey(source: scalars.string("source", in: m, loc, required: false) ?? "")
        default: return readFormula(m, loc)
        }
    }

    private mutating func items(_ key: String, _ m: Node.Mapping, _ loc: FrameworkLocation,
                                allowed: Set<String>) -> [(Node.Mapping, FrameworkLocation)]? {
        guard case .sequence(let seq)? = m[key] else {
            if m[key] == nil { scalars.errors.append(.missingKey(key, loc)) }
            else { scalars.errors.append(.invalidValue(key: key, text: "…", expected: "một danh sách", scalars.at(loc, m[key]))) }
            return nil
        }
        var out: [(Node.Mapping, FrameworkLocation)] = []
        for item in seq {
            let l = scalars.at(loc, item)
            guard case .mapping(let im) = item else {
                scalars.errors.append(.invalidValue(key: key, text: scalars.text(item) ?? "…",
                                                    expected: allowed.sorted().joined(separator: ", "), l))
                continue
            }
            scalars.checkKeys(im, allowed: allowed, l)
            out.append((im, l))
        }
        return out
    }

    private mutating func readLevels(_ m: Node.Mapping, _ loc: FrameworkLocation) -> ScoringMethod? {
        guard let list = items("levels", m, loc, allowed: FrameworkYAMLKeys.level) else { return nil }
        var levels: [ScoringLevel] = []
        for (im, l) in list {
            let label = scalars.string("label", in: im, l)
            let points = scalars.number("points", in: im, l)
            // The id defaults to the level's position, so simple files can omit it.
            let id = scalars.string("id", in: im, l, required: false) ?? "\(levels.count + 1)"
            if let label, let points { levels.append(ScoringLevel(id: id, label: label, points: points)) }
        }
        return .levels(levels)
    }

    private mutating func readBands(_ m: Node.Mapping, _ loc: FrameworkLocation) -> [RatioBand]? {
        guard let list = items("bands", m, loc, allowed: FrameworkYAMLKeys.band) else { return nil }
        return list.compactMap { im, l in
            let from = scalars.number("from", in: im, l)
            let points = scalars.number("points", in: im, l)
            guard let from, let points else { return nil }
            return RatioBand(minPercent: from, points: points)
        }
    }

    private mutating func readOccurrences(_ m: Node.Mapping, _ loc: FrameworkLocation) -> ScoringMethod? {
        let mode = scalars.choice("mode", in: m, loc, default: OccurrenceRule.Mode.deduct)
        let per = scalars.number("per_occurrence", in: m, loc)
        let cap = scalars.number("cap", in: m, loc, required: false)
        return per.map { .occurrences(OccurrenceRule(mode: mode, pointsPerOccurrence: $0, cap: cap)) }
    }

    private mutating func readFormula(_ m: Node.Mapping, _ loc: FrameworkLocation) -> ScoringMethod? {
        let expression = scalars.string("expression", in: m, loc)
        guard let list = items("inputs", m, loc, allowed: FrameworkYAMLKeys.formulaInput) else { return nil }
        let inputs = list.compactMap { im, l -> FormulaInput? in
            guard let name = scalars.string("name", in: im, l) else { return nil }
            return FormulaInput(name: name, label: scalars.string("label", in: im, l, required: false) ?? name)
        }
        guard let expression else { return nil }
        do {
            return .formula(try Formula(expression, inputs: inputs))
        } catch {
            scalars.errors.append(.formula(error, scalars.at(loc, m["expression"])))
            return nil
        }
    }
}

