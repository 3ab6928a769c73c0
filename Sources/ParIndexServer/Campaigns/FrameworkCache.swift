import Foundation
import ParIndexCore

/// Parsed frameworks by version id. Published versions never change (their YAML is frozen
/// and its SHA-256 recorded), so a parsed copy can be kept for the life of the process;
/// the key includes the hash so a replaced draft is never served stale.
actor FrameworkCache {
    static let shared = FrameworkCache()
    private var cache: [String: Framework] = [:]

    func framework(_ model: FrameworkVersionModel) throws -> Framework {
        let key = "\(model.id!.uuidString):\(model.sha256)"
        if let f = cache[key] { return f }
        let f = try FrameworkService.framework(of: model)
        cache[key] = f
        return f
    }
}
