import ParIndexCore
import Vapor

/// Field → Vietnamese message, for re-rendering a form with each error beside its field.
struct FormErrors: Encodable, Sendable {
    var fields: [String: String] = [:]
    var summary: String?
    /// Every message, for a list at the top of long forms (several errors may share a field).
    var list: [String] = []
    /// What the user typed (field name → text), shown again in the re-rendered form so that an
    /// error never loses a keystroke (issue #19); never the CSRF token or a password.
    var values: [String: String] = [:]
    /// Which form of the page was posted (its hidden `_form`), where a page has several with
    /// the same field names: its values and field errors go back to that form only.
    var form: String?

    init() {}

    /// `error` beside the fields, and the values the user typed.
    init(_ error: any Error, typed values: [String: String]) {
        self.init(error)
        self.values = values.filter { k, _ in k != "_csrf" && !k.lowercased().contains("password") }
        self.form = values["_form"]
    }

    /// `error` beside the fields, and the values of the URL-encoded form the request posted
    /// (a multipart upload names its text fields with ``init(_:typed:)``: its file is no text).
    init(_ error: any Error, typedIn req: Request) {
        let posted = req.headers.contentType == .urlEncodedForm ? try? req.content.decode([String: String].self) : nil
        self.init(error, typed: posted ?? [:])
    }

    init(_ error: any Error) {
        if case let AppError.validation(problems) = error {
            for p in problems where fields[p.field] == nil { fields[p.field] = p.message }
            list = problems.map(\.message)
            summary = AppError.validation(problems).messageVI
        } else if case let AppError.importFailed(rows) = error {
            summary = AppError.importFailed(rows).messageVI
            list = ImportErrors(rows: rows).listed.map(\.displayVI)
        } else if let e = error as? AppError {
            summary = e.messageVI
        } else if let e = error as? any DomainError {
            summary = e.messageVI
        } else {
            summary = "Không lưu được: \(error.localizedDescription)"
        }
    }

    /// Whether `error` is something the user can fix by editing the form.
    static func isUserError(_ error: any Error) -> Bool {
        guard let e = error as? AppError else { return false }
        switch e {
        case .validation, .conflict, .badRequest, .importFailed, .frameworkInvalid: return true
        // Issue #19: a stale version or a published campaign is answered on the form itself
        // (reload and redo, or nothing to do), not with an error page that loses the input.
        case .staleVersion, .publishedReadOnly, .versionRequired: return true
        default: return false
        }
    }

    /// Whether a web handler should re-render its form with `error` beside the fields (the
    /// user can fix it) rather than show an error page: input problems, conflicts, and the
    /// domain's refusals (a closed window, a workflow step out of order).
    static func isFixable(_ error: any Error) -> Bool {
        if let e = error as? AppError { return isUserError(e) || e.code == AppError.alreadyExplained(leaf: "").code }
        return error is any DomainError
    }

    /// The status a re-rendered form answers with.
    static func status(for error: any Error) -> HTTPStatus {
        if let e = error as? AppError { return e.status }
        if let e = error as? any DomainError { return ProblemDetails.status(for: e) }
        return .unprocessableEntity
    }
}
