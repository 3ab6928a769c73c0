import Foundation
import Logging

/// One JSON object per line on standard output (`PARINDEX_LOG_FORMAT=json`), for log
/// collectors: time, level, logger, message and the metadata — the request id among it.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var explicit = event.metadata ?? [:]
        if let error = event.error { explicit["error"] = .string(String(describing: error)) }
        write(level: event.level, message: event.message, metadata: explicit)
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        write(level: level, message: message, metadata: explicit)
    }

    private func write(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?) {
        var fields: [String: String] = [
            "ts": ISO8601DateFormatter.string(from: Date(), timeZone: .gmt,
                                              formatOptions: [.withInternetDateTime, .withFractionalSeconds]),
            "level": level.rawValue, "logger": label, "msg": message.description,
        ]
        for (k, v) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) { fields[k] = v.description }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
