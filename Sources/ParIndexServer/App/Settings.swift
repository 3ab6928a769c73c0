import Foundation
import Vapor

/// Everything an operator can configure, read once at start-up from flags and environment
/// (flags win). Documented in the README's "Configuration" table.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// Embedded SQLite file under the data directory (the default).
        case sqliteFile(path: String)
        /// In-memory SQLite (tests).
        case sqliteMemory
        /// PostgreSQL from `DATABASE_URL`; `schema` isolates test runs.
        case postgres(url: String, schema: String?)
    }

    public var hostname: String
    public var port: Int
    public var dataDirectory: String
    public var database: DatabaseChoice
    /// Whether session cookies carry `Secure`. On by default; the README explains turning it
    /// off only for plain-HTTP access from another machine during a trial.
    public var secureCookies: Bool
    /// Idle time after which a session expires.
    public var sessionIdleTimeout: TimeInterval
    /// bcrypt cost; 12 in production, lowered in tests only to keep them fast.
    public var bcryptCost: Int
    /// Password checks allowed per username and client address within ``loginThrottleWindow``
    /// before that pair is paused (`PARINDEX_LOGIN_MAX_FAILURES`, default 5). A success resets it.
    public var loginMaxFailures: Int
    /// The throttle's window (`PARINDEX_LOGIN_WINDOW_MINUTES`, default 15 minutes).
    public var loginThrottleWindow: TimeInterval
    /// Failed logins allowed per client address across all usernames within the window
    /// (`PARINDEX_LOGIN_MAX_FAILURES_PER_ADDRESS`, default 50): stops password spraying
    /// without letting anyone lock `admin` out for everybody (issue #20).
    public var loginMaxFailuresPerAddress: Int = 50
    /// Take the client address from the last `X-Forwarded-For` entry (`PARINDEX_TRUST_PROXY=1`),
    /// only behind a reverse proxy that sets it: otherwise a client could name any address.
    public var trustForwardedFor: Bool = false
    /// Largest evidence file accepted (`PARINDEX_EVIDENCE_MAX_MB`, default 20 MB).
    public var evidenceMaxBytes: Int = 20 << 20
    /// Seconds a recognised token or session user is remembered (0 disables; see AuthCache).
    public var authCacheSeconds: TimeInterval = 5
    /// Periodic jobs (outbox delivery, deadline notices, purges; see ``JobRunner``). Off in
    /// tests, which step the runner directly.
    public var backgroundJobs: Bool = true
    /// Seconds between two job-runner ticks (`PARINDEX_JOB_INTERVAL_SECONDS`, default 10): the
    /// longest an e-mail waits after its write commits.
    public var jobIntervalSeconds: Double = 10
    /// Delivery attempts per e-mail before it is marked failed (`PARINDEX_OUTBOX_MAX_ATTEMPTS`, default 8).
    public var outboxMaxAttempts: Int = 8
    /// Seconds a runner holds a claimed e-mail before another may take it (`PARINDEX_OUTBOX_LEASE_SECONDS`, default 300).
    public var outboxLeaseSeconds: Double = 300
    /// Delay before the first retry, doubled each time (`PARINDEX_OUTBOX_RETRY_SECONDS`, default 60).
    public var outboxFirstRetrySeconds: Double = 60
    /// Seconds one SMTP conversation may stall (`PARINDEX_SMTP_TIMEOUT`, default 10).
    public var smtpTimeoutSeconds: Int = 10
    /// Seconds one LibreOffice conversion may take before it is killed (`PARINDEX_SOFFICE_TIMEOUT`, default 60).
    public var sofficeTimeout: Double = 60
    /// LibreOffice conversions at once (`PARINDEX_SOFFICE_CONCURRENCY`, default 1): each takes
    /// a core and several hundred MB for 10–16 s, so more would starve the requests.
    public var sofficeConcurrency: Int = 1
    /// LibreOffice's launcher (`PARINDEX_SOFFICE`); nil: `soffice` or `libreoffice` on the PATH.
    public var sofficePath: String?
    /// Notification e-mail through this relay (`PARINDEX_SMTP_HOST`, `_PORT`, `_FROM`,
    /// `_USERNAME`, `_PASSWORD`); nil: in-app notifications only.
    public var smtp: SMTPSettings?
    /// The address users reach ParIndex at, for links in e-mail (`PARINDEX_PUBLIC_URL`).
    public var publicURL: String?

    public struct SMTPSettings: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var from: String
        public var username: String?
        public var password: String?
        public init(host: String, port: Int = 25, from: String = "parindex@localhost", username: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.from = from
            self.username = username
            self.password = password
        }
    }

    public init(hostname: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data",
                database: DatabaseChoice? = nil, secureCookies: Bool = true,
                sessionIdleTimeout: TimeInterval = 8 * 3600, bcryptCost: Int = 12,
                loginMaxFailures: Int = 5, loginThrottleWindow: TimeInterval = 15 * 60) {
        self.hostname = hostname
        self.port = port
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("parindex.sqlite"))
        self.secureCookies = secureCookies
        self.sessionIdleTimeout = sessionIdleTimeout
        self.bcryptCost = bcryptCost
        self.loginMaxFailures = loginMaxFailures
        self.loginThrottleWindow = loginThrottleWindow
    }

    /// Reads `PARINDEX_HOSTNAME`, `PARINDEX_PORT`, `PARINDEX_DATA_DIR`, `DATABASE_URL`,
    /// `PARINDEX_SECURE_COOKIES`, `PARINDEX_SESSION_IDLE_MINUTES`, overridden by explicit values.
    public static func fromEnvironment(hostname: String? = nil, port: Int? = nil, dataDirectory: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> Settings {
        let dir = dataDirectory ?? environment["PARINDEX_DATA_DIR"] ?? "./data"
        var s = Settings(hostname: hostname ?? environment["PARINDEX_HOSTNAME"] ?? "127.0.0.1",
                         port: port ?? environment["PARINDEX_PORT"].flatMap(Int.init) ?? 8080,
                         dataDirectory: dir)
        if let url = environment["DATABASE_URL"], !url.isEmpty { s.database = .postgres(url: url, schema: nil) }
        if let v = environment["PARINDEX_SECURE_COOKIES"] { s.secureCookies = !["0", "false", "no"].contains(v.lowercased()) }
        if let m = environment["PARINDEX_SESSION_IDLE_MINUTES"].flatMap(Double.init) { s.sessionIdleTimeout = m * 60 }
        if let s2 = environment["PARINDEX_AUTH_CACHE_SECONDS"].flatMap(Double.init), s2 >= 0 { s.authCacheSeconds = s2 }
        if let host = environment["PARINDEX_SMTP_HOST"], !host.isEmpty {
            s.smtp = SMTPSettings(host: host, port: environment["PARINDEX_SMTP_PORT"].flatMap(Int.init) ?? 25,
                                  from: environment["PARINDEX_SMTP_FROM"] ?? "parindex@localhost",
                                  username: environment["PARINDEX_SMTP_USERNAME"], password: environment["PARINDEX_SMTP_PASSWORD"])
        }
        s.publicURL = environment["PARINDEX_PUBLIC_URL"]
        if let n = environment["PARINDEX_LOGIN_MAX_FAILURES"].flatMap(Int.init), n > 0 { s.loginMaxFailures = n }
        if let m = environment["PARINDEX_LOGIN_WINDOW_MINUTES"].flatMap(Double.init), m > 0 { s.loginThrottleWindow = m * 60 }
        if let n = environment["PARINDEX_LOGIN_MAX_FAILURES_PER_ADDRESS"].flatMap(Int.init), n > 0 { s.loginMaxFailuresPerAddress = n }
        if let v = environment["PARINDEX_TRUST_PROXY"] { s.trustForwardedFor = ["1", "true", "yes"].contains(v.lowercased()) }
        if let mb = environment["PARINDEX_EVIDENCE_MAX_MB"].flatMap(Int.init), mb > 0 { s.evidenceMaxBytes = mb << 20 }
        if let v = environment["PARINDEX_JOB_INTERVAL_SECONDS"].flatMap(Double.init), v > 0 { s.jobIntervalSeconds = v }
        if let n = environment["PARINDEX_OUTBOX_MAX_ATTEMPTS"].flatMap(Int.init), n > 0 { s.outboxMaxAttempts = n }
        if let v = environment["PARINDEX_OUTBOX_LEASE_SECONDS"].flatMap(Double.init), v > 0 { s.outboxLeaseSeconds = v }
        if let v = environment["PARINDEX_OUTBOX_RETRY_SECONDS"].flatMap(Double.init), v > 0 { s.outboxFirstRetrySeconds = v }
        if let n = environment["PARINDEX_SMTP_TIMEOUT"].flatMap(Int.init), n > 0 { s.smtpTimeoutSeconds = n }
        if let p = environment["PARINDEX_SOFFICE"], !p.isEmpty { s.sofficePath = p }
        if let v = environment["PARINDEX_SOFFICE_TIMEOUT"].flatMap(Double.init), v > 0 { s.sofficeTimeout = v }
        if let n = environment["PARINDEX_SOFFICE_CONCURRENCY"].flatMap(Int.init), n > 0 { s.sofficeConcurrency = n }
        return s
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }
    public var settings: Settings {
        get { storage[SettingsKey.self] ?? Settings() }
        set { storage[SettingsKey.self] = newValue }
    }
}
