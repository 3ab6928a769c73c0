import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Publication for tests whose subject is what comes after it (exports, scope): the council
/// review window opened now, every unit marked submitted unless told otherwise, and the
/// publication made by the system with the confirmation computed in-process (as the demo does).
enum PublicationFixtures {
    static func markSubmitted(_ app: Application, _ campaignID: String, except: Set<String> = []) async throws {
        for a in try await AssessmentModel.query(on: app.db).filter(\.$campaign.$id == UUID(uuidString: campaignID)!).with(\.$unit).all()
        where !except.contains(a.unit.code) {
            a.status = AssessmentStatus.submitted.rawValue
            try await a.save(on: app.db)
        }
    }

    @discardableResult
    static func publishNow(_ app: Application, _ campaignID: String, submitAll: Bool = true) async throws -> PublishedResults {
        try await AppraisalCycleTests.openPhase(app, campaignID, .councilReview)
        if submitAll { try await markSubmitted(app, campaignID) }
        return try await ResultsService(context: .system(app)).publish(UUID(uuidString: campaignID)!, reason: nil, confirmation: .computedInProcess)
    }

    /// Preview then publish through the API, echoing the preview's confirmation.
    static func publishThroughAPI(_ client: APIClient, _ campaignID: String, reason: String? = nil) async throws -> TestingHTTPResponse {
        let preview = try await client.send(.GET, "/api/v1/campaigns/\(campaignID)/publish/preview")
        #expect(preview.status == .ok, "\(preview.body.string)")
        var body: [String: Any] = ["confirmation": preview.json["confirmation"] as? String ?? ""]
        if let reason { body["reason"] = reason }
        return try await client.send(.POST, "/api/v1/campaigns/\(campaignID)/publish", json: body)
    }
}
