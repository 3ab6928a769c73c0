import Foundation
import Testing
@testable import ParIndexCore

@Suite struct LocalRedirectTests {
    /// Issue #20's probe and the usual open-redirect tricks: each must fall back to `/`.
    @Test(arguments: [
        "//evil.example", "/\\evil.example", "/%09/evil.example", "/%2F%2Fevil.example", "/%2f%2fevil.example",
        "https://evil.example", "http:/evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)",
        "/%5cevil.example", "/%5Cevil.example", "/%0d%0aSet-Cookie:x", "/%00", "/%7f", "/%2525", "/%", "/%4",
        "/%zz", "evil.example", "", " /units", "/units#x", "/a b", "/caf\u{E9}", "\\\\evil.example", "/.//evil",
    ])
    func hostileTargetsFallBackToTheRoot(target: String) {
        #expect(LocalRedirect.sanitise(target) == "/", "\(target.debugDescription)")
        #expect(!LocalRedirect.isSafe(target))
    }

    @Test(arguments: [
        "/", "/units", "/units?page=2&q=s%E1%BB%9F", "/campaigns/0F3A-11/appraisal?unit=SNV", "/audit?from=01-01-2026",
        "/a-b_c.d~e", "/search?q=a+b",
    ])
    func localPathsAreKept(target: String) {
        #expect(LocalRedirect.sanitise(target) == target)
    }

    @Test func nothingGivenMeansTheRoot() {
        #expect(LocalRedirect.sanitise(nil) == "/")
        #expect(LocalRedirect.sanitise(nil, fallback: "/account") == "/account")
    }
}
