import Foundation
import ParIndexCore

/// DOCX → PDF through LibreOffice (`soffice --headless --convert-to pdf`): the PDF is the
/// same document as the DOCX, laid out by a real word processor, with Vietnamese text and
/// fonts as LibreOffice renders them. Without LibreOffice the PDF is refused with a clear
/// message (the DOCX is always available).
enum PDFConverter {
    enum ConversionError: DomainError {
        case unavailable
        case failed(String)

        var code: String { "export.pdf_unavailable" }
        var messageVI: String {
            switch self {
            case .unavailable: "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; vui lòng tải bản DOCX."
            case let .failed(detail): "Không chuyển được tài liệu sang PDF (\(detail)); vui lòng tải bản DOCX."
            }
        }
    }

    /// `PARINDEX_SOFFICE`, else `soffice` or `libreoffice` on the PATH.
    static var executable: String? {
        let env = ProcessInfo.processInfo.environment
        if let path = env["PARINDEX_SOFFICE"], FileManager.default.isExecutableFile(atPath: path) { return path }
        for dir in (env["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":") {
            for name in ["soffice", "libreoffice"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    static var isAvailable: Bool { executable != nil }

    static func pdf(fromDOCX docx: Data, name: String = "bao-cao") async throws -> Data {
        try await convert(docx, from: "docx", to: "pdf", name: name)
    }

    /// Opens `data` (a file of type `from`) in LibreOffice and saves it as `to` (`pdf`, `csv`…).
    /// Runs in a private directory with a private LibreOffice profile, so conversions may run
    /// side by side without fighting over one profile's lock. Tests use it to prove that the
    /// files ParIndex exports open in LibreOffice.
    static func convert(_ data: Data, from: String, to target: String, name: String = "tep") async throws -> Data {
        guard let soffice = executable else { throw ConversionError.unavailable }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parindex-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("\(name).\(from)")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://\(dir.path)/profile", "--headless", "--norestore",
                             "--convert-to", target, "--outdir", dir.path, input.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        // A target may carry a filter and its options (`csv:Text - txt - csv (StarCalc):44,34,76`).
        let output = dir.appendingPathComponent("\(name).\(target.prefix { $0 != ":" })")
        guard process.terminationStatus == 0, let pdf = try? Data(contentsOf: output) else {
            let detail = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw ConversionError.failed(detail.isEmpty ? "mã \(process.terminationStatus)" : String(detail.prefix(200)))
        }
        return pdf
    }
}
