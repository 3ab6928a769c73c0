import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// The repository's framework files, read from disk next to the sources so the server is
/// tested on the same files the domain tests and the CLI use.
enum FrameworkFixtures {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func source(_ name: String = "hai-duong-department-2022.yaml") throws -> String {
        try String(contentsOf: repository.appendingPathComponent("Frameworks/\(name)"), encoding: .utf8)
    }

    /// The department file with a duplicate code (1.1.2 renamed 1.1.1, line 50) and children of 1.1
    /// no longer summing to its max (1.1.3 raised to 2 points, line 61).
    static func broken() throws -> String {
        var s = try source()
        s = s.replacingOccurrences(of: "code: \"1.1.2\"", with: "code: \"1.1.1\"")
        let at = try #require(s.range(of: "code: \"1.1.3\""))
        let max = try #require(s.range(of: "max: 1", range: at.upperBound..<s.endIndex))
        s.replaceSubrange(max, with: "max: 2")
        return s
    }

    /// A next version of the department file: criterion 1.1.1 renamed.
    static func revised() throws -> String {
        try source()
            .replacingOccurrences(of: "version: \"2022.1\"", with: "version: \"2022.2\"")
            .replacingOccurrences(of: "title: Ban hành kế hoạch CCHC năm của cơ quan", with: "title: Ban hành kế hoạch CCHC năm")
    }

    static let yaml = HTTPMediaType(type: "text", subType: "yaml")

    static func coordinator(_ app: Application, _ username: String = "dieuphoi") async throws -> APIClient {
        let id = try await Fixtures.user(app, username, roles: [(.coordinator, nil)])
        return APIClient(app: app, token: try await Fixtures.token(app, userID: id))
    }
}

extension TestingHTTPResponse {
    var frameworkErrors: [[String: Any]] { (json["frameworkErrors"] as? [[String: Any]]) ?? [] }
}
