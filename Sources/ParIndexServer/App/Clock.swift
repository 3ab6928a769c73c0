import Foundation
import Vapor

/// The time source of the login throttle and session checks, so tests move time instead of
/// sleeping (issue #20: lock windows must be testable without waiting 15 minutes).
struct Clock: Sendable {
    var now: @Sendable () -> Date

    static let system = Clock { Date() }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = Clock }
    var clock: Clock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var clock: Clock { application.clock }
}
