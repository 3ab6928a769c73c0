import Fluent
import Foundation
import ParIndexCore

/// Every unit's score table (seed 004's tables A1–A18 and B1–B12): each node with its max, the
/// points the unit claimed, the points that stand after appraisal and surveys, and the
/// appraiser's reason where the two differ. Built by the results engine's explanation, so a
/// table's numbers are the ranking's numbers.
struct ScoreSheets {
    let db: any Database

    func tables(_ c: CampaignModel, framework f: Framework) async throws -> [UUID: [AnnualReport.ScoreRow]] {
        let inputs = try await ResultsService(db: db).inputs(c)
        let engine = ResultsEngine(framework: f)
        let standing = engine.compute(inputs.standing)
        let claimed = engine.compute(inputs.claims)
        let claims = Dictionary(uniqueKeysWithValues: inputs.claims.map { ($0.unitID, $0) })
        let reasons = try await appraisalReasons(c.id!)
        let surveyLeaves = Set(f.leaves.filter { if case .survey? = $0.method { true } else { false } }.map(\.code))
        var out: [UUID: [AnnualReport.ScoreRow]] = [:]
        for sub in inputs.standing {
            let final = engine.explain(sub, in: standing)
            let own = claims[sub.unitID].map { engine.explain($0, in: claimed) }
            out[sub.unitID] = final.nodes.map { n in
                let selfPoints = surveyLeaves.contains(n.code) ? nil : own?.node(n.code).map { $0.isNotApplicable ? nil : $0.points } ?? nil
                return AnnualReport.ScoreRow(code: n.code, title: n.title, depth: n.depth, maxPoints: n.maxPoints,
                                             selfPoints: selfPoints, finalPoints: n.isNotApplicable ? nil : n.points,
                                             note: reasons[sub.unitID]?[n.code])
            }
        }
        return out
    }

    /// The reason of the latest appraisal stage per unit and leaf.
    private func appraisalReasons(_ campaignID: UUID) async throws -> [UUID: [String: String]] {
        let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
        let unitOf = Dictionary(uniqueKeysWithValues: assessments.map { ($0.id!, $0.$unit.id) })
        guard !assessments.isEmpty else { return [:] }
        let stages = try await AppraisalModel.query(on: db).filter(\.$assessment.$id ~~ assessments.map { $0.id! }).all()
        var latest: [UUID: [String: AppraisalModel]] = [:]
        for s in stages {
            guard let unit = unitOf[s.$assessment.id] else { continue }
            if let current = latest[unit]?[s.leafCode], current.appraisalStage >= s.appraisalStage { continue }
            latest[unit, default: [:]][s.leafCode] = s
        }
        return latest.mapValues { $0.mapValues(\.reason) }
    }
}
