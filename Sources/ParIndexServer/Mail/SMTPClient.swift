import Glibc
import Foundation

/// A small SMTP client for notification e-mail through the organisation's relay
/// (`PARINDEX_SMTP_HOST`). No package among those available offline speaks SMTP, and the
/// protocol subset needed — EHLO, optional AUTH LOGIN, MAIL, RCPT, DATA — is short. It uses
/// blocking sockets and is called on the thread pool, never on an event loop. Plain
/// connection only: government mail relays are on the internal network; TLS to an outside
/// provider would need a local relay (documented in the README).
struct SMTPClient: Sendable {
    struct Configuration: Sendable, Equatable {
        var host: String
        var port: Int
        var from: String
        var username: String?
        var password: String?
        var timeoutSeconds: Int = 10
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let configuration: Configuration

    func send(to recipients: [String], subject: String, body: String, messageID: String? = nil) throws {
        guard !recipients.isEmpty else { return }
        let fd = try connect()
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        try expect(&reader, 220)
        try command(fd, "EHLO parindex", &reader, 250)
        if let user = configuration.username, let pass = configuration.password {
            try command(fd, "AUTH LOGIN", &reader, 334)
            try command(fd, Data(user.utf8).base64EncodedString(), &reader, 334)
            try command(fd, Data(pass.utf8).base64EncodedString(), &reader, 235)
        }
        try command(fd, "MAIL FROM:<\(configuration.from)>", &reader, 250)
        for r in recipients { try command(fd, "RCPT TO:<\(r)>", &reader, 250) }
        try command(fd, "DATA", &reader, 354)
        try write(fd, Self.message(from: configuration.from, to: recipients, subject: subject, body: body, messageID: messageID) + "\r\n.\r\n")
        try expect(&reader, 250)
        try? command(fd, "QUIT", &reader, 221)
    }

    /// RFC 5322 message with a UTF-8 subject (RFC 2047) and base64 body, so Vietnamese text
    /// arrives intact through any relay; lines starting with `.` cannot occur in base64.
    /// `messageID` is the same for every copy of one outbox message, so a copy sent again after
    /// a crash is recognisable as the same message (see ``Outbox``).
    static func message(from: String, to: [String], subject: String, body: String, date: Date = Date(),
                        messageID: String? = nil) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedBody = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return ([
            "From: ParIndex <\(from)>",
            "To: " + to.joined(separator: ", "),
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(formatter.string(from: date))",
        ] + (messageID.map { ["Message-ID: \($0)"] } ?? []) + [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            encodedBody,
        ]).joined(separator: "\r\n")
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(configuration.host, String(configuration.port), &hints, &result) == 0, let first = result else {
            throw Failure(description: "cannot resolve \(configuration.host)")
        }
        defer { freeaddrinfo(result) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: configuration.timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            node = ai.pointee.ai_next
        }
        throw Failure(description: "cannot connect to \(configuration.host):\(configuration.port)")
    }

    private func write(_ fd: Int32, _ text: String) throws {
        var bytes = Array(text.utf8)
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "connection closed while sending") }
            bytes.removeFirst(n)
        }
    }

    private func command(_ fd: Int32, _ line: String, _ reader: inout LineReader, _ code: Int) throws {
        try write(fd, line + "\r\n")
        try expect(&reader, code)
    }

    /// Reads a (possibly multi-line) reply and checks its code.
    private func expect(_ reader: inout LineReader, _ code: Int) throws {
        while true {
            let line = try reader.line()
            guard line.count >= 3, let got = Int(line.prefix(3)) else { throw Failure(description: "bad reply: \(line)") }
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard got == code else { throw Failure(description: "expected \(code), got: \(line)") }
            return
        }
    }

    struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []

        mutating func line() throws -> String {
            while true {
                if let i = buffer.firstIndex(of: 10) {
                    let bytes = buffer[..<i].filter { $0 != 13 }
                    buffer.removeFirst(i + 1)
                    return String(decoding: bytes, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw Failure(description: "connection closed or timed out") }
                buffer += chunk[..<n]
            }
        }
    }
}
