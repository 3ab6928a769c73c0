import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// A browser-like client for in-memory tests: keeps the session cookie, the anonymous CSRF
/// cookie and the CSRF token from the last page, follows nothing automatically.
final class Browser: @unchecked Sendable {
    // @unchecked: used by one test task at a time; never shared across tasks.
    let app: Application
    var cookie: String?
    /// The double-submit CSRF cookie of a visitor who is not signed in (issue #19).
    var csrfCookie: String?
    var csrf: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let res = try await app.testing().sendRequest(.GET, path, headers: headers())
        absorb(res)
        return res
    }

    /// Posts a form, adding the CSRF token unless `csrf` is given explicitly (use "" to omit).
    @discardableResult
    func post(_ path: String, form: [String: String] = [:], csrf override: String? = nil) async throws -> TestingHTTPResponse {
        var fields = form
        let token = override ?? csrf
        if let token, !token.isEmpty { fields["_csrf"] = token }
        var c = URLComponents()
        c.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var h = headers()
        h.contentType = .urlEncodedForm
        let res = try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: body))
        absorb(res)
        return res
    }

    /// Posts a multipart form with one file.
    @discardableResult
    func upload(_ path: String, file: Data, filename: String, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        let boundary = "----parindex-test-boundary"
        var body = ""
        var all = fields
        if let csrf { all["_csrf"] = csrf }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        var buffer = ByteBuffer(string: body)
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n")
        buffer.writeBytes(file)
        buffer.writeString("\r\n--\(boundary)--\r\n")
        var h = headers()
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let res = try await app.testing().sendRequest(.POST, path, headers: h, body: buffer)
        absorb(res)
        return res
    }

    func login(_ username: String, password: String = Fixtures.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", form: ["username": username, "password": password])
    }

    private func headers() -> HTTPHeaders {
        var h = HTTPHeaders()
        let all = [cookie, csrfCookie].compactMap { $0 }
        if !all.isEmpty { h.add(name: .cookie, value: all.joined(separator: "; ")) }
        return h
    }

    private func absorb(_ res: TestingHTTPResponse) {
        for value in res.headers[.setCookie] {
            let pair = value.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix("parindex_session=") {
                cookie = value.contains("Max-Age=0") || value.contains("expires=Thu, 01 Jan 1970") ? nil : pair
            } else if pair.hasPrefix(CSRFMiddleware.cookieName + "=") {
                csrfCookie = pair
            }
        }
        let html = res.body.string
        if let r = html.range(of: "name=\"_csrf\" value=\"") {
            let rest = html[r.upperBound...]
            csrf = String(rest.prefix { $0 != "\"" })
        }
    }
}

extension TestingHTTPResponse {
    var problemCode: String? {
        (try? JSONSerialization.jsonObject(with: Data(body.string.utf8)) as? [String: Any])?["code"] as? String
    }
    var json: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(body.string.utf8))) as? [String: Any]) ?? [:]
    }
}

/// JSON API calls with a bearer token.
struct APIClient {
    let app: Application
    let token: String?

    /// A multipart upload of one file plus text fields.
    func upload(_ path: String, file: Data, filename: String, fields: [String: String]) async throws -> TestingHTTPResponse {
        let boundary = "----parindex-api-boundary"
        var buffer = ByteBuffer()
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n")
        }
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        buffer.writeBytes(file)
        buffer.writeString("\r\n--\(boundary)--\r\n")
        var h = HTTPHeaders()
        if let token { h.bearerAuthorization = BearerAuthorization(token: token) }
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, path, headers: h, body: buffer)
    }

    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, raw: String? = nil,
              bytes: Data? = nil, contentType: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
        var h = HTTPHeaders()
        if let token { h.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            h.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            h.contentType = contentType
            body = ByteBuffer(string: raw)
        } else if let bytes {
            h.contentType = HTTPMediaType(type: "text", subType: "csv")
            body = ByteBuffer(data: bytes)
        }
        return try await app.testing().sendRequest(method, path, headers: h, body: body)
    }
}
