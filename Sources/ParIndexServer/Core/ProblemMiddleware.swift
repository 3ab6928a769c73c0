import Leaf
import ParIndexCore
import Vapor

/// Maps every error to one answer: problem+json under `/api`, a Vietnamese error page (or a
/// redirect to the login page) in the browser. The only place errors become HTTP.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = ProblemDetails(error: error, request: request)
            if problem.status >= 500 { request.logger.report(error: error) }
            let retryAfter = (error as? any RetryAfterError)?.retryAfterSeconds
            if request.isAPI {
                let response = try Self.problemResponse(problem)
                if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
                return response
            }
            if let e = error as? AppError, e == .notAuthenticated || e == .sessionExpired {
                if e == .sessionExpired { request.flash(.warning, e.messageVI) }
                let next = request.url.path + (request.url.query.map { "?\($0)" } ?? "")
                return request.redirect(to: "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
            }
            let view = try await request.view.render("error", ErrorPage(page: PageContext(request), problem: problem))
            let response = try await view.encodeResponse(for: request)
            response.status = HTTPResponseStatus(statusCode: problem.status)
            if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
            return response
        }
    }

    static func problemResponse(_ problem: ProblemDetails) throws -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
        try response.content.encode(problem, as: .json)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        return response
    }

    struct ErrorPage: Encodable, Sendable {
        var page: PageContext
        var problem: ProblemDetails
    }
}

/// An error after which the same request may succeed later: the answer carries `Retry-After`.
protocol RetryAfterError: Error {
    var retryAfterSeconds: Int? { get }
}

extension AppError: Equatable {
    public static func == (a: AppError, b: AppError) -> Bool { a.code == b.code && a.messageVI == b.messageVI }
}

extension Request {
    var isAPI: Bool { url.path.hasPrefix("/api/") }
}
