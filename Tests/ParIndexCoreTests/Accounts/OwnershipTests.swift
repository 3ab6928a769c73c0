import Foundation
import Testing
@testable import ParIndexCore

/// Issue #19, item 4: campaigns (and later aggregates) belong to a unit; rights on them come
/// from roles scoped to that unit or above.
@Suite struct OwnershipTests {
    // Province A: a → department, district → commune. Province B: b → bDepartment.
    let a = UUID(), department = UUID(), district = UUID(), commune = UUID()
    let b = UUID(), bDepartment = UUID()

    @Test func theCommonRootIsTheLowestUnitAboveEveryUnit() {
        #expect(Ownership.commonRoot(of: [[department, a], [district, a]]) == a)
        #expect(Ownership.commonRoot(of: [[commune, district, a]]) == commune)
        #expect(Ownership.commonRoot(of: [[commune, district, a], [district, a]]) == district)
        #expect(Ownership.commonRoot(of: [[department, a], [bDepartment, b]]) == nil)
        #expect(Ownership.commonRoot(of: []) == nil)
    }

    @Test func theDefaultOwnerOfEvaluatedUnitsIsTheLowestUnitAboveThem() {
        #expect(Ownership.defaultOwner(ofEvaluated: [[department, a], [district, a]]) == a)
        #expect(Ownership.defaultOwner(ofEvaluated: [[department, a]]) == a)
        #expect(Ownership.defaultOwner(ofEvaluated: [[commune, district, a]]) == district)
        // The province itself among the evaluated units: nothing is above it, the province runs it.
        #expect(Ownership.defaultOwner(ofEvaluated: [[a], [department, a]]) == a)
        #expect(Ownership.defaultOwner(ofEvaluated: [[department, a], [bDepartment, b]]) == nil)
        #expect(Ownership.defaultOwner(ofEvaluated: []) == nil)
    }

    @Test func aUnitLiesWithinItsAncestorsSubtreesOnly() {
        #expect(Ownership.isWithin(commune, ancestors: [district, a], owner: a))
        #expect(Ownership.isWithin(district, ancestors: [a], owner: district))
        #expect(!Ownership.isWithin(department, ancestors: [a], owner: district))
        #expect(!Ownership.isWithin(bDepartment, ancestors: [b], owner: a))
    }

    @Test func aCoordinatorOfAnotherProvinceHoldsNothingOnTheOwner() {
        let coordinatorB = AccessPolicy(assignments: [.init(role: .coordinator, scope: .unit(b, includeDescendants: true))])
        #expect(coordinatorB.allowsSomewhere(.campaignsManage))
        #expect(!coordinatorB.allows(.campaignsManage, onOwner: a, ancestors: []))
        #expect(coordinatorB.allows(.campaignsManage, onOwner: b, ancestors: []))
        let districtCoordinator = AccessPolicy(assignments: [.init(role: .coordinator, scope: .unit(district, includeDescendants: true))])
        #expect(!districtCoordinator.allows(.resultsPublish, onOwner: a, ancestors: []))
        #expect(districtCoordinator.allows(.resultsPublish, onOwner: district, ancestors: [a]))
        let provinceCouncil = AccessPolicy(assignments: [.init(role: .council, scope: .unit(a, includeDescendants: true))])
        #expect(provinceCouncil.allows(.resultsPublish, onOwner: district, ancestors: [a]))
        let everywhere = AccessPolicy(assignments: [.init(role: .coordinator, scope: .installation)])
        #expect(everywhere.allows(.campaignsManage, onOwner: b, ancestors: []))
    }

    @Test func theDefaultOwnerIsTheOneScopeUnit() {
        let one = AccessPolicy(assignments: [.init(role: .coordinator, scope: .unit(district, includeDescendants: true)),
                                             .init(role: .unitReporter, scope: .unit(commune, includeDescendants: false))])
        #expect(one.defaultOwner(for: .campaignsManage) == district)
        let two = AccessPolicy(assignments: [.init(role: .coordinator, scope: .unit(district, includeDescendants: true)),
                                             .init(role: .coordinator, scope: .unit(b, includeDescendants: true))])
        #expect(two.defaultOwner(for: .campaignsManage) == nil)
        #expect(AccessPolicy(assignments: [.init(role: .coordinator, scope: .installation)]).defaultOwner(for: .campaignsManage) == nil)
        #expect(AccessPolicy(assignments: []).defaultOwner(for: .campaignsManage) == nil)
    }

    @Test func staffSeeByOwnerAndUnitStaffByTheirEvaluatedUnit() {
        let units = [department, district]
        // A coordinator of province B: B's subtree for staff permissions and for unit reading.
        #expect(!Ownership.maySee(owner: a, units: units, staffUnits: [b, bDepartment], unitUnits: [b, bDepartment]))
        #expect(Ownership.maySee(owner: b, units: [bDepartment], staffUnits: [b, bDepartment], unitUnits: [b, bDepartment]))
        // A district's reporter sees the province's campaign in which the district is evaluated.
        #expect(Ownership.maySee(owner: a, units: units, staffUnits: [], unitUnits: [district]))
        #expect(!Ownership.maySee(owner: a, units: units, staffUnits: [], unitUnits: [commune]))
        // Installation-wide holders see everything.
        #expect(Ownership.maySee(owner: a, units: units, staffUnits: nil, unitUnits: []))
        #expect(Ownership.maySee(owner: a, units: units, staffUnits: [], unitUnits: nil))
    }

    @Test func appraisalStagesArePermissionsNotRoleNames() {
        #expect(RolePermissions.permissions(of: .appraiser).contains(.appraisalsRound))
        #expect(!RolePermissions.permissions(of: .appraiser).contains(.appraisalsAdjust))
        #expect(RolePermissions.permissions(of: .council).contains(.appraisalsAdjust))
        #expect(!RolePermissions.permissions(of: .council).contains(.appraisalsRound))
        #expect(!RolePermissions.permissions(of: .coordinator).contains(.appraisalsRound))
    }
}
