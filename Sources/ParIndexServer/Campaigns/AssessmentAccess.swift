import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Unit scoping for assessments: a reporter or head sees their own unit only; coordinators,
/// appraisers and council see every unit (nobody sees another unit's scores before
/// publication except coordinator, appraisers and council: seed 004 section I.4.2, the
/// secretariat appraises and the council aggregates before the results are announced).
enum AssessmentAccess {
    /// Loads an assessment and checks `permission` on its unit.
    static func load(_ req: Request, _ id: UUID, _ permission: Permission) async throws -> AssessmentModel {
        guard let a = try await AssessmentModel.query(on: req.db).filter(\.$id == id).with(\.$unit)
            .with(\.$campaign, { $0.with(\.$framework) }).first() else {
            throw AppError.notFound(entity: "bản tự đánh giá")
        }
        try await req.context.requirePermission(permission, onUnit: a.$unit.id)
        return a
    }
}
