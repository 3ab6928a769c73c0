/// Field rules for organisation units, shared by forms, the API and CSV import so that a
/// unit is valid in exactly one sense everywhere.
public enum UnitRules {
    public static let codeMaxLength = 32
    public static let nameMaxLength = 255
    public static let shortNameMaxLength = 100

    public struct Draft: Sendable, Equatable {
        public var code: String
        public var name: String
        public var shortName: String
        public var kind: UnitKind?
        public var kindText: String
        public var parentCode: String?
        public var active: Bool

        public init(code: String, name: String, shortName: String = "", kind: UnitKind?, kindText: String = "",
                    parentCode: String? = nil, active: Bool = true) {
            // NFC here, so what is validated is exactly what is stored (issue #20).
            self.code = TextRules.normalise(code)
            self.name = TextRules.normalise(name)
            self.shortName = TextRules.normalise(shortName)
            self.kind = kind
            self.kindText = kindText
            let p = parentCode.map(TextRules.normalise)
            self.parentCode = (p?.isEmpty ?? true) ? nil : p
            self.active = active
        }
    }

    /// A problem with one field, in Vietnamese, for display beside the field.
    public struct FieldError: Sendable, Equatable, Hashable {
        public var field: String
        public var messageVI: String
        public init(field: String, messageVI: String) {
            self.field = field
            self.messageVI = messageVI
        }
    }

    /// Checks one unit's own fields (not its relations to other units).
    public static func validate(_ d: Draft) -> [FieldError] {
        var errors: [FieldError] = []
        if let m = TextRules.check(d.code, .code, fieldVI: "Mã đơn vị", maxLength: codeMaxLength).messageVI {
            errors.append(.init(field: "code", messageVI: m))
        } else if !d.code.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }) {
            errors.append(.init(field: "code", messageVI: "Mã đơn vị chỉ gồm chữ không dấu, chữ số và các dấu - _ ."))
        }
        if let m = TextRules.check(d.name, .name, fieldVI: "Tên đơn vị", maxLength: nameMaxLength).messageVI {
            errors.append(.init(field: "name", messageVI: m))
        }
        if let m = TextRules.check(d.shortName, .name, fieldVI: "Tên viết tắt", maxLength: shortNameMaxLength,
                                   required: false).messageVI {
            errors.append(.init(field: "shortName", messageVI: m))
        }
        if d.kind == nil {
            let shown = d.kindText.isEmpty ? "" : " “\(d.kindText)”"
            errors.append(.init(field: "kind", messageVI: "Loại đơn vị\(shown) không hợp lệ (Bộ, Tỉnh, Sở, Huyện hoặc Xã)."))
        }
        if d.parentCode != nil, d.parentCode == d.code {
            errors.append(.init(field: "parentCode", messageVI: "Đơn vị không thể là cấp trên của chính nó."))
        }
        return errors
    }

    /// Checks the kind of a unit against the kind of its parent (nil: no parent).
    public static func validateParent(kind: UnitKind, parentKind: UnitKind?) -> FieldError? {
        guard let parentKind else {
            return kind.canBeRoot ? nil
                : .init(field: "parentCode", messageVI: "\(kind.labelVI) phải có đơn vị cấp trên.")
        }
        guard kind.allowedParentKinds.contains(parentKind) else {
            return .init(field: "parentCode",
                         messageVI: "\(kind.labelVI) không thể trực thuộc \(parentKind.labelVI.lowercased()).")
        }
        return nil
    }
}

import Foundation
