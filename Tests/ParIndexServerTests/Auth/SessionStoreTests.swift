import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Issue #19, item 6: anonymous pages store no session; expired sessions are purged.
@Suite struct SessionStoreTests {
    static func sessions(_ app: Application) async throws -> Int {
        try await WebSessionModel.query(on: app.db).count()
    }

    @Test(arguments: Engine.available)
    func anonymousPagesStoreNoSessionAndTheLoginFormStillWorks(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let unit = try await Fixtures.unit(app, "HD", "Tỉnh Hải Dương", .province)
            _ = try await Fixtures.user(app, "quantri", roles: [(.admin, unit)])
            let visitor = Browser(app)
            for path in ["/", "/public", "/public/campaigns/\(UUID())", "/login", "/healthz"] {
                let page = try await visitor.get(path)
                #expect(!page.headers[.setCookie].contains { $0.hasPrefix("parindex_session=") }, "\(path) set a session cookie")
            }
            #expect(try await Self.sessions(app) == 0)
            // The login form's token is a double-submit cookie, not a session.
            #expect(visitor.csrfCookie != nil && visitor.csrf != nil)
            #expect(visitor.csrfCookie == "\(CSRFMiddleware.cookieName)=\(visitor.csrf!)")

            // Without the cookie (a forged cross-site post carries the form field only if it knew it) → refused.
            let forger = Browser(app)
            let forged = try await forger.post("/login", form: ["username": "quantri", "password": Fixtures.password],
                                               csrf: visitor.csrf!)
            #expect(forged.status == .forbidden)
            // A wrong password re-renders the form: still no session.
            let wrong = try await visitor.post("/login", form: ["username": "quantri", "password": "sai-mat-khau"])
            #expect(wrong.status == .unauthorized)
            #expect(try await Self.sessions(app) == 0)

            let ok = try await visitor.post("/login", form: ["username": "quantri", "password": Fixtures.password])
            #expect(ok.status == .seeOther)
            #expect(try await Self.sessions(app) == 1)
            let home = try await visitor.get("/")
            #expect(home.status == .ok && home.body.string.contains("quantri"))
            // Signed in, a form posts with the session's token (rotated at login), not the cookie's.
            #expect(visitor.csrfCookie != "\(CSRFMiddleware.cookieName)=\(visitor.csrf!)")
            #expect(try await visitor.post("/logout").status == .seeOther)
            #expect(try await Self.sessions(app) == 0)
        }
    }

    @Test(arguments: Engine.available)
    func expiredSessionsArePurgedByTheRunnerWithTheClockMoved(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let unit = try await Fixtures.unit(app, "HD", "Tỉnh Hải Dương", .province)
            _ = try await Fixtures.user(app, "quantri", roles: [(.admin, unit)])
            let start = Date()
            app.clock = Clock { start }
            let b = Browser(app)
            #expect(try await b.login("quantri").status == .seeOther)
            #expect(try await Self.sessions(app) == 1)
            let runner = JobRunner(app: app)
            let lifetime = DatabaseSessionDriver.lifetime(app)
            _ = await runner.runOnce(now: start.addingTimeInterval(lifetime - 60))
            #expect(try await Self.sessions(app) == 1, "not yet expired")
            _ = await runner.runOnce(now: start.addingTimeInterval(lifetime + 3601))
            #expect(try await Self.sessions(app) == 0)
        }
    }
}
