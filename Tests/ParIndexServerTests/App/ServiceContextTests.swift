import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
@testable import ParIndexServer

/// The one service shape (issue #19, item 8): who acts decides what the scope checks allow, the
/// audit line names that actor with the context's clock, and a transaction keeps all of it.
@Suite struct ServiceContextTests {
    private func unit(_ code: String, on db: any Database) async throws -> UUID {
        let u = UnitModel()
        u.apply(UnitRules.Draft(code: code, name: "Đơn vị \(code)", shortName: code, kind: .department), parentID: nil)
        try await u.create(on: db)
        return u.id!
    }

    private func user(_ role: Role, on unit: UUID?) -> CurrentUser {
        let scope: RoleScope = unit.map { .unit($0, includeDescendants: false) } ?? .installation
        return CurrentUser(id: UUID(), username: "u", fullName: "U", mustChangePassword: false,
                           policy: AccessPolicy(assignments: [RoleAssignment(role: role, scope: scope)]), viaToken: false)
    }

    @Test func theSystemHoldsEveryRightAnonymousNoneAUserTheirScope() async throws {
        try await withTestApp { app in
            let mine = try await unit("A", on: app.db), other = try await unit("B", on: app.db)
            let system = ServiceContext.system(app)
            #expect(try await system.holds(.campaignsManage, onOwner: other))
            #expect(try await system.unitsVisible(for: .assessmentsRead) == nil)

            let anonymous = ServiceContext(db: app.db, principal: .anonymous, requestID: nil, clock: app.clock, application: app)
            await #expect(throws: AppError.self) { try await anonymous.holds(.resultsRead, onOwner: mine) }

            let coordinator = ServiceContext(db: app.db, principal: .user(user(.coordinator, on: mine)), requestID: "r-1",
                                             clock: app.clock, application: app)
            #expect(try await coordinator.holds(.campaignsManage, onOwner: mine))
            #expect(try await !coordinator.holds(.campaignsManage, onOwner: other))
            #expect(try await coordinator.unitsVisible(for: .campaignsManage) == [mine])
            await #expect(throws: AppError.self) { try await coordinator.requirePermission(.campaignsManage, onUnit: other) }
        }
    }

    @Test func theAuditLineNamesTheActorTheRequestAndTheContextsTime() async throws {
        try await withTestApp { app in
            let fixed = Date(timeIntervalSince1970: 1_700_000_000)
            let u = user(.admin, on: nil)
            let context = ServiceContext(db: app.db, principal: .user(u), requestID: "req-42", clock: Clock { fixed }, application: app)
            try await app.db.writeTransaction { db in
                try await context.on(db).audit(on: db, "test.write", entity: "thing", entityID: "1", reason: "vì sao")
            }
            let line = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "test.write").first())
            #expect(line.actorID == u.id)
            #expect(line.actorName == "u")
            #expect(line.requestID == "req-42")
            #expect(line.at == fixed)
        }
    }
}
