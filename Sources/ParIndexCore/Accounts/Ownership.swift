/// Aggregates that belong to a unit: a campaign today; report regimes, task lists and
/// inspection plans later. Issue #19: a campaign had no owner, so holding `campaigns.manage`
/// or `results.publish` anywhere (a district's coordinator) was enough to act on a province's
/// campaign. Rights on an aggregate now come from roles scoped to its owning unit or above.
public enum Ownership {
    /// The lowest unit that every given unit lies under (or is). Each chain is a unit followed by
    /// its ancestors, parent first, root last. Nil when there are no units or no common root
    /// (units of two installations' provinces).
    public static func commonRoot(of chains: [[UnitID]]) -> UnitID? {
        guard var common = chains.first else { return nil }
        for chain in chains.dropFirst() {
            let set = Set(chain)
            common = common.filter(set.contains)
        }
        // `common` keeps the first chain's order, lowest unit first.
        return common.first
    }

    /// Whether `unit` (its ancestors parent first) lies in the subtree of `owner`.
    /// Whether a user may see an owned aggregate, given where they hold the staff permissions
    /// (`staffUnits`: coordinators, appraisers, council) and the unit permission (`unitUnits`),
    /// each as the set of units covered, nil meaning installation-wide: staff see what their
    /// owner units own; a unit's own staff keep seeing the aggregates their unit takes part in.
    public static func maySee(owner: UnitID, units: [UnitID], staffUnits: Set<UnitID>?, unitUnits: Set<UnitID>?) -> Bool {
        guard let staffUnits, let unitUnits else { return true }
        return staffUnits.contains(owner) || units.contains(where: unitUnits.contains)
    }

    /// The owner of a campaign whose creator names none (an installation-wide coordinator) and
    /// of campaigns that predate owners: the lowest unit strictly above every evaluated unit (a
    /// province runs its departments' index, a district its communes'); when one of them is a
    /// root, the lowest unit above or equal to all. Each chain: the unit, then its ancestors.
    public static func defaultOwner(ofEvaluated chains: [[UnitID]]) -> UnitID? {
        commonRoot(of: chains.map { Array($0.dropFirst()) }) ?? commonRoot(of: chains)
    }

    public static func isWithin(_ unit: UnitID, ancestors: [UnitID], owner: UnitID) -> Bool {
        unit == owner || ancestors.contains(owner)
    }
}

extension AccessPolicy {
    /// Whether `permission` is granted on an aggregate owned by `owner` (ancestors parent
    /// first): on the owning unit itself, through an ancestor assignment with descendants, or
    /// installation-wide. The one rule every owned aggregate uses.
    public func allows(_ permission: Permission, onOwner owner: UnitID, ancestors: [UnitID]) -> Bool {
        allows(permission, on: owner, ancestors: ancestors)
    }

    /// The owner a new aggregate gets when none is named: the one unit on which the user holds
    /// `permission`, when there is exactly one and the permission is not installation-wide.
    public func defaultOwner(for permission: Permission) -> UnitID? {
        guard let scopes = unitRestriction(for: permission) else { return nil }
        let units = Set(scopes.map(\.unit))
        return units.count == 1 ? units.first : nil
    }
}
