import Vapor

/// Conservative headers for a government web application served on closed networks — no
/// framing, no MIME sniffing, scripts and styles from ParIndex itself only — on every answer:
/// pages, API, static files and errors alike (issue 20 found error pages and static files
/// without them). It is the outermost middleware but one, so nothing answers around it.
///
/// Authenticated answers and every download carry `Cache-Control: no-store`: a shared office
/// computer or a proxy must not keep a unit's scores or evidence after the user has left.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // Only what failed outside ProblemMiddleware lands here (static files, the session
            // store): answer with a problem of our own rather than the framework's bare text.
            response = Self.lastResortResponse(error, request: request)
        }
        Self.apply(to: response, for: request)
        return response
    }

    static func apply(to response: Response, for request: Request) {
        let h = response.headers
        var headers = h
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        let isDownload = headers.first(name: .contentDisposition)?.lowercased().hasPrefix("attachment") == true
        if request.currentUser != nil || request.headers.bearerAuthorization != nil || isDownload {
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            headers.replaceOrAdd(name: "Pragma", value: "no-cache")
        }
        response.headers = headers
    }

    /// A problem answer that needs neither the session nor the view renderer, which may be
    /// what failed.
    static func lastResortResponse(_ error: any Error, request: Request) -> Response {
        let problem = ProblemDetails(error: error, request: request)
        if problem.status >= 500 { request.logger.report(error: error) }
        let status = HTTPResponseStatus(statusCode: problem.status)
        if request.isAPI || request.headers.accept.mediaTypes.contains(.json),
           let response = try? ProblemMiddleware.problemResponse(problem) {
            return response
        }
        let html = """
        <!doctype html><html lang="vi"><head><meta charset="utf-8"><title>ParIndex</title>\
        <link rel="stylesheet" href="/css/app.css"></head><body><main class="card narrow">\
        <h1>Không thực hiện được yêu cầu</h1><p class="flash flash-danger" role="alert">\(XMLText.escape(problem.detail))</p>\
        <p class="muted">Mã lỗi: <code>\(XMLText.escape(problem.code))</code> · HTTP \(problem.status)\
        \(problem.requestId.map { " · Mã yêu cầu: <code>\(XMLText.escape($0))</code>" } ?? "")</p>\
        <p><a href="/">Về trang chủ</a></p></main></body></html>
        """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
