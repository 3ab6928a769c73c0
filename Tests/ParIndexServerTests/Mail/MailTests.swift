import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
@testable import ParIndexServer

/// Notification e-mail through a real SMTP conversation with a local sink (Python's smtpd),
/// queued by the reminders and delivered by the job runner's outbox.
@Suite struct MailTests {
    /// Starts an SMTP sink on 127.0.0.1:`port` that appends every message to `file`.
    static func startSink(port: Int, file: String) throws -> Process {
        let script = """
        import smtpd, asyncore, sys, time, warnings
        warnings.simplefilter("ignore")
        class Sink(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kw):
                with open(sys.argv[2], "ab") as f:
                    f.write(b"RCPT:" + ",".join(rcpttos).encode() + b"\\n" + data + b"\\n----\\n")
        Sink(("127.0.0.1", int(sys.argv[1])), None, decode_data=False)
        # Lives until the test ends it (terminate), at most 10 minutes: on a busy CI machine the
        # app and its fixtures take more than a minute to be ready (CI once lost the sink at 60 s).
        end = time.time() + 600
        while time.time() < end:
            asyncore.loop(timeout=0.2, count=1)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-W", "ignore", "-c", script, String(port), file]
        // Not the test runner's own output: a child holding it open keeps `swift test` waiting.
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (up to 20 s, for a busy CI machine) until the sink accepts connections.
    static func waitForPort(_ port: Int) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
        import socket, sys, time
        end = time.time() + 20
        while time.time() < end:
            try:
                socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close(); sys.exit(0)
            except OSError:
                time.sleep(0.1)
        sys.exit(1)
        """, String(port)]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "the SMTP sink did not start")
    }

    @Test(arguments: Engine.available)
    func deadlineNoticesAreMailedToUsersWithAnAddress(engine: Engine) async throws {
        let port = Int.random(in: 30000...40000)
        let file = Fixtures.tempDirectory() + "/mail.txt"
        let sink = try Self.startSink(port: port, file: file)
        defer { sink.terminate(); kill(sink.processIdentifier, SIGKILL) }
        try Self.waitForPort(port)
        let settings = Settings.testing { $0.smtp = .init(host: "127.0.0.1", port: port, from: "cchc@snv.gov.vn") }
        try await withTestApp(engine, settings: settings) { app in
            let w = try await SelfAssessmentTests.world(app, window: (-5, 1))
            let reporter = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first())
            reporter.email = "baocao@snv.gov.vn"
            try await reporter.save(on: app.db)
            _ = w
            // The reminders queue the mail in the outbox; the runner's next tick hands it to the
            // relay and returns once the relay accepted it (the sink has written it by then).
            let runner = JobRunner(app: app)
            let now = Date()
            _ = await runner.runOnce(now: now)
            let tick = await runner.runOnce(now: now.addingTimeInterval(10))
            #expect(tick.outbox.delivered > 0)
            let mail = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            #expect(mail.contains("RCPT:baocao@snv.gov.vn"))
            #expect(!mail.contains("RCPT:thutruong"))
            #expect(mail.contains("Subject: =?UTF-8?B?"))
            let bodies = mail.components(separatedBy: "----").compactMap { message -> String? in
                guard let r = message.range(of: "\r\n\r\n") ?? message.range(of: "\n\n") else { return nil }
                let b64 = message[r.upperBound...].filter { !$0.isWhitespace }
                return Data(base64Encoded: String(b64)).map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(bodies.contains { $0.contains("hạn chót 24 giờ ngày") && $0.contains("/assessments/") })
        }
    }

    @Test func messagesEncodeVietnameseSafely() {
        let m = SMTPClient.message(from: "a@b.vn", to: ["c@d.vn"], subject: "Sắp hết hạn", body: ".\nDòng hai")
        #expect(m.contains("Subject: =?UTF-8?B?\(Data("Sắp hết hạn".utf8).base64EncodedString())?="))
        #expect(!m.contains("\r\n.\r\n"))
        #expect(UserService.looksLikeEmail("baocao@snv.gov.vn"))
        #expect(!UserService.looksLikeEmail("a b@c.vn"))
        #expect(!UserService.looksLikeEmail("x@y>RCPT TO:<z@w.vn"))
    }
}
