import Fluent
import Foundation

/// Hierarchy queries. Depth is at most four (ministry → province → district → commune),
/// so walking the parent chain costs a handful of indexed lookups.
enum UnitTree {
    /// Parent first, root last.
    static func ancestors(of unitID: UUID, on db: any Database) async throws -> [UUID] {
        var result: [UUID] = []
        var current = try await UnitModel.find(unitID, on: db)?.$parent.id
        while let id = current, !result.contains(id), result.count < 16 {
            result.append(id)
            current = try await UnitModel.find(id, on: db)?.$parent.id
        }
        return result
    }

    /// The unit and everything below it.
    static func subtree(of unitID: UUID, on db: any Database) async throws -> Set<UUID> {
        var all: Set<UUID> = [unitID]
        var frontier: [UUID] = [unitID]
        while !frontier.isEmpty {
            let children = try await UnitModel.query(on: db).filter(\.$parent.$id ~~ frontier).all(\.$id)
            frontier = children.filter { all.insert($0).inserted }
        }
        return all
    }

    /// Whether making `parentID` the parent of `unitID` would put the unit under itself.
    static func wouldCreateCycle(unit unitID: UUID, parent parentID: UUID, on db: any Database) async throws -> Bool {
        if unitID == parentID { return true }
        return try await ancestors(of: parentID, on: db).contains(unitID)
    }
}
