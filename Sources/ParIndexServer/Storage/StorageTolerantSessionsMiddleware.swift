import NIOConcurrencyHelpers
import Vapor

/// Vapor's session middleware, except that a session that cannot be saved — a read-only or full
/// database — does not turn a page that rendered into an error. The login page and the public
/// results must still answer while storage is down (issue 20); a form on such a page will then
/// be refused, with the storage message, when it is posted.
struct StorageTolerantSessionsMiddleware: AsyncMiddleware {
    let sessions: SessionsMiddleware

    init(_ sessions: SessionsMiddleware) { self.sessions = sessions }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let rendered = NIOLockedValueBox<Response?>(nil)
        let capturing = Capturing(next: next, rendered: rendered)
        do {
            return try await sessions.respond(to: request, chainingTo: capturing).get()
        } catch {
            guard StorageFault(error) != nil, let response = rendered.withLockedValue({ $0 }) else { throw error }
            request.logger.warning("Session not saved: \(String(describing: error))")
            return response
        }
    }

    private struct Capturing: AsyncResponder {
        let next: any AsyncResponder
        let rendered: NIOLockedValueBox<Response?>

        func respond(to request: Request) async throws -> Response {
            let response = try await next.respond(to: request)
            rendered.withLockedValue { $0 = response }
            return response
        }
    }
}
