import Foundation

/// Structural checks of a framework, each naming the node, its field and (from
/// a file) the line. A framework with any error is never imported or used.
public enum FrameworkValidator {
    /// Points are written with at most a few decimals; sums within this are equal.
    static let tolerance = 1e-6

    public static func validate(_ framework: Framework, sourceMap: FrameworkSourceMap = .init()) -> [FrameworkError] {
        var errors: [FrameworkError] = []
        var firstLine: [String: Int?] = [:]
        if framework.nodes.isEmpty { errors.append(.missingKey("nodes", FrameworkLocation(line: 1))) }
        for flat in framework.allNodes {
            let node = flat.node
            let loc = FrameworkLocation(nodeCode: node.code, fieldCode: flat.fieldCode, line: sourceMap.nodeLines[flat.path])
            if let first = firstLine[node.code] {
                errors.append(.duplicateCode(node.code, loc, firstLine: first))
            } else {
                firstLine[node.code] = loc.line
            }
            if node.code.isEmpty { errors.append(.invalidValue(key: "code", text: "", expected: "một mã như 3.2.1", loc)) }
            else if let m = TextRules.check(node.code, .code, fieldVI: "Mã tiêu chí", maxLength: 32).messageVI {
                errors.append(.invalidText(key: "code", detailVI: m, loc))
            }
            if let m = TextRules.check(node.title, .name, fieldVI: "Tên tiêu chí", maxLength: 1000, required: false).messageVI {
                errors.append(.invalidText(key: "title", detailVI: m, loc))
            }
            guard node.maxPoints.isFinite, node.maxPoints > 0 else {
                errors.append(.invalidValue(key: "max", text: viNumber(node.maxPoints), expected: "một số lớn hơn 0", loc))
                continue
            }
            var methodLoc = loc
            methodLoc.line = sourceMap.methodLines[flat.path] ?? loc.line
            errors += checkShape(node, loc, methodLoc)
        }
        errors += checkComposition(framework)
        return errors
    }

    private static func checkShape(_ node: FrameworkNode, _ loc: FrameworkLocation,
                                   _ methodLoc: FrameworkLocation) -> [FrameworkError] {
        if node.isLeaf {
            guard let method = node.method else { return [.leafWithoutMethod(loc)] }
            return checkMethod(method, max: node.maxPoints, methodLoc)
        }
        var errors: [FrameworkError] = []
        if node.method != nil { errors.append(.methodOnBranch(methodLoc)) }
        let sum = node.scoredChildrenMax
        if node.role == .scored {
            if abs(sum - node.maxPoints) > tolerance {
                errors.append(.childrenDoNotSum(expected: node.maxPoints, actual: sum, loc))
            }
        } else if sum + tolerance < node.maxPoints {
            // A bonus or penalty branch caps what its children add up to; a cap above that is unreachable.
            errors.append(.methodCannotReachMax(reachable: sum, max: node.maxPoints, loc))
        }
        return errors
    }

    /// A method must be able to give the node its max, and never more.
    static func checkMethod(_ method: ScoringMethod, max: Double, _ loc: FrameworkLocation) -> [FrameworkError] {
        var errors: [FrameworkError] = []
        var reachable = max
        func inRange(_ key: String, _ value: Double) {
            if value < 0 || value > max + tolerance { errors.append(.pointsOutOfRange(key: key, value: value, max: max, loc)) }
        }
        switch method {
        case .yesNo, .ratio, .normalizedRatio, .formula:
            break
        case .survey(let source):
            if source.isEmpty {
                errors.append(.invalidMethod(detailVI: "Tiêu chí điều tra thiếu nguồn điều tra ('source'); dùng một trong: \(QuestionnaireTemplates.knownSourcesVI).", loc))
            } else if !QuestionnaireTemplates.knownSources.contains(where: { $0.source == source }) {
                errors.append(.invalidMethod(detailVI: "Nguồn điều tra '\(source)' ('source') không thuộc mẫu phiếu nào; dùng một trong: \(QuestionnaireTemplates.knownSourcesVI).", loc))
            }
        case .levels(let levels):
            if levels.isEmpty { errors.append(.invalidMethod(detailVI: "Phương pháp chọn mức cần ít nhất một mức.", loc)) }
            if Set(levels.map(\.id)).count != levels.count {
                errors.append(.invalidMethod(detailVI: "Các mức có mã (id) trùng nhau.", loc))
            }
            levels.forEach { inRange("levels.points", $0.points) }
            reachable = levels.map(\.points).max() ?? 0
        case .ratioBands(let bands, _):
            if bands.isEmpty { errors.append(.invalidMethod(detailVI: "Phương pháp tỷ lệ theo ngưỡng cần ít nhất một ngưỡng.", loc)) }
            if Set(bands.map(\.minPercent)).count != bands.count {
                errors.append(.invalidMethod(detailVI: "Các ngưỡng tỷ lệ bị trùng nhau.", loc))
            }
            for band in bands where band.minPercent < 0 || !band.minPercent.isFinite {
                errors.append(.invalidMethod(detailVI: "Ngưỡng tỷ lệ \(viNumber(band.minPercent))% không hợp lệ.", loc))
            }
            bands.forEach { inRange("bands.points", $0.points) }
            reachable = bands.map(\.points).max() ?? 0
        case .occurrences(let rule):
            if rule.pointsPerOccurrence <= 0 {
                errors.append(.invalidMethod(detailVI: "Số điểm mỗi trường hợp ('per_occurrence') phải lớn hơn 0.", loc))
            }
            if let cap = rule.cap { inRange("cap", cap) }
            if rule.mode == .add { reachable = Swift.min(rule.cap ?? max, max) }
        case .manual(let step):
            if step < 0 { errors.append(.invalidMethod(detailVI: "Bước chấm ('step') không được âm.", loc)) }
            // On a 0,25 step a max of 1,1 can only be approached (1), never reached.
            if step > 0 { reachable = (max / step + tolerance).rounded(.down) * step }
        }
        if errors.isEmpty && reachable + tolerance < max {
            errors.append(.methodCannotReachMax(reachable: reachable, max: max, loc))
        }
        return errors
    }

    private static func checkComposition(_ framework: Framework) -> [FrameworkError] {
        guard !framework.composition.isEmpty else { return [] }
        var errors: [FrameworkError] = []
        let maxByCode = Dictionary(framework.allNodes.map { ($0.node.code, $0.node.maxPoints) }, uniquingKeysWith: { a, _ in a })
        for part in framework.composition {
            var sum = 0.0
            for code in part.nodeCodes {
                if let m = maxByCode[code] { sum += m } else { errors.append(.compositionUnknownNode(part: part.name, code: code)) }
            }
            if abs(sum - part.points) > tolerance {
                errors.append(.compositionDoesNotSum(part: part.name, expected: part.points, actual: sum))
            }
        }
        let total = framework.composition.map(\.points).reduce(0, +)
        if abs(total - framework.totalMaxPoints) > tolerance {
            errors.append(.compositionTotal(expected: framework.totalMaxPoints, actual: total))
        }
        return errors
    }
}
