import Foundation
import NIOConcurrencyHelpers
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexDemo
@testable import ParIndexServer

/// A converter that counts its conversions.
final class CountingConverter: DocumentConverter, @unchecked Sendable {
    // @unchecked: the count is behind a lock.
    private let count = NIOLockedValueBox(0)
    var conversions: Int { count.withLockedValue { $0 } }

    func pdf(fromDOCX docx: Data, name: String) async throws -> Data {
        count.withLockedValue { $0 += 1 }
        // Let the other requests arrive while this one "converts".
        for _ in 0 ..< 50 { await Task.yield() }
        return Data("%PDF-1.4 \(name) \(docx.count)".utf8)
    }
}

/// Issue #19, item 6: the public annual report is made once per snapshot version, concurrent
/// requests share the one conversion, and a LibreOffice that hangs is killed.
@Suite struct ReportFileCacheTests {
    /// A stand-in for `soffice` that hangs, writing its process id first.
    static func hangingSoffice() throws -> (script: String, pidFile: String) {
        let dir = Fixtures.tempDirectory()
        let script = dir + "/soffice"
        let pidFile = dir + "/pid"
        try "#!/bin/sh\nsleep 300 &\necho $! > \(pidFile)\nwait\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        return (script, pidFile)
    }

    @Test func aHungConverterIsKilledWithItsChildrenAfterTheTimeout() async throws {
        let (script, pidFile) = try Self.hangingSoffice()
        let converter = LibreOfficeConverter(timeout: 0.5, concurrency: 1, executable: script)
        await #expect(throws: PDFConverter.ConversionError.timedOut(seconds: 0.5)) {
            _ = try await converter.pdf(fromDOCX: Data("docx".utf8), name: "bao-cao")
        }
        let child = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // The whole group was killed: the grandchild `sleep` is gone (or a zombie about to be reaped by init).
        var gone = kill(child, 0) != 0
        if !gone, let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8) { gone = stat.contains(") Z ") }
        #expect(gone, "the converter's child process outlived the timeout")
        let e = PDFConverter.ConversionError.timedOut(seconds: 0.5)
        #expect(e.messageVI.contains("0,5 giây"))
        #expect(e.status == 503 && e.retryAfterSeconds == 60)
    }

    @Test func concurrentRequestsForOneKeyShareOneConversionAndTheFileIsKept() async throws {
        let dir = Fixtures.tempDirectory()
        let counting = CountingConverter()
        let cache = ReportFileCache(directory: dir, converter: counting)
        let results = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0 ..< 20 {
                group.addTask { try await cache.file(key: "2023-a", format: "pdf") { try await $0.pdf(fromDOCX: Data("x".utf8), name: "r") } }
            }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        #expect(counting.conversions == 1)
        #expect(Set(results).count == 1 && results.count == 20)
        #expect(FileManager.default.fileExists(atPath: await cache.path(key: "2023-a", format: "pdf")))
        // A new cache over the same directory (a restart) serves the stored file.
        let again = ReportFileCache(directory: dir, converter: counting)
        _ = try await again.file(key: "2023-a", format: "pdf") { try await $0.pdf(fromDOCX: Data("x".utf8), name: "r") }
        #expect(counting.conversions == 1)
        // Another snapshot version is another file.
        _ = try await again.file(key: "2023-b", format: "pdf") { try await $0.pdf(fromDOCX: Data("x".utf8), name: "r") }
        #expect(counting.conversions == 2)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.hasPrefix(".tmp-") })
    }

    @Test(arguments: Engine.available)
    func thePublicReportPDFIsConvertedOnceForFiftyRequestsAndAHangIsA503(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            #expect(try await DemoProvince.load(into: app))
            let directory = Fixtures.tempDirectory()
            // First a LibreOffice that hangs: a clear Vietnamese 503 with Retry-After, not a hung request.
            let (script, _) = try Self.hangingSoffice()
            app.reportFiles = ReportFileCache(directory: directory,
                                              converter: LibreOfficeConverter(timeout: 0.5, concurrency: 1, executable: script))
            let anyone = APIClient(app: app, token: nil)
            let hung = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=pdf")
            #expect(hung.status == .serviceUnavailable)
            #expect(hung.headers.first(name: .retryAfter) == "60")
            #expect(hung.problemCode == "export.pdf_timeout")
            #expect(hung.body.string.contains("LibreOffice không chuyển xong"))

            let counting = CountingConverter()
            app.reportFiles = ReportFileCache(directory: directory, converter: counting)
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for _ in 0 ..< 50 {
                    group.addTask {
                        let r = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/public/reports/2022?format=pdf")
                        return (r.status, r.body.string)
                    }
                }
                return try await group.reduce(into: [(HTTPStatus, String)]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .ok })
            #expect(Set(statuses.map(\.1)).count == 1)
            #expect(counting.conversions == 1)
            // Cheap formats are stored too, and the PDF is not converted again.
            let docx = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=docx")
            #expect(docx.status == .ok)
            _ = try await anyone.send(.GET, "/api/v1/public/reports/2022?format=pdf")
            #expect(counting.conversions == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pdf") || $0.hasSuffix(".docx") }.count == 2)
        }
    }
}
