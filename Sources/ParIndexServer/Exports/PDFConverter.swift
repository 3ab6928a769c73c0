import Foundation
import NIOConcurrencyHelpers
import ParIndexCore
#if canImport(Glibc)
import Glibc
#endif

/// DOCX → PDF through LibreOffice (`soffice --headless --convert-to pdf`): the PDF is the
/// same document as the DOCX, laid out by a real word processor, with Vietnamese text and
/// fonts as LibreOffice renders them. Without LibreOffice the PDF is refused with a clear
/// message (the DOCX is always available).
enum PDFConverter {
    enum ConversionError: DomainError, RetryAfterError, Equatable {
        case unavailable
        case failed(String)
        /// LibreOffice did not finish within `PARINDEX_SOFFICE_TIMEOUT` and was killed.
        case timedOut(seconds: Double)

        var code: String {
            switch self {
            case .unavailable, .failed: "export.pdf_unavailable"
            case .timedOut: "export.pdf_timeout"
            }
        }
        var messageVI: String {
            switch self {
            case .unavailable: "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; vui lòng tải bản DOCX."
            case let .failed(detail): "Không chuyển được tài liệu sang PDF (\(detail)); vui lòng tải bản DOCX."
            case let .timedOut(seconds):
                "LibreOffice không chuyển xong tài liệu sang PDF trong \(VietnameseNumber.format(seconds)) giây nên đã bị dừng. "
                    + "Vui lòng thử lại sau ít phút hoặc tải bản DOCX."
            }
        }
        /// 503 with `Retry-After` for a timeout (the server is busy; the next try may find the file
        /// made), 502 for a conversion that failed (the converter, not the request, is at fault),
        /// 422 as before when LibreOffice is not installed.
        var status: Int {
            switch self {
            case .unavailable: 422
            case .failed: 502
            case .timedOut: 503
            }
        }
        var retryAfterSeconds: Int? { if case .timedOut = self { 60 } else { nil } }
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

    static func pdf(fromDOCX docx: Data, name: String = "bao-cao", timeout: TimeInterval = 120,
                    executable path: String? = nil) async throws -> Data {
        try await convert(docx, from: "docx", to: "pdf", name: name, timeout: timeout, executable: path)
    }

    /// Opens `data` (a file of type `from`) in LibreOffice and saves it as `to` (`pdf`, `csv`…).
    /// Runs in a private directory with a private LibreOffice profile, so conversions may run
    /// side by side without fighting over one profile's lock. Tests use it to prove that the
    /// files ParIndex exports open in LibreOffice.
    ///
    /// LibreOffice runs in its own process group and the whole group is killed after `timeout`
    /// seconds (issue #19: a hung conversion held its request for ever); `soffice` starts
    /// `soffice.bin`, so killing the launcher alone would leave the worker behind.
    static func convert(_ data: Data, from: String, to target: String, name: String = "tep",
                        timeout: TimeInterval = 120, executable path: String? = nil) async throws -> Data {
        guard let soffice = path ?? executable else { throw ConversionError.unavailable }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parindex-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("\(name).\(from)")
        try data.write(to: input)
        let errorsPath = dir.appendingPathComponent("stderr.txt").path
        let pid = try spawn(soffice, ["-env:UserInstallation=file://\(dir.path)/profile", "--headless", "--norestore",
                                      "--convert-to", target, "--outdir", dir.path, input.path], stderr: errorsPath)
        let timedOut = NIOLockedValueBox(false)
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            timedOut.withLockedValue { $0 = true }
            kill(-pid, SIGKILL)
        }
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            // waitpid blocks; a thread of its own, as Foundation's Process does, never a pool thread.
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        timer.cancel()
        if timedOut.withLockedValue({ $0 }) {
            kill(-pid, SIGKILL)
            throw ConversionError.timedOut(seconds: timeout)
        }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        // A target may carry a filter and its options (`csv:Text - txt - csv (StarCalc):44,34,76`).
        let output = dir.appendingPathComponent("\(name).\(target.prefix { $0 != ":" })")
        guard exitCode == 0, let pdf = try? Data(contentsOf: output) else {
            let detail = ((try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw ConversionError.failed(detail.isEmpty ? "mã \(exitCode)" : String(detail.prefix(200)))
        }
        return pdf
    }

    /// Starts `path` with `arguments` as the leader of a new process group, stdin and stdout
    /// on /dev/null, stderr into `stderr`.
    private static func spawn(_ path: String, _ arguments: [String], stderr: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for a in argv + envp { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw ConversionError.failed("không khởi động được LibreOffice: \(String(cString: strerror(rc)))") }
        return pid
    }
}

/// Turns a DOCX into a PDF. Injectable so tests count conversions and simulate slow ones.
protocol DocumentConverter: Sendable {
    func pdf(fromDOCX docx: Data, name: String) async throws -> Data
}

/// LibreOffice, at most `concurrency` at a time (the others wait their turn, suspended), each
/// killed after `timeout` seconds (`PARINDEX_SOFFICE_CONCURRENCY`, `PARINDEX_SOFFICE_TIMEOUT`).
struct LibreOfficeConverter: DocumentConverter {
    let timeout: TimeInterval
    let limiter: AsyncSemaphore
    /// Nil: ``PDFConverter/executable`` (`PARINDEX_SOFFICE` or the PATH).
    let executable: String?

    init(timeout: TimeInterval, concurrency: Int, executable: String? = nil) {
        self.timeout = timeout
        self.executable = executable
        limiter = AsyncSemaphore(max(concurrency, 1))
    }

    func pdf(fromDOCX docx: Data, name: String) async throws -> Data {
        await limiter.acquire()
        do {
            let pdf = try await PDFConverter.pdf(fromDOCX: docx, name: name, timeout: timeout, executable: executable)
            await limiter.release()
            return pdf
        } catch {
            await limiter.release()
            throw error
        }
    }
}

/// A counting async semaphore: waiters suspend in FIFO order, no thread is held.
actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ permits: Int) { available = permits }

    func acquire() async {
        if available > 0 { available -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { available += 1 } else { waiters.removeFirst().resume() }
    }
}
