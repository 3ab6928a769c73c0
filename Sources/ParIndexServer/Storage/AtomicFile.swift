import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Writes a file so that readers see either the old file or the whole new one, never a part,
/// and the new one survives a power cut once `write` returns: the bytes go to a temporary file
/// in the same directory (same file system, so the rename is atomic), are flushed (`fsync`),
/// then renamed over the target, and the directory entry is flushed too. The one helper for
/// every stored artefact (issue #19: the cached annual reports; later modules' files).
enum AtomicFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var ok = false
        defer { if !ok { unlink(temporary) } }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw Failure(description: "cannot flush \(temporary): \(String(cString: strerror(errno)))") }
        }
        guard rename(temporary, path) == 0 else {
            throw Failure(description: "cannot rename to \(path): \(String(cString: strerror(errno)))")
        }
        ok = true
        let dir = open(directory, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}
