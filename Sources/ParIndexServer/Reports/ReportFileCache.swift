import Foundation
import Vapor

/// Public files made once per input version and kept under `<data>/reports/` (issue #19: every
/// anonymous request for the annual report PDF started LibreOffice, 10–16 s each).
///
/// Files rather than a table: a PDF is a few hundred KB written once and read often; the file
/// system serves it without a database round-trip, the atomic write (``AtomicFile``) means a
/// reader never sees half a file, and a stale entry is harmless because the key changes with
/// every publication (old files can be deleted at any time; they are simply made again).
///
/// Single flight: concurrent requests for one key wait for the one task making it. A failure
/// is not stored: the next request tries again.
actor ReportFileCache {
    let directory: String
    let converter: any DocumentConverter
    private var inFlight: [String: Task<Data, any Error>] = [:]

    init(directory: String, converter: any DocumentConverter) {
        self.directory = directory
        self.converter = converter
    }

    func path(key: String, format: String) -> String {
        let safe = String(key.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" }.map(Character.init))
        return (directory as NSString).appendingPathComponent("annual-\(safe).\(format)")
    }

    /// The stored file for `key` and `format`, made by `make` (once, whoever asks meanwhile).
    func file(key: String, format: String, make: @escaping @Sendable (any DocumentConverter) async throws -> Data) async throws -> Data {
        let path = path(key: key, format: format)
        if let task = inFlight[path] { return try await task.value }
        if let stored = FileManager.default.contents(atPath: path) { return stored }
        let converter = self.converter
        let task = Task {
            let data = try await make(converter)
            try AtomicFile.write(data, to: path)
            return data
        }
        inFlight[path] = task
        do {
            let data = try await task.value
            inFlight[path] = nil
            return data
        } catch {
            inFlight[path] = nil
            throw error
        }
    }
}

extension Application {
    private struct ReportFilesKey: StorageKey { typealias Value = ReportFileCache }
    /// Set by ``configure(_:settings:)``; tests replace it to inject a converter.
    var reportFiles: ReportFileCache {
        get {
            storage[ReportFilesKey.self] ?? ReportFileCache(
                directory: (settings.dataDirectory as NSString).appendingPathComponent("reports"),
                converter: LibreOfficeConverter(timeout: settings.sofficeTimeout, concurrency: settings.sofficeConcurrency))
        }
        set { storage[ReportFilesKey.self] = newValue }
    }
}
