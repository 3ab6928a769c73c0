import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The one place for checks on aggregates that belong to a unit: campaigns today; report
/// regimes, task lists and inspection plans reuse the owner-level functions. Issue #19:
/// campaign-level writes checked only that the user held the permission somewhere, so a
/// district's coordinator could publish a province's campaign. A right on an owned aggregate is
/// the permission granted on its owning unit (directly, through an ancestor assignment with
/// descendants, or installation-wide); refusals are 403 `auth.out_of_scope`, naming the owner.
enum CampaignAccess {
    /// Permissions that make a user staff of a campaign's owner (coordinators, appraisers,
    /// council, survey operators): they see every campaign their owner units run.
    static let staff: [Permission] = [.campaignsManage, .appraisalsRead, .resultsRead, .surveysRead]
}

extension ServiceContext {
    /// Whether the actor holds `permission` on an aggregate owned by `owner`.
    func holds(_ permission: Permission, onOwner owner: UUID) async throws -> Bool {
        guard let policy = try policy() else { return true }
        if policy.allowsEverywhere(permission) { return true }
        return policy.allows(permission, onOwner: owner, ancestors: try await UnitTree.ancestors(of: owner, on: db))
    }

    /// Refuses unless `permission` is held on `owner`; `what` names the aggregate
    /// (“Đợt đánh giá “…””).
    func requirePermission(_ permission: Permission, onOwner owner: UUID, what: String) async throws {
        guard try await holds(permission, onOwner: owner) else { throw try await outOfScope(what, owner: owner) }
    }

    /// Refuses unless `permission` is held on the campaign's owning unit.
    func requirePermission(_ permission: Permission, onCampaign c: CampaignModel) async throws {
        try await requirePermission(permission, onOwner: c.$ownerUnit.id, what: CampaignAccess.what(c))
    }

    func holds(_ permission: Permission, onCampaign c: CampaignModel) async throws -> Bool {
        try await holds(permission, onOwner: c.$ownerUnit.id)
    }

    /// Where the staff permissions are held (nil: installation-wide), for read filters.
    private func staffUnits() async throws -> Set<UUID>? {
        var all: Set<UUID> = []
        for p in CampaignAccess.staff {
            guard let units = try await unitsVisible(for: p) else { return nil }
            all.formUnion(units)
        }
        return all
    }

    /// Refuses a user who may not see an aggregate owned by `owner` that evaluates `units`:
    /// staff see by owner, unit staff by `unitPermission` on one of the units.
    func requireVisible(owner: UUID, units: [UUID], unitPermission: Permission = .assessmentsRead, what: String) async throws {
        guard Ownership.maySee(owner: owner, units: units, staffUnits: try await staffUnits(),
                               unitUnits: try await unitsVisible(for: unitPermission)) else {
            throw try await outOfScope(what, owner: owner)
        }
    }

    /// Refuses a user who may not see the campaign (see ``requireVisible(owner:units:unitPermission:what:)``).
    func requireVisible(_ c: CampaignModel, unitPermission: Permission = .assessmentsRead) async throws {
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == c.id!).all(\.$unit.$id)
        try await requireVisible(owner: c.$ownerUnit.id, units: units, unitPermission: unitPermission, what: CampaignAccess.what(c))
    }

    /// The campaigns among `campaigns` the user may see (the list pages and `GET /api/v1/campaigns`).
    func visibleCampaigns(_ campaigns: [CampaignModel], unitPermission: Permission = .assessmentsRead) async throws -> [CampaignModel] {
        let staff = try await staffUnits(), unit = try await unitsVisible(for: unitPermission)
        guard let staff, let unit else { return campaigns }
        let ids = campaigns.compactMap(\.id)
        let rows = ids.isEmpty ? [] : try await AssessmentModel.query(on: db).filter(\.$campaign.$id ~~ ids).all()
        let unitsOf = Dictionary(grouping: rows, by: { $0.$campaign.id }).mapValues { $0.map { $0.$unit.id } }
        return campaigns.filter {
            Ownership.maySee(owner: $0.$ownerUnit.id, units: unitsOf[$0.id!] ?? [], staffUnits: staff, unitUnits: unit)
        }
    }

    /// Live results (`results.read`): everything for a holder on the owner; otherwise the rows
    /// of the units the reader holds it on (``visibleResults(_:_:)``), and a refusal when the
    /// reader holds it on no unit of the campaign (a coordinator of another province).
    /// Checked before `compute` runs.
    func campaignResults(of c: CampaignModel, _ compute: () async throws -> PublishedResults) async throws -> PublishedResults {
        if try await holds(.resultsRead, onCampaign: c) { return try await compute() }
        try await requireVisible(c, unitPermission: .resultsRead)
        return try await visibleResults(try await compute())
    }

    private func outOfScope(_ what: String, owner: UUID) async throws -> AppError {
        let unit = try await UnitModel.find(owner, on: db)
        let name = unit.map { "\($0.name) (\($0.code))" } ?? "một đơn vị khác"
        return .outOfScope("\(what) do \(name) chủ trì, nằm ngoài phạm vi được phân công của bạn.")
    }
}

extension CampaignAccess {
    static func what(_ c: CampaignModel) -> String { "Đợt đánh giá “\(c.name)”" }
}

extension CampaignAccess {
    /// Whether another user's `policy` (an appraiser being assigned) holds `permission` in the
    /// campaign: on its owner, or on one of the units it evaluates.
    static func holds(_ policy: AccessPolicy, _ permission: Permission, inCampaign c: CampaignModel,
                      on db: any Database) async throws -> Bool {
        if policy.allowsEverywhere(permission) { return true }
        guard policy.allowsSomewhere(permission) else { return false }
        if policy.allows(permission, onOwner: c.$ownerUnit.id, ancestors: try await UnitTree.ancestors(of: c.$ownerUnit.id, on: db)) {
            return true
        }
        for unit in try await AssessmentModel.query(on: db).filter(\.$campaign.$id == c.id!).all(\.$unit.$id) {
            if policy.allows(permission, on: unit, ancestors: try await UnitTree.ancestors(of: unit, on: db)) { return true }
        }
        return false
    }
}
