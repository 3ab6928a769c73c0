import Foundation
import NIOCore
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// A clock tests move by hand (no sleeping).
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var clock: Clock { Clock { [self] in now } }
}

/// `POST /api/v1/auth/token`, optionally from a given client address (the app must trust
/// `X-Forwarded-For`, as behind a reverse proxy).
func apiLogin(_ app: Application, _ username: String, password: String, from address: String? = nil) async throws -> TestingHTTPResponse {
    var h = HTTPHeaders()
    h.contentType = .json
    if let address { h.add(name: .xForwardedFor, value: address) }
    let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
    return try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: h, body: ByteBuffer(data: body))
}

/// Counts of HTTP statuses, printed by the parallel tests for the report.
struct StatusTally: CustomStringConvertible {
    var counts: [UInt: Int] = [:]
    mutating func add(_ s: HTTPStatus) { counts[s.code, default: 0] += 1 }
    subscript(_ s: HTTPStatus) -> Int { counts[s.code] ?? 0 }
    var description: String { counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") }
}
