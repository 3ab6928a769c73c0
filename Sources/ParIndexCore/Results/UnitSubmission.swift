import Foundation

/// One unit's leaf inputs for a campaign, keyed by leaf code: self-assessed or
/// appraised values, plus survey points filled in by the survey module.
public struct UnitSubmission: Sendable, Hashable {
    public var unitID: UnitID
    public var name: String
    public var inputs: [String: LeafInput]

    public init(unitID: UnitID, name: String, inputs: [String: LeafInput]) {
        self.unitID = unitID
        self.name = name
        self.inputs = inputs
    }
}

/// What the previous campaign left behind for comparison.
public struct PreviousCampaign: Sendable, Hashable {
    public var ranks: [UnitID: Int]
    /// Fields (by last year's codes) each unit had to review.
    public var reviewFieldCodes: [UnitID: [String]]
    /// This year's codes → last year's.
    public var crosswalk: Crosswalk

    public init(ranks: [UnitID: Int], reviewFieldCodes: [UnitID: [String]] = [:], crosswalk: Crosswalk = Crosswalk()) {
        self.ranks = ranks
        self.reviewFieldCodes = reviewFieldCodes
        self.crosswalk = crosswalk
    }

    /// Takes ranks and review flags from last year's result.
    public init(_ result: CampaignResult, crosswalk: Crosswalk) {
        var ranks: [UnitID: Int] = [:]
        var flags: [UnitID: [String]] = [:]
        for unit in result.units {
            if unit.ranked { ranks[unit.unitID] = unit.rank }
            if !unit.reviewFieldCodes.isEmpty { flags[unit.unitID] = unit.reviewFieldCodes }
        }
        self.init(ranks: ranks, reviewFieldCodes: flags, crosswalk: crosswalk)
    }
}
