import Fluent
import Foundation
import Leaf
import LeafKit
import Vapor

/// Composes the application: database, migrations, middleware, views, routes.
/// Everything environment-specific comes in through ``Settings``.
public func configure(_ app: Application, settings: Settings) async throws {
    app.settings = settings
    app.authCache = AuthCache(ttl: settings.authCacheSeconds)
    if let smtp = settings.smtp {
        app.mailer = Mailer(client: SMTPClient(configuration: .init(host: smtp.host, port: smtp.port, from: smtp.from,
                                                                    username: smtp.username, password: smtp.password,
                                                                    timeoutSeconds: settings.smtpTimeoutSeconds)),
                            threadPool: app.threadPool,
                            baseURL: settings.publicURL ?? "http://\(settings.hostname):\(settings.port)")
    }
    app.http.server.configuration.hostname = settings.hostname
    app.http.server.configuration.port = settings.port
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))

    try DatabaseSetup.configure(app)

    let resources = Resources.directory
    app.directory.viewsDirectory = resources + "Views/"
    app.directory.publicDirectory = resources + "Public/"
    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory
    // The bundle lives under `.build/` when run with `swift run`; Leaf's default limits refuse
    // hidden directories anywhere in the path, so keep the sandbox but allow that.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                  sandboxDirectory: app.directory.viewsDirectory,
                                                  viewDirectory: app.directory.viewsDirectory))
    app.leaf.cache.isEnabled = app.environment.isRelease

    // Our own driver: no row for a session without data, an expiry the job runner purges by (issue #19).
    app.sessions.use { _ in DatabaseSessionDriver() }
    app.sessions.configuration = SessionsConfiguration(cookieName: "parindex_session") { id in
        HTTPCookies.Value(string: id.string, maxAge: Int(settings.sessionIdleTimeout) + 3600, path: "/",
                          isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    // Order matters: static files need no session; errors become pages inside the session
    // middleware so a flash or CSRF token set while rendering an error is still saved.
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(StorageTolerantSessionsMiddleware(app.sessions.middleware))
    app.middleware.use(CSRFCookieMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(CurrentUserMiddleware())
    app.middleware.use(CSRFMiddleware())

    // Readable JSON: `dd/mm/yyyy` and paths stay as written, not `dd\/mm\/yyyy`.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(encoder: encoder, for: .jsonAPI)

    app.reportFiles = ReportFileCache(directory: (settings.dataDirectory as NSString).appendingPathComponent("reports"),
                                      converter: LibreOfficeConverter(timeout: settings.sofficeTimeout,
                                                                      concurrency: settings.sofficeConcurrency,
                                                                      executable: settings.sofficePath))
    // Outbox delivery, reminders and purges (issue #19); tests step ``JobRunner`` themselves.
    if settings.backgroundJobs { app.lifecycle.use(JobRunnerLifecycle()) }
    app.fluent.pagination.pageSizeLimit = 500
    // Form and JSON bodies up to 1 MB: the longest documented text (an explanation of 4.000
    // characters, each up to 6 bytes once JSON-escaped) fits many times over, while file
    // uploads and imports declare their own limits route by route.
    app.routes.defaultMaxBodySize = "1mb"
    try routes(app)
}

/// Registers every controller; each route goes through ``GuardedRoutes`` and is checked.
func routes(_ app: Application) throws {
    let web = GuardedRoutes(app.routes)
    let api = GuardedRoutes(app.routes.grouped("api", "v1"))
    HealthController().register(web)
    HomeController().register(web)
    AuthController().register(web: web, api: api)
    UnitsWebController().register(web)
    UnitsAPIController().register(api)
    UsersWebController().register(web)
    FrameworksWebController().register(web)
    FrameworksAPIController().register(api)
    CampaignsWebController().register(web)
    CampaignsAPIController().register(api)
    AppraisalWebController().register(web)
    AppraisalAPIController().register(api)
    ResultsWebController().register(web)
    ResultsAPIController().register(api)
    SurveysWebController().register(web)
    SurveysAPIController().register(api)
    StatisticsWebController().register(web)
    StatisticsAPIController().register(api)
    StatisticsExportsController().register(web: web, api: api)
    ReportsController().register(web: web, api: api)
    NotificationsController().register(web: web, api: api)
    UsersAPIController().register(api)
    AuditController().register(web: web, api: api)
    try OpenAPIController(resourcesDirectory: Resources.directory).register(api)
    try Authorize.verifyAllRoutesDeclared(app)
}

/// Where the bundled views, assets and API document live.
enum Resources {
    static let directory: String = {
        // `.copy("Resources")` puts the folder inside the bundle; where the bundle's own
        // resource path points differs between platforms, so ask for the folder by name.
        if let url = Bundle.module.url(forResource: "Resources", withExtension: nil) { return url.path + "/" }
        return Bundle.module.bundlePath + "/Resources/"
    }()
}
