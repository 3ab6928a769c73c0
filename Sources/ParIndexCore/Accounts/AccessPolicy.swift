/// Decides whether a logged-in user's role assignments grant a permission, installation-wide
/// or on one unit. Denies by default: no assignment, no access, except to `.authenticated`
/// (their own account), which being logged in is enough for.
public struct AccessPolicy: Sendable {
    public let assignments: [RoleAssignment]

    public init(assignments: [RoleAssignment]) {
        self.assignments = assignments
    }

    /// Whether any assignment grants `permission` somewhere (used to let a request reach a
    /// route; the handler then checks the unit it touches with ``allows(_:on:ancestors:)``).
    public func allowsSomewhere(_ permission: Permission) -> Bool {
        if permission == .anonymous || permission == .authenticated { return true }
        return assignments.contains { RolePermissions.permissions(of: $0.role).contains(permission) }
    }

    /// Whether `permission` is granted installation-wide.
    public func allowsEverywhere(_ permission: Permission) -> Bool {
        if permission == .anonymous || permission == .authenticated { return true }
        return assignments.contains {
            $0.scope == .installation && RolePermissions.permissions(of: $0.role).contains(permission)
        }
    }

    /// Whether `permission` is granted on `unit`, whose ancestors (parent first) are given.
    public func allows(_ permission: Permission, on unit: UnitID, ancestors: [UnitID]) -> Bool {
        if permission == .anonymous || permission == .authenticated { return true }
        return assignments.contains { a in
            guard RolePermissions.permissions(of: a.role).contains(permission) else { return false }
            switch a.scope {
            case .installation: return true
            case let .unit(id, includeDescendants):
                return id == unit || (includeDescendants && ancestors.contains(id))
            }
        }
    }

    /// The units on which the user holds `permission` through unit-scoped assignments
    /// (nil when it is held installation-wide, i.e. no restriction).
    public func unitRestriction(for permission: Permission) -> [(unit: UnitID, includeDescendants: Bool)]? {
        if allowsEverywhere(permission) { return nil }
        return assignments.compactMap { a in
            guard RolePermissions.permissions(of: a.role).contains(permission),
                  case let .unit(id, desc) = a.scope else { return nil }
            return (id, desc)
        }
    }

    public var roles: Set<Role> { Set(assignments.map(\.role)) }
}
