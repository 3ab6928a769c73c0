import Crypto
import Foundation

/// Evidence files on disk under `<data-dir>/evidence/ab/cd/<sha256>`: the path comes from the
/// content's hash, never from anything a user typed. A file is written to a temporary name
/// in the same directory and renamed into place, so an interrupted upload never leaves a
/// half-written file under a real name.
package struct EvidenceStore: Sendable {
    let root: String

    package static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func path(for sha: String) -> String {
        "\(root)/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)"
    }

    /// Stores `data` unless the same content is already there; returns whether it was new.
    /// A full disk or an unwritable folder is a ``StorageFault``, so the user reads what
    /// happened instead of "lỗi hệ thống".
    @discardableResult
    package func put(_ data: Data, sha: String) throws(StorageFault) -> Bool {
        do { return try write(data, sha: sha) } catch { throw StorageFault(error) ?? .filesUnwritable }
    }

    /// Whether a file can be created in the store now (for `/readyz`).
    func probeWritable() -> StorageFault? {
        let probe = "\(root)/.probe-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try Data("ok".utf8).write(to: URL(fileURLWithPath: probe))
            try FileManager.default.removeItem(atPath: probe)
            return nil
        } catch {
            return StorageFault(error) ?? .filesUnwritable
        }
    }

    private func write(_ data: Data, sha: String) throws -> Bool {
        let final = path(for: sha)
        let fm = FileManager.default
        if fm.fileExists(atPath: final) { return false }
        let dir = (final as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = "\(dir)/.upload-\(UUID().uuidString)"
        guard fm.createFile(atPath: temp, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        do {
            // On disk before the database row that points at it commits: a crash right after
            // the 201 must not leave a row without its file.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? fm.removeItem(atPath: temp)
            throw error
        }
        if rename(temp, final) != 0 {
            try? fm.removeItem(atPath: temp)
            if fm.fileExists(atPath: final) { return false }
            throw CocoaError(.fileWriteUnknown)
        }
        return true
    }

    func get(_ sha: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(for: sha)))
    }

    package func remove(_ sha: String) {
        try? FileManager.default.removeItem(atPath: path(for: sha))
    }
}
