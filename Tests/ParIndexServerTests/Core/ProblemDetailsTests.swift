import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// A body that cannot be read has one answer, whether a route reads it through the body helper
/// or decodes it directly: 400 `request.body_invalid`, naming the field in Vietnamese.
@Suite struct ProblemDetailsTests {
    @Test func aBodyDecodedDirectlyAnswersLikeTheBodyHelper() async throws {
        try await withTestApp(.sqlite) { app in
            let res = try await APIClient(app: app, token: nil).send(.POST, "/api/v1/auth/token", raw: #"{"username": 5, "password": "x"}"#)
            #expect(res.status == .badRequest)
            #expect(res.problemCode == "request.body_invalid")
            #expect((res.json["detail"] as? String)?.contains("“username”") == true, "\(res.body.string)")
        }
    }
}
