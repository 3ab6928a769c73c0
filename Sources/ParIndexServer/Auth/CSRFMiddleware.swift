import Foundation
import Vapor

/// CSRF protection for everything a browser can be tricked into sending. Any state-changing
/// request that could carry our session cookie must echo the session's token, in the form
/// field `_csrf` or the header `X-CSRF-Token`. Requests authenticated by a bearer token carry
/// no ambient credential and are exempt.
///
/// A visitor who is not signed in has no session (issue #19: every anonymous page view stored
/// a session row just to hold this token). Their forms — the login form — use a double-submit
/// cookie instead: the token sits in the `parindex_csrf` cookie and in the form, and a POST
/// must carry both, equal. Another site can make the browser send the cookie but can neither
/// read it nor set it, so it cannot fill in the form field. A signed-in session keeps its own
/// token (rotated at login) and only that one counts.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"
    static let cookieName = "parindex_csrf"
    static let formField = "_csrf"
    static let header = HTTPHeaders.Name("X-CSRF-Token")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let unsafe = ![.GET, .HEAD, .OPTIONS].contains(request.method)
        if unsafe && request.headers.bearerAuthorization == nil {
            // An API call with neither cookie nor token has nothing to forge; the
            // authorization layer will answer 401.
            if !(request.isAPI && !request.hasSessionCookie) {
                try await verify(request)
            }
        }
        return try await next.respond(to: request)
    }

    private func verify(_ request: Request) async throws {
        let expected: String?
        if request.hasSessionCookie, request.session.data[CurrentUserMiddleware.sessionUserKey] != nil
            || request.session.data[Self.sessionKey] != nil {
            expected = request.session.data[Self.sessionKey]
        } else {
            expected = request.cookies[Self.cookieName]?.string
        }
        guard let expected, expected.count >= 24 else { throw AppError.csrfFailed }
        var sent = request.headers.first(name: Self.header)
        let isForm = request.headers.contentType == .urlEncodedForm || request.headers.contentType == .formData
        if sent == nil, isForm {
            // Middleware runs before the route collects the body; collect it here (the route
            // then reuses it). Multipart forms carry file uploads, hence the larger limit.
            if request.body.data == nil {
                let limit = request.headers.contentType == .formData ? 25 << 20 : 1 << 20
                _ = try await request.body.collect(max: limit).get()
            }
            sent = try? request.content.get(String.self, at: Self.formField)
        }
        guard let sent, constantTimeEquals(sent, expected) else { throw AppError.csrfFailed }
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Sets the anonymous CSRF cookie when a page handed out a new token. Outside the error
/// middleware, so a login page rendered as an error still gets its cookie.
struct CSRFCookieMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if let token = request.storage[AnonymousCSRFKey.self], request.cookies[CSRFMiddleware.cookieName]?.string != token {
            response.cookies[CSRFMiddleware.cookieName] = HTTPCookies.Value(
                string: token, path: "/", isSecure: request.application.settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

struct AnonymousCSRFKey: StorageKey { typealias Value = String }

extension Request {
    /// The CSRF token for this page's forms, created on first use: the session's when the
    /// visitor is signed in (or the login is putting one in place), else the double-submit
    /// cookie's, which stores nothing on the server.
    var csrfToken: String {
        if hasSessionCookie || hasSession {
            if let t = session.data[CSRFMiddleware.sessionKey] { return t }
            if session.data[CurrentUserMiddleware.sessionUserKey] != nil {
                let t = Self.newCSRFToken()
                session.data[CSRFMiddleware.sessionKey] = t
                return t
            }
        }
        if let t = storage[AnonymousCSRFKey.self] { return t }
        let sent = cookies[CSRFMiddleware.cookieName]?.string
        let t = sent.flatMap { $0.count == 32 ? $0 : nil } ?? Self.newCSRFToken()
        storage[AnonymousCSRFKey.self] = t
        return t
    }

    static func newCSRFToken() -> String {
        [UInt8].random(count: 24).base64String()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
