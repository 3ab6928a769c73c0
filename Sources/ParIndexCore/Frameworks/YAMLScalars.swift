import Foundation
import Yams

/// Reads typed values out of Yams nodes, collecting errors instead of stopping
/// at the first one.
struct YAMLScalars {
    var errors: [FrameworkError] = []

    static func line(_ node: Node?) -> Int? { node?.mark?.line }

    func text(_ node: Node?) -> String? {
        guard case .scalar(let s)? = node else { return nil }
        return s.string
    }

    mutating func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, _ loc: FrameworkLocation) {
        for key in mapping.keys {
            guard let k = key.string, !allowed.contains(k) else { continue }
            errors.append(.unknownKey(k, FrameworkLocation(nodeCode: loc.nodeCode, fieldCode: loc.fieldCode,
                                                           line: Self.line(key) ?? loc.line)))
        }
    }

    mutating func string(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation, required: Bool = true) -> String? {
        guard let node = m[key] else {
            if required { errors.append(.missingKey(key, loc)) }
            return nil
        }
        guard let s = text(node) else {
            errors.append(.invalidValue(key: key, text: "…", expected: "một chuỗi", at(loc, node)))
            return nil
        }
        return s
    }

    /// Accepts YAML numbers (`71.5`) and Vietnamese notation (`71,5`), which YAML
    /// reads as a string. A dotted value is taken as YAML's decimal point first,
    /// since that is what every YAML tool shows for `2.5`.
    mutating func number(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation, required: Bool = true) -> Double? {
        guard let node = m[key] else {
            if required { errors.append(.missingKey(key, loc)) }
            return nil
        }
        guard let raw = text(node) else {
            errors.append(.notANumber(key: key, text: "…", at(loc, node)))
            return nil
        }
        let t = raw.trimmingCharacters(in: .whitespaces)
        if let v = Double(t), v.isFinite, t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) { return v }
        if let v = try? VietnameseNumber.parse(t), v.isFinite { return v }
        errors.append(.notANumber(key: key, text: raw, at(loc, node)))
        return nil
    }

    mutating func integer(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation) -> Int? {
        guard let v = number(key, in: m, loc) else { return nil }
        guard v == v.rounded(), abs(v) < 1e9 else {
            errors.append(.invalidValue(key: key, text: text(m[key]) ?? "", expected: "một số nguyên", at(loc, m[key])))
            return nil
        }
        return Int(v)
    }

    mutating func bool(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation) -> Bool? {
        guard let node = m[key] else { return nil }
        switch text(node)?.lowercased() {
        case "true", "yes", "có", "co": return true
        case "false", "no", "không", "khong": return false
        default:
            errors.append(.invalidValue(key: key, text: text(node) ?? "…", expected: "true hoặc false", at(loc, node)))
            return nil
        }
    }

    mutating func choice<T: RawRepresentable>(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation,
                                              default value: T) -> T where T.RawValue == String, T: CaseIterable {
        guard let s = string(key, in: m, loc, required: false) else { return value }
        guard let v = T(rawValue: s) else {
            let expected = "một trong: " + T.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(.invalidValue(key: key, text: s, expected: expected, at(loc, m[key])))
            return value
        }
        return v
    }

    /// A list of strings; a single string is accepted as a one-item list.
    mutating func strings(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation) -> [String] {
        guard let node = m[key] else { return [] }
        if let s = text(node) { return [s] }
        guard case .sequence(let seq) = node else {
            errors.append(.invalidValue(key: key, text: "…", expected: "một danh sách", at(loc, node)))
            return []
        }
        return seq.compactMap { text($0) }
    }

    func at(_ loc: FrameworkLocation, _ node: Node?) -> FrameworkLocation {
        FrameworkLocation(nodeCode: loc.nodeCode, fieldCode: loc.fieldCode, line: Self.line(node) ?? loc.line)
    }
}
