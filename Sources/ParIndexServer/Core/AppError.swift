import ParIndexCore
import Vapor

/// The server's one error type: each case has a stable machine code, a Vietnamese message
/// and an HTTP status. ``ProblemMiddleware`` turns it (and every ``DomainError``) into RFC 9457
/// problem details for the API and a Vietnamese error page for the browser.
public enum AppError: DomainError, AbortError {
    case notAuthenticated
    case sessionExpired
    case forbidden
    case csrfFailed
    case notFound(entity: String)
    case invalidCredentials
    case tooManyLoginAttempts(minutes: Int)
    case accountInactive
    case invalidToken
    /// Issue #20: a temporary password must be changed before anything else is allowed.
    case passwordChangeRequired
    case validation([FieldProblem])
    case conflict(String)
    case badRequest(String)
    case importFailed([ImportRowError])
    /// An uploaded criteria framework with every problem found in it; nothing was stored.
    case frameworkInvalid([FrameworkProblem])
    /// A request body that is present but cannot be read (issue #20: it used to be taken as
    /// "no body", and an entry save without a body cleared the score).
    case bodyInvalid(String)
    /// A unit-scoped user acting on a unit outside their scope, with what and where.
    case outOfScope(String)
    /// The unit has already explained this criterion: it may explain once (README, appraisal cycle).
    case alreadyExplained(leaf: String)
    /// Issue #19: a versioned write that names no version (body `version` or `If-Match`);
    /// it used to overwrite whatever was there.
    case versionRequired(entity: String)
    /// Issue #19: the version the client saw is no longer the current one; nothing was written.
    case staleVersion(String)
    /// Issue #19: the campaign's results are published; its data is read-only until a
    /// correction is opened (the message says what and how).
    case publishedReadOnly(String)
    /// Issue #19: a publication whose confirmation is missing or no longer matches what would go out.
    case publicationNotConfirmed(String)

    public struct FieldProblem: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public var code: String {
        switch self {
        case .notAuthenticated: "auth.required"
        case .sessionExpired: "auth.session_expired"
        case .forbidden: "auth.forbidden"
        case .csrfFailed: "auth.csrf"
        case .notFound: "not_found"
        case .invalidCredentials: "auth.invalid_credentials"
        case .tooManyLoginAttempts: "auth.throttled"
        case .accountInactive: "auth.inactive"
        case .invalidToken: "auth.invalid_token"
        case .passwordChangeRequired: "auth.password_change_required"
        case .validation: "validation"
        case .conflict: "conflict"
        case .badRequest: "bad_request"
        case .importFailed: "import.invalid_rows"
        case .frameworkInvalid: "framework.invalid"
        case .bodyInvalid: "request.body_invalid"
        case .outOfScope: "auth.out_of_scope"
        case .alreadyExplained: "appraisal.already_explained"
        case .versionRequired: "version.required"
        case .staleVersion: "version.stale"
        case .publishedReadOnly: "campaign.published"
        case .publicationNotConfirmed: "results.confirmation_required"
        }
    }

    public var messageVI: String {
        switch self {
        case .notAuthenticated: "Vui lòng đăng nhập để tiếp tục."
        case .sessionExpired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
        case .forbidden: "Bạn không có quyền truy cập chức năng hoặc dữ liệu này."
        case .csrfFailed: "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã xác thực CSRF). Vui lòng tải lại trang và thử lại."
        case let .notFound(entity): "Không tìm thấy \(entity)."
        case .invalidCredentials: "Tên đăng nhập hoặc mật khẩu không đúng."
        case let .tooManyLoginAttempts(m): "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(m) phút."
        case .accountInactive: "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị hệ thống."
        case .invalidToken: "Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
        case .passwordChangeRequired: "Bạn phải đổi mật khẩu tạm thời trước khi sử dụng hệ thống (POST /api/v1/me/password)."
        case .validation: "Dữ liệu nhập chưa hợp lệ. Vui lòng kiểm tra các trường được đánh dấu."
        case let .conflict(m): m
        case let .badRequest(m): m
        case let .importFailed(rows): ImportErrors(rows: rows).messageVI
        case let .frameworkInvalid(problems):
            "Bộ chỉ số có \(problems.count) lỗi; chưa có gì được lưu. Vui lòng sửa tệp theo danh sách lỗi và tải lên lại."
        case let .bodyInvalid(m): m
        case let .outOfScope(m): m
        case let .alreadyExplained(leaf):
            "Đơn vị đã gửi giải trình cho tiêu chí \(leaf); mỗi tiêu chí chỉ được giải trình một lần trong thời gian giải trình."
        case let .versionRequired(entity):
            "Thiếu phiên bản của \(entity) mà bạn đang sửa (trường “version” hoặc tiêu đề If-Match); chưa có gì được ghi. Tải lại dữ liệu rồi gửi kèm phiên bản."
        case let .staleVersion(m): m
        case let .publishedReadOnly(m): m
        case let .publicationNotConfirmed(m): m
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .notAuthenticated, .sessionExpired, .invalidCredentials, .invalidToken: .unauthorized
        case .forbidden, .csrfFailed, .accountInactive, .outOfScope, .passwordChangeRequired: .forbidden
        case .notFound: .notFound
        case .tooManyLoginAttempts: .tooManyRequests
        case .validation, .importFailed, .frameworkInvalid: .unprocessableEntity
        case .conflict, .alreadyExplained, .staleVersion, .publishedReadOnly, .publicationNotConfirmed: .conflict
        case .versionRequired: .preconditionRequired
        case .badRequest, .bodyInvalid: .badRequest
        }
    }

    public var reason: String { messageVI }
}
