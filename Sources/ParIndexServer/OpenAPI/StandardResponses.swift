import Foundation

/// The error answers every operation shares, added to the hand-written document by one rule
/// instead of by hand on each of its operations (where they drifted: issue 20's schemathesis
/// run found 132 undocumented statuses). An operation's own statuses — 409 for a state it
/// cannot leave, 429 for login throttling — stay written beside it in `openapi.yaml`.
///
/// - every operation: 503 (storage unavailable or refusing writes, ``StorageFault``) and 401
///   (a token that is not valid is refused even where none is needed, so a client learns it);
/// - behind a login: 403 (no permission, or a password that must be changed first);
/// - with path parameters: 404 (nothing there) and 422 (an id that is not one);
/// - with query parameters: 400 (unreadable) and 422 (out of the declared range or list);
/// - with a body: 400 (unreadable), 413 (over its limit), 415 (a media type it does not take)
///   and 422 (invalid content).
enum StandardResponses {
    static var problem: [String: Any] { ["$ref": "#/components/responses/Problem"] }

    static func complete(_ document: [String: Any]) -> [String: Any] {
        var doc = document
        let globalSecurity = !((doc["security"] as? [Any]) ?? []).isEmpty
        let sharedParameters = ((doc["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]]) ?? [:]
        guard var paths = doc["paths"] as? [String: [String: Any]] else { return doc }
        for (path, operations) in paths {
            var ops = operations
            for (method, value) in operations {
                guard var op = value as? [String: Any], ["get", "post", "put", "patch", "delete"].contains(method) else { continue }
                var statuses: [String] = ["503", "401"]
                let secured = (op["security"] as? [Any]).map { !$0.isEmpty } ?? globalSecurity
                if secured { statuses += ["403"] }
                let locations = ((op["parameters"] as? [[String: Any]]) ?? []).compactMap { p -> String? in
                    if let ref = p["$ref"] as? String { return sharedParameters[String(ref.split(separator: "/").last ?? "")]?["in"] as? String }
                    return p["in"] as? String
                }
                if path.contains("{") || locations.contains("path") { statuses += ["404", "422"] }
                if locations.contains("query") { statuses += ["400", "422"] }
                if op["requestBody"] != nil { statuses += ["400", "413", "415", "422"] }
                var responses = (op["responses"] as? [String: Any]) ?? [:]
                for s in statuses where responses[s] == nil { responses[s] = problem }
                op["responses"] = responses
                ops[method] = op
            }
            paths[path] = ops
        }
        doc["paths"] = paths
        return doc
    }
}
