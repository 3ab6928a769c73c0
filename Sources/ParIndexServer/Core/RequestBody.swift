import Foundation
import Vapor

/// Reading request bodies without guessing. Issue #20 found `(try? req.content.decode(T.self))
/// ?? default` on saves, approvals, publications…: a body that could not be read (a JSON body
/// sent as a form, a typo'd type) was taken as "no body", and an entry save then cleared the
/// score. Here the default is used only when the body is really empty; anything else that
/// cannot be decoded is a 400 `request.body_invalid` in Vietnamese.
extension Request {
    /// The body decoded as `T`, or `fallback` when there is no body at all (or only whitespace).
    func decodeOptionalBody<T: Decodable>(_ type: T.Type, or fallback: @autoclosure () -> T) throws -> T {
        guard hasBody else { return fallback() }
        return try decodeBody(type)
    }

    /// The body decoded as `T`; a missing or unreadable body is a 400 with what is wrong.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        guard hasBody else { throw AppError.bodyInvalid("Yêu cầu thiếu nội dung (body).") }
        try requireBodyMatchesContentType()
        do { return try content.decode(T.self) } catch { throw AppError.bodyInvalid(Self.describe(error)) }
    }

    /// One optional text field of the body (a form's `reason`, `note`…): nil when the body is
    /// empty or has no such field; an unreadable body is a 400.
    func optionalBodyField(_ key: String) throws -> String? {
        guard hasBody else { return nil }
        try requireBodyMatchesContentType()
        do { return try content.get(String?.self, at: key) } catch DecodingError.keyNotFound {
            return nil
        } catch DecodingError.valueNotFound {
            return nil
        } catch { throw AppError.bodyInvalid(Self.describe(error)) }
    }

    /// Whether anything but whitespace was sent.
    var hasBody: Bool {
        guard let data = body.data else { return false }
        return data.readableBytesView.contains { !Self.whitespace.contains($0) }
    }

    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

    /// A JSON document sent as a form decodes as one odd key with no value, so every field
    /// looks absent: refuse it instead of reading it as an empty form.
    private func requireBodyMatchesContentType() throws {
        guard let type = headers.contentType else {
            throw AppError.bodyInvalid("Yêu cầu có nội dung nhưng thiếu tiêu đề Content-Type; gửi JSON với Content-Type: application/json.")
        }
        guard type == .urlEncodedForm || type == .formData else { return }
        let first = body.data?.readableBytesView.first { !Self.whitespace.contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            throw AppError.bodyInvalid("Nội dung yêu cầu là JSON nhưng được gửi với Content-Type \(type.type)/\(type.subType); gửi lại với Content-Type: application/json.")
        }
    }

    /// What is wrong with a body, in Vietnamese, naming the field where the decoder says.
    static func describe(_ error: any Error) -> String {
        func path(_ p: [any CodingKey]) -> String { p.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
        let prefix = "Nội dung yêu cầu không hợp lệ: "
        switch error {
        case let DecodingError.typeMismatch(type, ctx):
            return prefix + "trường “\(path(ctx.codingPath))” phải là \(kind(type))."
        case let DecodingError.keyNotFound(key, ctx):
            return prefix + "thiếu trường “\(path(ctx.codingPath + [key]))”."
        case let DecodingError.valueNotFound(type, ctx):
            return prefix + "trường “\(path(ctx.codingPath))” không được để trống (cần \(kind(type)))."
        case let DecodingError.dataCorrupted(ctx):
            return ctx.codingPath.isEmpty ? prefix + "không đọc được dữ liệu (JSON hoặc biểu mẫu sai cú pháp)."
                : prefix + "giá trị của trường “\(path(ctx.codingPath))” không đúng định dạng."
        case let e as any AbortError where e.status == .unsupportedMediaType:
            return prefix + "định dạng dữ liệu (Content-Type) không được hỗ trợ; dùng application/json."
        default:
            return prefix + "không đọc được dữ liệu gửi lên."
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Int") { return "số nguyên" }
        if name.contains("Double") || name.contains("Float") { return "số" }
        if name.contains("Bool") { return "true hoặc false" }
        if name.contains("String") { return "chuỗi ký tự" }
        if name.contains("Dictionary") { return "một đối tượng" }
        if name.contains("Array") { return "một danh sách" }
        return "đúng kiểu dữ liệu"
    }
}
