import Foundation
import Vapor

/// CSRF protection for everything a browser can be tricked into sending. Any state-changing
/// request that could carry our session cookie must echo the session's token, in the form
/// field `_csrf` or the header `X-CSRF-Token`. Requests authenticated by a bearer token carry
/// no ambient credential and are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"
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
        guard request.hasSessionCookie, let expected = request.session.data[Self.sessionKey] else {
            throw AppError.csrfFailed
        }
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

extension Request {
    /// The session's CSRF token, created on first use (for forms).
    var csrfToken: String {
        if let t = session.data[CSRFMiddleware.sessionKey] { return t }
        let t = [UInt8].random(count: 24).base64String()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        session.data[CSRFMiddleware.sessionKey] = t
        return t
    }
}
