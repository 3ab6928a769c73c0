import Vapor

/// Gives every request an id (kept from `X-Request-Id` when a load balancer sets one), puts
/// it in every log line of the request and echoes it in the response, so a user's report
/// ("mã yêu cầu …") leads straight to the logs.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let incoming = request.headers.first(name: .xRequestId).flatMap { $0.count <= 64 && !$0.isEmpty ? $0 : nil }
        let id = incoming ?? UUID().uuidString.lowercased()
        request.headers.replaceOrAdd(name: .xRequestId, value: id)
        request.logger[metadataKey: "request-id"] = .string(id)
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        let elapsed = (ContinuousClock.now - start).components
        let ms = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        request.logger.info("\(request.method) \(request.url.path) \(response.status.code)",
                            metadata: ["ms": .stringConvertible(ms), "status": .stringConvertible(response.status.code)])
        return response
    }
}
