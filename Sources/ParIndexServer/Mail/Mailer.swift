import Foundation
import Logging
import NIOPosix
import Vapor

/// One e-mail as the outbox hands it to a transport.
struct OutboundMail: Sendable, Equatable {
    var recipient: String
    var subject: String
    var body: String
    /// A path on this server; the transport prefixes the public address.
    var link: String
    /// The same for every copy of one message (see ``Outbox``).
    var messageID: String
}

/// Where the outbox hands e-mail over. Throwing means "not accepted": the outbox retries.
protocol MailTransport: Sendable {
    func send(_ mail: OutboundMail) async throws
}

/// Sends notification e-mail through the SMTP relay, one message per recipient (nobody sees
/// the others' addresses), on the thread pool (the client uses blocking sockets). Failures are
/// thrown to the outbox, which retries with backoff (issue #19: a relay that is down used to
/// lose the message).
struct Mailer: MailTransport {
    let client: SMTPClient
    let threadPool: NIOThreadPool
    /// Prefix for links in the e-mail (`PARINDEX_PUBLIC_URL`).
    let baseURL: String

    func send(_ mail: OutboundMail) async throws {
        try await threadPool.runIfActive { [client, baseURL] in
            try client.send(to: [mail.recipient], subject: "[ParIndex] " + mail.subject,
                            body: mail.body + "\n\n" + baseURL + mail.link + "\n\n— ParIndex", messageID: mail.messageID)
        }
    }
}

extension Application {
    private struct MailerKey: StorageKey { typealias Value = Mailer }
    private struct TransportKey: StorageKey { typealias Value = any MailTransport }
    /// Present only when `PARINDEX_SMTP_HOST` (or ``Settings/smtp``) is set.
    var mailer: Mailer? {
        get { storage[MailerKey.self] }
        set { storage[MailerKey.self] = newValue }
    }

    /// What the outbox delivers through: the SMTP ``mailer``, unless a test put another here.
    var mailTransport: (any MailTransport)? {
        get { storage[TransportKey.self] ?? mailer }
        set { storage[TransportKey.self] = newValue }
    }
}
