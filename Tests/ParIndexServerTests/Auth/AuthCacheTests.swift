import Foundation
import ParIndexCore
import Testing
@testable import ParIndexServer

@Suite struct AuthCacheTests {
    let user = CurrentUser(id: UUID(), username: "a", fullName: "A", mustChangePassword: false,
                           policy: AccessPolicy(assignments: []), viaToken: true)

    @Test func entriesExpireAndCanBeDropped() {
        let cache = AuthCache(ttl: 5)
        let now = Date()
        cache.remember(tokenHash: "h", user, now: now)
        cache.remember(userID: user.id, user, now: now)
        #expect(cache.user(forTokenHash: "h", now: now.addingTimeInterval(4))?.id == user.id)
        #expect(cache.user(forTokenHash: "h", now: now.addingTimeInterval(5)) == nil)
        cache.remember(tokenHash: "h", user, now: now)
        cache.invalidate(userID: user.id)
        #expect(cache.user(forTokenHash: "h", now: now) == nil)
        #expect(cache.user(id: user.id, now: now) == nil)
    }

    @Test func aZeroTTLDisablesIt() {
        let cache = AuthCache(ttl: 0)
        cache.remember(tokenHash: "h", user)
        #expect(cache.user(forTokenHash: "h") == nil)
    }
}
