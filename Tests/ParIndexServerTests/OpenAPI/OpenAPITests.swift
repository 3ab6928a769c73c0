import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct OpenAPITests {
    @Test(arguments: Engine.available)
    func documentDescribesExactlyTheRegisteredAPIRoutes(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let res = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(res.body.string.utf8)) as? [String: Any])
            #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, ops) in paths {
                for method in ops.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert(method.uppercased() + " " + path)
                }
            }
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { c in
                    let d = c.description
                    return d.hasPrefix(":") ? "{\(d.dropFirst())}" : d
                }.joined(separator: "/")
                return path.hasPrefix("/api/") ? route.method.rawValue + " " + path : nil
            })
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but absent: \(documented.subtracting(registered).sorted())")
            // Every path parameter is declared.
            for (path, ops) in paths where path.contains("{") {
                for (_, op) in ops { #expect((op as? [String: Any])?["parameters"] != nil, "\(path)") }
            }
        }
    }

    /// The shared error answers are listed on every operation, by the rule of ``StandardResponses``
    /// (schemathesis in `scripts/api-contract` then checks the server never answers anything else).
    @Test func everyOperationListsTheErrorAnswersItsShapeImplies() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: try OpenAPIController(resourcesDirectory: Resources.directory).document) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        func statuses(_ method: String, _ path: String) -> Set<String> {
            Set((((paths[path]?[method] as? [String: Any])?["responses"]) as? [String: Any])?.keys.map { $0 } ?? [])
        }
        #expect(statuses("get", "/api/v1/units").isSuperset(of: ["200", "400", "401", "403", "422", "503"]))
        #expect(statuses("patch", "/api/v1/units/{unitID}").isSuperset(of: ["200", "400", "401", "403", "404", "413", "415", "422", "503"]))
        let anonymous = statuses("get", "/api/v1/public/campaigns")
        #expect(anonymous.contains("401") && !anonymous.contains("403"))
        #expect(statuses("post", "/api/v1/auth/token").isSuperset(of: ["429", "413", "415"]))
        for (path, ops) in paths {
            for (method, op) in ops {
                let responses = ((op as? [String: Any])?["responses"] as? [String: Any]) ?? [:]
                #expect(responses["503"] != nil && responses["401"] != nil, "\(method) \(path)")
                if path.contains("{") { #expect(responses["404"] != nil, "\(method) \(path)") }
            }
        }
    }

    @Test(arguments: Engine.available)
    func unknownAPIPathsAnswerWithProblemDetails(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            try await Fixtures.user(app, "a", roles: [(.admin, nil)])
            let res = try await app.testing().sendRequest(.GET, "/api/v1/khong-co")
            #expect(res.status == .notFound)
            #expect(res.problemCode == "http.404")
            #expect(res.json["detail"] as? String == "Không tìm thấy trang hoặc tài nguyên yêu cầu.")
        }
    }
}
