import Fluent
import Vapor

/// The query parameters every list and download shares, checked the way the API document
/// declares them (`page` ≥ 1, `per` 1–500, `format` one of a list): a wrong value is a 400 that
/// says which parameter and what it takes, never silently replaced (issue 20).
extension Request {
    static let maxPageSize = 500

    /// `page` (from 1, default 1) and `per` (1–500, default `defaultPer`).
    func pageRequest(defaultPer: Int = 10) throws -> PageRequest {
        let page = try integerParameter("page", in: 1 ... Int(Int32.max), default: 1)
        let per = try integerParameter("per", in: 1 ... Self.maxPageSize, default: defaultPer)
        return PageRequest(page: page, per: per)
    }

    /// `format`, one of `allowed`; `nil` when absent and there is no default.
    func formatParameter(_ allowed: [String], default fallback: String? = nil) throws -> String? {
        guard let raw = query[String.self, at: "format"] else { return fallback }
        guard allowed.contains(raw) else {
            throw AppError.validation([.init(field: "format",
                                             message: "Định dạng “\(raw.prefix(40))” không hỗ trợ; chọn \(allowed.joined(separator: ", ")).")])
        }
        return raw
    }

    private func integerParameter(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let raw = query[String.self, at: name] else { return fallback }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            let bounds = range.upperBound == Int(Int32.max) ? "từ \(range.lowerBound) trở lên" : "từ \(range.lowerBound) đến \(range.upperBound)"
            throw AppError.validation([.init(field: name, message: "Tham số “\(name)” phải là số nguyên \(bounds).")])
        }
        return value
    }
}
