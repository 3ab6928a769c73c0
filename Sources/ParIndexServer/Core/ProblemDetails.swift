import ParIndexCore
import Vapor

/// RFC 9457 problem details, extended with a stable `code`, per-field `errors`, per-row
/// import `rows` and per-problem `frameworkErrors` (line and node code) of a framework file, so API clients can act on the machine code and show the Vietnamese text.
struct ProblemDetails: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var instance: String?
    var requestId: String?
    var errors: [AppError.FieldProblem]?
    var rows: [ImportRowError]?
    /// Every error found, when `rows` lists only the first ``ImportErrors/listLimit`` (issue #20).
    var rowsTotal: Int?
    var frameworkErrors: [FrameworkProblem]?

    init(error: any Error, request: Request) {
        let status: HTTPResponseStatus
        switch error {
        case let e as AppError:
            status = e.status
            code = e.code
            detail = e.messageVI
            if case let .validation(f) = e { errors = f }
            if case let .importFailed(r) = e { rows = ImportErrors(rows: r).listed; rowsTotal = r.count }
            if case let .frameworkInvalid(p) = e { frameworkErrors = p }
        case let e as ImportErrors:
            status = .unprocessableEntity
            code = e.code
            detail = e.messageVI
            rows = e.listed
            rowsTotal = e.rows.count
        case let e as FrameworkValidationError:
            status = .unprocessableEntity
            code = e.code
            detail = AppError.frameworkInvalid(FrameworkProblem.list(e)).messageVI
            frameworkErrors = FrameworkProblem.list(e)
        case let e where StorageFault(e) != nil:
            // Ours, or a driver's or the file system's error that is one (read-only, full, unreachable).
            let fault = StorageFault(e)!
            status = .serviceUnavailable
            code = fault.code
            detail = fault.messageVI
        case let e as any DomainError:
            status = Self.status(for: e)
            code = e.code
            detail = e.messageVI
        case is DecodingError:
            // Before AbortError, which Vapor makes DecodingError conform to. The same answer as ``Request/decodeBody(_:)``: one code for a body that cannot be read.
            let e = AppError.bodyInvalid(Request.describe(error))
            status = e.status
            code = e.code
            detail = e.messageVI
        case let e as any AbortError:
            status = e.status
            code = "http.\(e.status.code)"
            detail = Self.vietnamese(for: e.status) ?? e.reason
        default:
            status = .internalServerError
            code = "internal"
            detail = "Đã xảy ra lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị (mã yêu cầu ở cuối trang)."
        }
        self.status = Int(status.code)
        self.title = status.reasonPhrase
        self.type = "https://parindex.vn/problems/\(code)"
        self.instance = request.url.path
        self.requestId = request.headers.first(name: .xRequestId)
    }

    /// Domain errors are unprocessable input, except those about the state of the work:
    /// a passed deadline, a locked or already-moved assessment answer 409 Conflict.
    static func status(for e: any DomainError) -> HTTPResponseStatus {
        switch e {
        case is UploadTooLarge: return .payloadTooLarge
        case let c as PDFConverter.ConversionError: return HTTPResponseStatus(statusCode: c.status)
        case is ScheduleError: return .conflict
        case is PublicationError: return .conflict
        case let s as StatisticsError:
            // The state of the work (a lock, the approval chain, unexplained errors): 409, like assessments.
            switch s {
            case .transitionNotAllowed, .locked, .unexplainedViolations, .childrenNotApproved: return .conflict
            default: return .unprocessableEntity
            }
        case let w as AssessmentWorkflowError:
            if case .incomplete = w { return .unprocessableEntity }
            return .conflict
        case let a as AppraisalError:
            switch a {
            case .notAssigned: return .forbidden
            case .notSubmitted, .explanationNotRequested: return .conflict
            case .reasonRequired: return .unprocessableEntity
            }
        default: return .unprocessableEntity
        }
    }

    static func vietnamese(for status: HTTPResponseStatus) -> String? {
        switch status {
        case .notFound: "Không tìm thấy trang hoặc tài nguyên yêu cầu."
        case .methodNotAllowed: "Phương thức không được hỗ trợ."
        case .payloadTooLarge: "Tệp gửi lên quá lớn."
        case .unsupportedMediaType: "Định dạng dữ liệu gửi lên không được hỗ trợ."
        case .badRequest: "Yêu cầu không hợp lệ."
        // Vapor answers 422 for a path parameter that is not of its type (an id that is not a UUID).
        case .unprocessableEntity: "Tham số trong địa chỉ hoặc dữ liệu gửi lên không hợp lệ."
        case .unauthorized: "Vui lòng đăng nhập để tiếp tục."
        case .forbidden: "Bạn không có quyền truy cập chức năng hoặc dữ liệu này."
        case .uriTooLong: "Địa chỉ yêu cầu quá dài."
        case .requestHeaderFieldsTooLarge: "Phần đầu của yêu cầu quá lớn."
        case .serviceUnavailable: "Hệ thống tạm thời không phục vụ được. Vui lòng thử lại sau."
        default: nil
        }
    }
}

extension HTTPHeaders.Name {
    static let xRequestId = HTTPHeaders.Name("X-Request-Id")
}
