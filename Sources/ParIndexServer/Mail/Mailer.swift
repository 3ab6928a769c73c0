import Foundation
import Logging
import NIOPosix
import Vapor

/// Sends notification e-mail when SMTP is configured: one message per recipient (nobody sees
/// the others' addresses), on the thread pool, failures logged and never surfaced to the
/// person whose action caused the notice.
struct Mailer: Sendable {
    let client: SMTPClient
    let threadPool: NIOThreadPool
    let logger: Logger
    /// Prefix for links in the e-mail (`PARINDEX_PUBLIC_URL`).
    let baseURL: String

    func send(_ notice: Notifier.Notice, to emails: [String]) async {
        for email in emails {
            do {
                try await threadPool.runIfActive { [client] in
                    try client.send(to: [email], subject: "[ParIndex] " + notice.title,
                                    body: notice.body + "\n\n" + baseURL + notice.link + "\n\n— ParIndex")
                }
            } catch {
                logger.warning("E-mail to \(email) failed: \(error)")
            }
        }
    }
}

extension Application {
    private struct MailerKey: StorageKey { typealias Value = Mailer }
    /// Present only when `PARINDEX_SMTP_HOST` (or ``Settings/smtp``) is set.
    var mailer: Mailer? {
        get { storage[MailerKey.self] }
        set { storage[MailerKey.self] = newValue }
    }
}
