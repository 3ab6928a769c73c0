import Foundation
import ParIndexCore
import Vapor

/// An upload larger than its limit, refused while it arrives: the probe of issue 20 found a
/// 64 MB evidence upload parsed for 30 s before its size was checked.
struct UploadTooLarge: DomainError, Equatable {
    var limitBytes: Int
    var code: String { "upload.too_large" }
    var messageVI: String {
        "Tệp gửi lên lớn hơn giới hạn \(VietnameseNumber.format(Double(limitBytes) / 1_048_576, fractionDigits: 1)) MB; chưa có gì được lưu."
    }
}

extension Request {
    /// Collects a streamed body (a route registered with `body: .stream`) of at most `limit`
    /// bytes: a declared `Content-Length` over it is refused before reading, and a body that
    /// grows past it is cut off as soon as it does.
    /// `overhead` is room for the multipart envelope and the other form fields, not named in
    /// the message.
    func collectUpload(limit: Int, overhead: Int = 0) async throws {
        if let declared = headers.first(name: .contentLength).flatMap(Int.init), declared > limit + overhead {
            throw UploadTooLarge(limitBytes: limit)
        }
        do {
            _ = try await body.collect(max: limit + overhead).get()
        } catch let abort as any AbortError where abort.status == .payloadTooLarge {
            throw UploadTooLarge(limitBytes: limit)
        }
    }

    /// An evidence upload: the file up to the configured limit, plus room for the form fields.
    func collectEvidenceUpload() async throws {
        try await collectUpload(limit: application.settings.evidenceMaxBytes, overhead: 256 << 10)
    }
}
