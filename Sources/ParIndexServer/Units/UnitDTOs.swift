import Foundation
import ParIndexCore
import Vapor

/// A unit as the API and the views speak it.
struct UnitDTO: Content, Equatable {
    var id: UUID
    var code: String
    var name: String
    var shortName: String
    var kind: String
    var kindLabel: String
    var parentId: UUID?
    var parentCode: String?
    var active: Bool

    init(_ m: UnitModel, parentCode: String? = nil) {
        id = m.id!
        code = m.code
        name = m.name
        shortName = m.shortName
        kind = m.kind
        kindLabel = m.unitKind.labelVI
        parentId = m.$parent.id
        self.parentCode = parentCode
        active = m.active
    }
}

/// What a client sends to create or change a unit. `kind` takes the English code or the
/// Vietnamese name; `parentCode` names the parent by its code.
struct UnitInput: Content {
    var code: String?
    var name: String?
    var shortName: String?
    var kind: String?
    var parentCode: String?
    var active: Bool?
    /// Why the change is made (kept in the audit trail).
    var reason: String?

    func draft(defaults: UnitModel? = nil, parentCode defaultParent: String? = nil) -> UnitRules.Draft {
        let kindText = kind ?? defaults?.kind ?? ""
        return UnitRules.Draft(code: code ?? defaults?.code ?? "", name: name ?? defaults?.name ?? "",
                               shortName: shortName ?? defaults?.shortName ?? "",
                               kind: UnitKind(loose: kindText), kindText: kindText,
                               parentCode: parentCode ?? defaultParent,
                               active: active ?? defaults?.active ?? true)
    }
}

/// Filters shared by the list page and `GET /api/v1/units`.
struct UnitFilter: Content {
    /// Accent- and case-insensitive words matched against code, name and short name.
    var q: String?
    var kind: String?
    var parentCode: String?
    /// `true`, `false` or absent (all).
    var active: Bool?
}

struct ImportSummary: Content {
    var dryRun: Bool
    var created: Int
    var updated: Int
    var rows: Int
}
