import ParIndexCore

extension TextRules {
    /// ``TextRules/check(_:_:fieldVI:maxLength:required:)`` for a service that refuses a single
    /// field at once: the cleaned (NFC, trimmed) text, or a 422 naming `field`. Free text is
    /// optional by default so callers keep their own, more specific "write a reason" message.
    static func validated(_ raw: String, _ kind: Kind, field: String, fieldVI: String, maxLength: Int,
                          required: Bool = false) throws -> String {
        let checked = check(raw, kind, fieldVI: fieldVI, maxLength: maxLength, required: required)
        if let message = checked.messageVI { throw AppError.validation([.init(field: field, message: message)]) }
        return checked.value
    }

    /// Longest reason, note or comment accepted (Unicode scalars): a page of text.
    static let reasonMaxLength = 2000
}
