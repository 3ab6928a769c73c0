import Foundation

/// Computes a campaign's results from every unit's leaf inputs: points and %
/// per node, index, bands, ranks, rank changes, head-of-unit ratings and review
/// flags. Pure: the same framework, configuration and inputs always give the
/// same result, so published results can be recomputed and checked forever.
public struct ResultsEngine: Sendable {
    public let framework: Framework
    public let layout: FrameworkLayout
    public let configuration: ResultsConfiguration

    /// `configuration`: a campaign's own rules; nil: the framework's (or seed 004's when it has none).
    public init(framework: Framework, configuration: ResultsConfiguration? = nil) {
        self.framework = framework
        self.layout = FrameworkLayout(framework)
        self.configuration = configuration?.resolved(for: framework) ?? framework.resultsRules
    }

    var scorer: UnitScorer {
        UnitScorer(layout: layout, excludeSurveys: framework.indexDenominator == .excludingSurveys)
    }

    /// - Parameters:
    ///   - submitted: the units that submitted their self-assessment; nil: all of them. Issue
    ///     #19: a campaign published with 5 of 18 units submitted ranked a half-done draft 6th
    ///     and twelve empty units at 0/100. A unit outside the set is scored on nothing (its
    ///     draft is not a claim, and it does not set the best value of a normalised ratio) and
    ///     is either left out of the ranking (``UnsubmittedPolicy/exclude``) or ranked at its
    ///     zero score and flagged (``UnsubmittedPolicy/zero``).
    public func compute(_ submissions: [UnitSubmission], previous: PreviousCampaign? = nil,
                        submitted: Set<UnitID>? = nil, policy: UnsubmittedPolicy = .exclude) -> CampaignResult {
        let isSubmitted = submissions.map { submitted?.contains($0.unitID) ?? true }
        let inputs = zip(submissions, isSubmitted).map { s, ok in ok ? layout.denseInputs(s.inputs) : layout.denseInputs([:]) }
        let best = bestValues(inputs)
        let stride = layout.nodeCount + 1
        var nodePoints = [Double](); nodePoints.reserveCapacity(stride * submissions.count)
        var nodeMax = [Double](); nodeMax.reserveCapacity(stride * submissions.count)
        var units: [UnitResult] = []
        units.reserveCapacity(submissions.count)
        let scorer = self.scorer
        for (i, (submission, unitInputs)) in zip(submissions, inputs).enumerated() {
            let out = scorer.score(unitInputs, best: best, recordLeaves: false)
            nodePoints.append(contentsOf: out.points)
            nodeMax.append(contentsOf: out.applicableMax)
            var unit = unitResult(submission, out)
            unit.submitted = isSubmitted[i]
            unit.ranked = isSubmitted[i] || policy == .zero
            units.append(unit)
        }
        assignRanks(&units, previous: previous)
        var bestByCode: [String: Double] = [:]
        for leaf in layout.normalizedLeaves { bestByCode[layout.leafCodes[leaf]] = best[leaf] }
        return CampaignResult(frameworkID: framework.id, frameworkVersion: framework.version, units: units,
                              bestValues: bestByCode, nodeCodes: layout.nodeCodes,
                              nodeIndexByCode: layout.nodeIndexByCode, nodePoints: nodePoints,
                              nodeApplicableMax: nodeMax)
    }

    /// For each normalised-ratio leaf, the highest usable value in the campaign
    /// (not applicable, missing, negative and non-finite inputs are left out).
    func bestValues(_ inputs: [[LeafInput?]]) -> [Double] {
        var best = [Double](repeating: 0, count: layout.leafCount)
        for leaf in layout.normalizedLeaves {
            var highest = 0.0
            for unit in inputs {
                guard let input = unit[leaf], let v = LeafScorer.normalizedValue(input), v.isFinite else { continue }
                if v > highest { highest = v }
            }
            best[leaf] = highest
        }
        return best
    }

    private func unitResult(_ submission: UnitSubmission, _ out: UnitScorer.Output) -> UnitResult {
        let root = layout.rootIndex
        let raw = out.points[root]
        let appMax = out.applicableMax[root]
        let index = appMax > 0 ? raw / appMax * 100 : 0
        let total: Double = if let scale = configuration.totalScale { index / 100 * scale } else {
            switch framework.notApplicablePolicy {
            case .rescaleToFullTotal: index / 100 * layout.totalMax
            case .shareOfApplicableMax: raw
            }
        }
        let fields = layout.fieldIndices.map { i in
            FieldResult(code: layout.nodes[i].code, title: framework.nodes[fieldPosition(i)].title,
                        points: out.points[i], maxPoints: layout.nodes[i].maxPoints,
                        applicableMax: out.applicableMax[i],
                        percent: out.applicableMax[i] > 0 ? out.points[i] / out.applicableMax[i] * 100 : nil)
        }
        let rated = configuration.rating.fieldCodes.map { codes in fields.filter { codes.contains($0.code) } }
            ?? fields.filter { layout.nodes[layout.nodeIndexByCode[$0.code]!].role == .scored }
        let review = configuration.review
        let flagged = fields.filter { f in
            review.fieldCodes.contains(f.code) && (f.percent.map { $0 < review.thresholdPercent } ?? false)
        }.map(\.code)
        return UnitResult(
            unitID: submission.unitID, name: submission.name, rawPoints: raw, totalPoints: total,
            maxPoints: configuration.totalScale ?? layout.totalMax, applicableMax: appMax, indexPercent: index, fields: fields,
            band: configuration.bands.band(for: index), rank: 0, previousRank: nil, rankChange: nil,
            rating: configuration.rating.rate(indexPercent: index, fieldPercents: rated.map(\.percent)),
            reviewFieldCodes: flagged, flaggedAgainAfterReview: false, repeatedReviewFieldCodes: [],
            issues: out.issues.map { LeafIssue(leafCode: layout.leafCodes[$0.0], error: $0.1) })
    }

    private func fieldPosition(_ nodeIndex: Int) -> Int {
        layout.fieldIndices.firstIndex(of: nodeIndex)!
    }

    private func assignRanks(_ units: inout [UnitResult], previous: PreviousCampaign?) {
        // Only ranked units take places: an excluded unit does not push the others down.
        let rankedIndices = units.indices.filter { units[$0].ranked }
        let rankedRanks = Ranking.competitionRanks(rankedIndices.map { units[$0].indexPercent })
        var ranks = [Int](repeating: 0, count: units.count)
        for (k, i) in rankedIndices.enumerated() { ranks[i] = rankedRanks[k] }
        for i in units.indices {
            units[i].rank = ranks[i]
            guard let previous else { continue }
            guard units[i].ranked else {
                units[i].previousRank = previous.ranks[units[i].unitID]
                continue
            }
            // A new entrant has no previous rank and so no rank change.
            if let before = previous.ranks[units[i].unitID] {
                units[i].previousRank = before
                units[i].rankChange = before - ranks[i]
            }
            let flaggedBefore = previous.reviewFieldCodes[units[i].unitID] ?? []
            guard units[i].requiresReview, !flaggedBefore.isEmpty else { continue }
            // Seed 004, 2.2: "không có sự chuyển biến sau kiểm điểm năm 2021".
            units[i].flaggedAgainAfterReview = true
            units[i].repeatedReviewFieldCodes = units[i].reviewFieldCodes.filter { code in
                flaggedBefore.contains(previous.crosswalk.previousCode(of: code) ?? code)
            }
        }
    }
}
