import Foundation

/// One problem in an XLSForm, located the way a spreadsheet user looks for it:
/// sheet, row (1 = header row; 0 = the form as a whole) and column.
public struct XLSFormIssue: Sendable, Hashable, Codable {
    public var sheet: String
    public var row: Int
    public var field: String?
    public var messageVI: String

    public init(sheet: String, row: Int, field: String? = nil, messageVI: String) {
        self.sheet = sheet
        self.row = row
        self.field = field
        self.messageVI = messageVI
    }

    /// `Trang “survey”, dòng 4, cột “name”: …`
    public var displayVI: String {
        "Trang “\(sheet)”" + (row > 0 ? ", dòng \(row)" : "") + (field.map { ", cột “\($0)”" } ?? "") + ": " + messageVI
    }
}

/// Why an XLSForm could not be read; lists every problem found.
public struct XLSFormError: DomainError, Hashable {
    public var issues: [XLSFormIssue]

    public init(issues: [XLSFormIssue]) { self.issues = issues }

    public var code: String { "survey.invalid_xlsform" }
    public var messageVI: String {
        "Tệp XLSForm không hợp lệ (\(issues.count) lỗi): " + issues.map(\.displayVI).joined(separator: " ")
    }
}
