import Fluent
import Foundation
import ParIndexCore
import Vapor

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
    func appraisalReasons(_ campaignID: UUID) async throws -> [UUID: [String: String]] {
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

/// One unit's score sheet for the pages and the API: the ranking's figures at the top, a field
/// profile against the average and last year, and every node with what the unit claimed, what
/// stands, how the rule turned the inputs into points, the appraiser's reason and the evidence.
struct ScoreSheetDTO: Content {
    struct Row: Content {
        var code: String
        var title: String
        var depth: Int
        var maxDisplay: String
        var selfDisplay: String
        var finalDisplay: String
        var percentDisplay: String
        /// "Explain this number": the rule applied to the inputs, or the sum of the children.
        var explanation: String
        var note: String?
        var evidence: [Evidence]
    }

    struct Evidence: Content {
        var id: UUID
        var documentNumber: String
        var title: String
    }

    struct FieldComparison: Content {
        var code: String
        var title: String
        var percent: String
        var average: String
        var lastYear: String
    }

    var campaignId: UUID
    var campaignName: String
    var unitCode: String
    var unitName: String
    var rank: Int
    var unitCount: Int
    var totalDisplay: String
    var maxDisplay: String
    var indexDisplay: String
    var band: String?
    var rating: String
    var rankChangeText: String
    var fields: [FieldComparison]
    var profileChart: String
    /// The unit's index over the published years and this one.
    var trendChart: String
    var rows: [Row]
}

extension ScoreSheets {
    /// `results`: the ranking the sheet belongs to (published, or live for staff).
    func sheet(_ c: CampaignModel, framework f: Framework, unitCode: String, results r: PublishedResults) async throws -> ScoreSheetDTO {
        guard let unit = r.units.first(where: { $0.unitCode == unitCode }) else { throw AppError.notFound(entity: "đơn vị \(unitCode) trong kết quả") }
        let inputs = try await ResultsService(db: db).inputs(c)
        let engine = ResultsEngine(framework: f)
        let standing = engine.compute(inputs.standing)
        let claimed = engine.compute(inputs.claims)
        guard let sub = inputs.standing.first(where: { $0.unitID == unit.unitId }) else { throw AppError.notFound(entity: "đơn vị \(unitCode)") }
        let final = engine.explain(sub, in: standing)
        let own = inputs.claims.first { $0.unitID == unit.unitId }.map { engine.explain($0, in: claimed) }
        let reasons = try await appraisalReasons(c.id!)[unit.unitId] ?? [:]
        let surveyLeaves = Set(f.leaves.filter { if case .survey? = $0.method { true } else { false } }.map(\.code))
        // Current documents and the criteria each supports.
        var evidence: [String: [ScoreSheetDTO.Evidence]] = [:]
        if let a = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == c.id!).filter(\.$unit.$id == unit.unitId).first() {
            let docs = try await EvidenceDocumentModel.query(on: db).filter(\.$assessment.$id == a.id!).filter(\.$superseded == false).all()
            if !docs.isEmpty {
                let links = try await EvidenceLinkModel.query(on: db).filter(\.$document.$id ~~ docs.map { $0.id! }).all()
                let byID = Dictionary(uniqueKeysWithValues: docs.map { ($0.id!, $0) })
                for l in links {
                    guard let d = byID[l.$document.id] else { continue }
                    evidence[l.leafCode, default: []].append(.init(id: d.id!, documentNumber: d.documentNumber, title: d.title))
                }
            }
        }
        let fmt = { (v: Double?) in v.map { VietnameseNumber.format($0) } ?? "—" }
        let rows = final.nodes.map { n in
            let mine = surveyLeaves.contains(n.code) ? nil : own?.node(n.code).flatMap { $0.isNotApplicable ? nil : $0.points }
            return ScoreSheetDTO.Row(code: n.code, title: n.title, depth: n.depth, maxDisplay: fmt(n.maxPoints), selfDisplay: fmt(mine),
                                     finalDisplay: n.isNotApplicable ? "KAD" : fmt(n.points),
                                     percentDisplay: n.percent.map { VietnameseNumber.format($0) + " %" } ?? "—",
                                     explanation: n.appliedVI ?? n.summaryVI, note: reasons[n.code], evidence: evidence[n.code] ?? [])
        }
        // Per field: this unit, the average of all units, and last year's (published) figure.
        var lastYear: [String: String] = [:]
        if let pid = c.$previous.id, let prev = try await ResultsService(db: db).latestSnapshot(pid),
           let row = prev.units.first(where: { $0.unitCode == unitCode }) {
            for (i, field) in prev.fields.enumerated() where i < row.fieldPercents.count { lastYear[field.code] = row.fieldPercents[i] }
        }
        let comparisons = r.fields.enumerated().map { i, field -> (ScoreSheetDTO.FieldComparison, Double?, Double?) in
            let mine = i < unit.fieldPercents.count ? unit.fieldPercentValues[i] : nil
            let all = r.units.compactMap { i < $0.fieldPercents.count ? $0.fieldPercentValues[i] : nil }
            let average = all.isEmpty ? nil : all.reduce(0, +) / Double(all.count)
            return (.init(code: field.code, title: field.title, percent: i < unit.fieldPercents.count ? unit.fieldPercents[i] : "—",
                          average: average.map { VietnameseNumber.format($0) + " %" } ?? "—", lastYear: lastYear[field.code] ?? "—"),
                    mine, average)
        }
        // Trend: last years' published index of this unit, following the campaigns' `previous` chain.
        var trend: [(year: Int, percent: Double)] = [(c.year, unit.indexPercent)]
        var previousID = c.$previous.id
        var seen: Set<UUID> = [c.id!]
        while let pid = previousID, seen.insert(pid).inserted, let prev = try await CampaignModel.find(pid, on: db) {
            if let snap = try await ResultsService(db: db).latestSnapshot(pid), let row = snap.units.first(where: { $0.unitCode == unitCode }) {
                trend.insert((prev.year, row.indexPercent), at: 0)
            }
            previousID = prev.$previous.id
        }
        return ScoreSheetDTO(
            campaignId: c.id!, campaignName: c.name, unitCode: unit.unitCode, unitName: unit.unitName, rank: unit.rank, unitCount: r.units.count,
            totalDisplay: unit.totalDisplay, maxDisplay: unit.maxDisplay, indexDisplay: unit.indexDisplay, band: unit.band, rating: unit.rating,
            rankChangeText: unit.rankChangeText, fields: comparisons.map(\.0),
            profileChart: SVGChart.profile(title: "Tỷ lệ điểm theo lĩnh vực (%)", fields: comparisons.map { (code: $0.0.code, unit: $0.1, average: $0.2) }),
            trendChart: SVGChart.trend(title: "Chỉ số CCHC qua các năm (%)", points: trend), rows: rows)
    }
}
