import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Unit scoping for assessments: a reporter or head sees their own unit only; coordinators,
/// appraisers and council see every unit (PRODUCT.md: nobody sees another unit's scores
/// before publication except coordinator, appraisers and council).
enum AssessmentAccess {
    /// Loads an assessment and checks `permission` on its unit.
    static func load(_ req: Request, _ id: UUID, _ permission: Permission) async throws -> AssessmentModel {
        guard let a = try await AssessmentModel.query(on: req.db).filter(\.$id == id).with(\.$unit)
            .with(\.$campaign, { $0.with(\.$framework) }).first() else {
            throw AppError.notFound(entity: "bản tự đánh giá")
        }
        try await req.requirePermission(permission, onUnit: a.$unit.id)
        return a
    }
}
