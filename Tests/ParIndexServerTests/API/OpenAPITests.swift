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
