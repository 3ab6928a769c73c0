import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Security headers on every answer, errors and static files included; nothing a signed-in
/// user sees is kept by a browser cache (issue 20).
@Suite struct SecurityHeadersTests {
    static func expectSecurityHeaders(_ res: TestingHTTPResponse, _ what: String) {
        #expect(res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(what)")
        #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)")
        #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(what)")
        #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(what)")
    }

    @Test(arguments: Engine.available)
    func everyAnswerCarriesThemAndSignedInAnswersAreNotCached(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let t = try app.testing()
            let css = try await t.sendRequest(.GET, "/css/app.css")
            #expect(css.status == .ok)
            Self.expectSecurityHeaders(css, "static file")
            let missing = try await t.sendRequest(.GET, "/khong-co-trang-nay")
            #expect(missing.status == .notFound)
            Self.expectSecurityHeaders(missing, "error page")
            let apiMissing = try await t.sendRequest(.GET, "/api/v1/khong-co")
            Self.expectSecurityHeaders(apiMissing, "API error")
            let login = try await t.sendRequest(.GET, "/login")
            Self.expectSecurityHeaders(login, "login page")
            #expect(login.headers.first(name: .cacheControl) != "no-store", "anonymous pages may be cached")

            let admin = try await Fixtures.user(app, "quantri", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: admin))
            let units = try await api.send(.GET, "/api/v1/units")
            #expect(units.headers.first(name: .cacheControl) == "no-store")
            let browser = Browser(app)
            _ = try await browser.login("quantri")
            let home = try await browser.get("/units")
            #expect(home.status == .ok)
            #expect(home.headers.first(name: .cacheControl) == "no-store")
            Self.expectSecurityHeaders(home, "signed-in page")
        }
    }

    /// The limit is the HTTP layer's, applied while a body streams in over a connection (in-memory
    /// tests hand the body over whole, and a live server under the full suite's load misses the
    /// client's deadline), so the test checks the configured limit against the longest
    /// documented text: a 4.000-character explanation, each character up to 6 bytes as `\uXXXX`.
    @Test func theBodyLimitFitsTheLongestDocumentedText() async throws {
        try await withTestApp(.sqlite) { app in
            let longest = "{\"text\":\"" + String(repeating: "\\u1ec7", count: 4000) + "\"}"
            #expect(longest.utf8.count > 16 << 10, "over Vapor's 16 KB default, which refused it with “Tệp gửi lên quá lớn”")
            #expect(app.routes.defaultMaxBodySize.value == 1 << 20)
            #expect(longest.utf8.count < app.routes.defaultMaxBodySize.value)
        }
    }

    @Test(arguments: Engine.available)
    func listParametersAreCheckedAsDeclared(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let admin = try await Fixtures.user(app, "quantri", roles: [(.admin, nil)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: admin))
            for bad in ["per=0", "per=501", "per=abc", "page=0", "page=-3", "page=1e3"] {
                let res = try await api.send(.GET, "/api/v1/audit?\(bad)")
                #expect(res.status == .unprocessableEntity, "\(bad): \(res.status)")
                #expect(res.problemCode == "validation", "\(bad)")
            }
            let ok = try await api.send(.GET, "/api/v1/audit?per=500&page=2")
            #expect(ok.status == .ok)
            #expect((ok.json["metadata"] as? [String: Any])?["per"] as? Int == 500)
        }
    }
}
