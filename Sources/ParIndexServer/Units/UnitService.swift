import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Unit writes and queries, shared by the web pages, the JSON API and the CLI so that the
/// same rules and the same audit lines apply whichever door a change comes through.
struct UnitService: ContextService {
    let context: ServiceContext

    // MARK: Queries

    func list(_ filter: UnitFilter, restrictTo allowed: Set<UUID>?, page: PageRequest) async throws -> Page<UnitDTO> {
        var query = UnitModel.query(on: db)
        for word in VietnameseText.fold(filter.q ?? "").split(separator: " ") {
            query = query.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word))
        }
        if let k = filter.kind.flatMap(UnitKind.init(loose:)) { query = query.filter(\.$kind == k.rawValue) }
        if let active = filter.active { query = query.filter(\.$active == active) }
        if let pc = filter.parentCode, !pc.isEmpty {
            let parent = try await UnitModel.query(on: db).filter(\.$code == pc).first()
            query = query.filter(\.$parent.$id == parent?.id ?? UUID())
        }
        if let allowed { query = query.filter(\.$id ~~ Array(allowed)) }
        let result = try await query.sort(\.$sortKey).sort(\.$code).paginate(page)
        let parentIDs = Set(result.items.compactMap { $0.$parent.id })
        let parents = try await parentCodes(parentIDs)
        return Page(items: result.items.map { UnitDTO($0, parentCode: $0.$parent.id.flatMap { parents[$0] }) },
                    metadata: result.metadata)
    }

    func find(_ id: UUID) async throws -> UnitModel {
        guard let unit = try await UnitModel.find(id, on: db) else { throw AppError.notFound(entity: "đơn vị") }
        return unit
    }

    func dto(_ unit: UnitModel) async throws -> UnitDTO {
        let codes = try await parentCodes(Set([unit.$parent.id].compactMap { $0 }))
        return UnitDTO(unit, parentCode: unit.$parent.id.flatMap { codes[$0] })
    }

    private func parentCodes(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await UnitModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id!, $0.code) })
    }

    // MARK: Writes

    func create(_ draft: UnitRules.Draft, reason: String? = nil) async throws -> UnitModel {
        let reason = try Self.checked(reason)
        return try await db.writeTransaction { db in
            let svc = UnitService(context: context.on(db))
            let parentID = try await svc.validate(draft, existing: nil)
            let unit = UnitModel()
            unit.apply(draft, parentID: parentID)
            try await unit.create(on: db)
            try await svc.audit("unit.create", unit, before: nil, after: try await svc.dto(unit), reason: reason)
            return unit
        }
    }

    func update(_ id: UUID, _ draft: UnitRules.Draft, reason: String?) async throws -> UnitModel {
        let reason = try Self.checked(reason)
        return try await db.writeTransaction { db in
            let svc = UnitService(context: context.on(db))
            let unit = try await svc.find(id)
            let before = try await svc.dto(unit)
            let parentID = try await svc.validate(draft, existing: unit)
            unit.apply(draft, parentID: parentID)
            try await unit.save(on: db)
            try await svc.audit("unit.update", unit, before: before, after: try await svc.dto(unit), reason: reason)
            return unit
        }
    }

    func setActive(_ id: UUID, _ active: Bool, reason: String?) async throws -> UnitModel {
        let reason = try Self.checked(reason)
        return try await db.writeTransaction { db in
            let svc = UnitService(context: context.on(db))
            let unit = try await svc.find(id)
            let before = try await svc.dto(unit)
            unit.active = active
            try await unit.save(on: db)
            try await svc.audit(active ? "unit.activate" : "unit.deactivate", unit, before: before,
                                after: try await svc.dto(unit), reason: reason)
            return unit
        }
    }

    /// Validates a draft against the stored hierarchy; returns the parent's id.
    private func validate(_ draft: UnitRules.Draft, existing: UnitModel?) async throws -> UUID? {
        var problems = UnitRules.validate(draft).map { AppError.FieldProblem(field: $0.field, message: $0.messageVI) }
        if let clash = try await UnitModel.query(on: db).filter(\.$code == draft.code).first(), clash.id != existing?.id {
            problems.append(.init(field: "code", message: "Mã “\(draft.code)” đã được dùng cho “\(clash.name)”."))
        }
        var parent: UnitModel?
        if let pc = draft.parentCode {
            parent = try await UnitModel.query(on: db).filter(\.$code == pc).first()
            if parent == nil {
                problems.append(.init(field: "parentCode", message: "Không tìm thấy đơn vị cấp trên có mã “\(pc)”."))
            } else if let existing, let pid = parent?.id, try await UnitTree.wouldCreateCycle(unit: existing.id!, parent: pid, on: db) {
                problems.append(.init(field: "parentCode", message: "Không thể chọn đơn vị cấp dưới của chính nó làm cấp trên (tạo vòng lặp)."))
            }
        }
        if let kind = draft.kind, draft.parentCode == nil || parent != nil,
           let e = UnitRules.validateParent(kind: kind, parentKind: parent?.unitKind) {
            problems.append(.init(field: e.field, message: e.messageVI))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        return parent?.id
    }

    /// A change's reason, refused when it holds control characters or is too long (issue #20).
    static func checked(_ reason: String?) throws -> String? {
        try reason.map { try TextRules.validated($0, .multiline, field: "reason", fieldVI: "Lý do", maxLength: TextRules.reasonMaxLength) }
    }

    private func audit(_ action: String, _ unit: UnitModel, before: UnitDTO?, after: UnitDTO?, reason: String?) async throws {
        try await context.audit(on: db, action, entity: "unit", entityID: unit.code, unitID: unit.id,
                                before: before, after: after, reason: reason)
    }
}
