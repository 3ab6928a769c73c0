import Foundation
import Vapor
import Yams

/// Serves `Resources/openapi.yaml` as JSON at `/api/v1/openapi.json`. The document is
/// written by hand (it is the API's contract, with Vietnamese descriptions), completed with
/// the error answers every operation shares (``StandardResponses``); a test checks it against
/// the registered routes in both directions so the two cannot drift, and `scripts/api-contract`
/// (schemathesis) checks every answer against it.
struct OpenAPIController {
    let document: Data

    init(resourcesDirectory: String) throws {
        let yaml = try String(contentsOfFile: resourcesDirectory + "openapi.yaml", encoding: .utf8)
        document = try Self.json(fromYAML: yaml)
    }

    static func json(fromYAML yaml: String) throws -> Data {
        guard let object = try Yams.load(yaml: yaml) as? [String: Any] else { throw Abort(.internalServerError, reason: "openapi.yaml is not a mapping") }
        return try JSONSerialization.data(withJSONObject: StandardResponses.complete(object), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    func register(_ api: GuardedRoutes) {
        let doc = document
        api.get("openapi.json", permission: .anonymous) { _ in
            Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(data: doc))
        }
    }
}
