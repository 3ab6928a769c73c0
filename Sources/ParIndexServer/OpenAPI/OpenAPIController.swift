import Foundation
import Vapor
import Yams

/// Serves `Resources/openapi.yaml` as JSON at `/api/v1/openapi.json`. The document is
/// written by hand (it is the API's contract, with Vietnamese descriptions); a test checks
/// it against the registered routes in both directions so the two cannot drift.
struct OpenAPIController {
    let document: Data

    init(resourcesDirectory: String) throws {
        let yaml = try String(contentsOfFile: resourcesDirectory + "openapi.yaml", encoding: .utf8)
        document = try Self.json(fromYAML: yaml)
    }

    static func json(fromYAML yaml: String) throws -> Data {
        let object = try Yams.load(yaml: yaml)
        return try JSONSerialization.data(withJSONObject: object as Any, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    func register(_ api: GuardedRoutes) {
        let doc = document
        api.get("openapi.json", permission: .anonymous) { _ in
            Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(data: doc))
        }
    }
}
