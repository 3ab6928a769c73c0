import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Unit scope for results, score sheets, the draft annual report and publication. Issue #20:
/// an appraiser scoped to one department read every unit's live results and score sheets and
/// the draft annual report. A scoped user now sees their units only, and is refused where a
/// document covers the whole campaign (the draft report, a publication) unless the permission
/// is held on every unit of it (installation-wide, or on an ancestor of all of them).
extension ServiceContext {
    /// `results` narrowed to the units on which the user holds `permission` (ranks stay the
    /// campaign's: a unit's place among all units is part of its own result).
    func visibleResults(_ results: PublishedResults, _ permission: Permission = .resultsRead) async throws -> PublishedResults {
        guard let visible = try await unitsVisible(for: permission) else { return results }
        var r = results
        r.units = r.units.filter { visible.contains($0.unitId) }
        r.sheets = r.sheets?.filter { visible.contains($0.unitId) }
        return r
    }

    /// Refuses (403 `auth.out_of_scope`) unless `permission` covers every unit taking part in
    /// the campaigns; `what` names the document or action in the message.
    func requirePermission(_ permission: Permission, onEveryUnitOf campaignIDs: [UUID], what: String) async throws {
        guard let visible = try await unitsVisible(for: permission), !campaignIDs.isEmpty else { return }
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id ~~ campaignIDs).with(\.$unit).all().map(\.unit)
        let outside = units.filter { !visible.contains($0.id!) }
        guard outside.isEmpty else {
            let names = outside.sortedVietnamese(by: { $0.name }).prefix(3).map(\.name).joined(separator: ", ")
            throw AppError.outOfScope("\(what) gồm cả các đơn vị ngoài phạm vi được phân công của bạn (\(names)\(outside.count > 3 ? "…" : "")); "
                                      + "chỉ người được phân công trên toàn bộ các đơn vị của đợt đánh giá mới thực hiện được.")
        }
    }

    /// Refuses a unit outside the user's scope for `permission`, naming it.
    func requirePermission(_ permission: Permission, onUnitCode code: String) async throws {
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == code).first() else { return }
        do { try await requirePermission(permission, onUnit: unit.id!) } catch AppError.forbidden {
            throw AppError.outOfScope("Đơn vị \(unit.name) (\(unit.code)) nằm ngoài phạm vi được phân công của bạn.")
        }
    }
}
