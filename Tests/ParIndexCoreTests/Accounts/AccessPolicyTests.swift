import Foundation
import Testing
@testable import ParIndexCore

@Suite struct AccessPolicyTests {
    let province = UUID(), district = UUID(), commune = UUID(), other = UUID()

    @Test func deniesByDefault() {
        let p = AccessPolicy(assignments: [])
        for permission in Permission.allCases where permission != .anonymous && permission != .authenticated {
            #expect(!p.allowsSomewhere(permission))
            #expect(!p.allows(permission, on: district, ancestors: [province]))
        }
        #expect(p.allowsSomewhere(.anonymous))
        // Being logged in (having a policy at all) is enough for one's own account.
        #expect(p.allowsSomewhere(.authenticated))
    }

    @Test func unitScopeCoversTheUnitAndOptionallyItsDescendants() {
        let own = AccessPolicy(assignments: [.init(role: .unitReporter, scope: .unit(district, includeDescendants: false))])
        #expect(own.allows(.unitsRead, on: district, ancestors: [province]))
        #expect(!own.allows(.unitsRead, on: commune, ancestors: [district, province]))
        #expect(!own.allows(.unitsRead, on: other, ancestors: [province]))
        #expect(!own.allowsEverywhere(.unitsRead))

        let tree = AccessPolicy(assignments: [.init(role: .unitReporter, scope: .unit(district, includeDescendants: true))])
        #expect(tree.allows(.unitsRead, on: commune, ancestors: [district, province]))
        #expect(!tree.allows(.unitsRead, on: province, ancestors: []))
    }

    @Test func rolesGrantOnlyTheirPermissions() {
        let reporter = AccessPolicy(assignments: [.init(role: .unitReporter, scope: .installation)])
        #expect(!reporter.allowsSomewhere(.unitsManage))
        #expect(!reporter.allowsSomewhere(.usersRead))
        let coordinator = AccessPolicy(assignments: [.init(role: .coordinator, scope: .installation)])
        #expect(coordinator.allowsEverywhere(.unitsManage))
        #expect(coordinator.allowsSomewhere(.auditRead))
        #expect(!coordinator.allowsSomewhere(.usersManage))
        let admin = AccessPolicy(assignments: [.init(role: .admin, scope: .installation)])
        #expect(Permission.allCases.allSatisfy(admin.allowsEverywhere))
    }

    @Test func frameworksAreReadByEveryUnitRoleAndManagedByCoordinators() {
        for role in Role.allCases {
            let p = AccessPolicy(assignments: [.init(role: role, scope: .unit(district, includeDescendants: false))])
            #expect(p.allowsSomewhere(.frameworksRead) == (role != .public), "\(role)")
            #expect(p.allowsSomewhere(.frameworksManage) == [.admin, .coordinator].contains(role), "\(role)")
        }
    }

    @Test func restrictionListsScopedUnits() {
        let p = AccessPolicy(assignments: [.init(role: .unitHead, scope: .unit(district, includeDescendants: true))])
        let r = p.unitRestriction(for: .unitsRead)
        #expect(r?.count == 1 && r?.first?.unit == district && r?.first?.includeDescendants == true)
        #expect(AccessPolicy(assignments: [.init(role: .admin, scope: .installation)]).unitRestriction(for: .unitsRead) == nil)
    }

    @Test func unitKindsParseLoosely() {
        #expect(UnitKind(loose: "Sở") == .department)
        #expect(UnitKind(loose: "HUYỆN") == .district)
        #expect(UnitKind(loose: "thị trấn") == .commune)
        #expect(UnitKind(loose: "commune") == .commune)
        #expect(UnitKind(loose: "Phòng") == nil)
    }
}
