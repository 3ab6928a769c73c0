import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Every unit's score table (seed 004's tables A1–A18 and B1–B12): each node with its max, the
/// points the unit claimed, the points that stand after appraisal and surveys, and the
/// appraiser's reason where the two differ. Built by the results engine's explanation, so a
/// table's numbers are the ranking's numbers.
struct ScoreSheets: ContextService {
    let context: ServiceContext

    /// The sheets `r` carries; for a snapshot of the first shape (stored before issue #19, without
    /// sheets) they are computed from the campaign's data, which publication has made read-only.
    func sheets(_ r: PublishedResults, campaign c: CampaignModel) async throws -> [PublishedResults.Sheet] {
        if let sheets = r.sheets { return sheets }
        return try await ResultsService(context: context).compute(c).sheets ?? []
    }

    /// The annual report's score table of every unit, from the results' sheets.
    func tables(_ r: PublishedResults, campaign c: CampaignModel) async throws -> [UUID: [AnnualReport.ScoreRow]] {
        var out: [UUID: [AnnualReport.ScoreRow]] = [:]
        for sheet in try await sheets(r, campaign: c) {
            out[sheet.unitId] = sheet.rows.map { n in
                AnnualReport.ScoreRow(code: n.code, title: n.title, depth: n.depth, maxPoints: n.maxPoints, selfPoints: n.selfPoints,
                                      finalPoints: n.notApplicable ? nil : n.points, note: n.note)
            }
        }
        return out
    }

    /// The reason of the latest appraisal stage per unit and leaf.
    /// Per unit and criterion, every step after the claim in order (issue #12 item 3): round 1
    /// with its value and reason, the unit's explanation, round 2, the council.
    func appraisalTrail(_ campaignID: UUID, framework: Framework) async throws -> [UUID: [String: [String]]] {
        let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
        guard !assessments.isEmpty else { return [:] }
        let unitOf = Dictionary(uniqueKeysWithValues: assessments.map { ($0.id!, $0.$unit.id) })
        let ids = assessments.map { $0.id! }
        let stages = try await AppraisalModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let explanations = try await ExplanationModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let methods = Dictionary(framework.leaves.map { ($0.code, $0.method) }, uniquingKeysWith: { a, _ in a })
        var steps: [UUID: [String: [(Int, String)]]] = [:]
        for s in stages {
            guard let unit = unitOf[s.$assessment.id] else { continue }
            let order = s.appraisalStage == .round1 ? 1 : s.appraisalStage == .round2 ? 3 : 4
            let text = "\(s.appraisalStage.labelVI): \(InputDisplay.text(s.input, method: methods[s.leafCode] ?? nil)) → "
                + "\(VietnameseNumber.format(s.points)) điểm" + (s.reason.isEmpty ? "" : " — \(s.reason)")
            steps[unit, default: [:]][s.leafCode, default: []].append((order, text))
        }
        for e in explanations {
            guard let unit = unitOf[e.$assessment.id], !e.text.isEmpty else { continue }
            steps[unit, default: [:]][e.leafCode, default: []].append((2, "Giải trình của đơn vị: \(e.text)"))
        }
        return steps.mapValues { $0.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) } }
    }

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
        /// Issue #12 item 3: the rule as the framework words it, the claim as typed, every
        /// appraisal step with its reason, and the value before rounding.
        var rule: String?
        var claim: String?
        var trail: [String]
        var exactDisplay: String
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
    /// Ranked units in the campaign.
    var unitCount: Int
    /// False for a unit left out of the ranking ("chưa nộp").
    var ranked: Bool
    var submissionNote: String?
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
    /// Which rule produced the index, rank, band, rating and review flag (issue #12 item 3).
    var why: [String]
}

extension ScoreSheets {
    /// `results`: the ranking the sheet belongs to (a published snapshot, or live for staff).
    /// Everything comes from `results` and from earlier campaigns' published snapshots.
    func sheet(_ c: CampaignModel, unitCode: String, results r: PublishedResults) async throws -> ScoreSheetDTO {
        guard let unit = r.units.first(where: { $0.unitCode == unitCode }) else { throw AppError.notFound(entity: "đơn vị \(unitCode) trong kết quả") }
        guard let sheet = try await sheets(r, campaign: c).first(where: { $0.unitId == unit.unitId }) else {
            throw AppError.notFound(entity: "bảng điểm của đơn vị \(unitCode)")
        }
        let fmt = { (v: Double?) in v.map { VietnameseNumber.format($0) } ?? "—" }
        let rows = sheet.rows.map { n in
            ScoreSheetDTO.Row(code: n.code, title: n.title, depth: n.depth, maxDisplay: fmt(n.maxPoints), selfDisplay: fmt(n.selfPoints),
                              finalDisplay: n.notApplicable ? "KAD" : fmt(n.points), percentDisplay: ResultsView.percent(n.percent),
                              explanation: n.explanation, note: n.note,
                              evidence: n.evidence.map { .init(id: $0.id, documentNumber: $0.documentNumber, title: $0.title) },
                              rule: n.rule, claim: n.claim, trail: n.trail ?? [],
                              exactDisplay: VietnameseNumber.format(n.points, fractionDigits: 9))
        }
        // Per field: this unit, the average of the ranked units, and last year's (published) figure.
        var lastYear: [String: String] = [:]
        if let pid = c.$previous.id, let prev = try await ResultsService(context: context).latestSnapshot(pid),
           let row = prev.units.first(where: { $0.unitCode == unitCode }) {
            for (i, field) in prev.fields.enumerated() where i < row.fieldPercents.count { lastYear[field.code] = ResultsView.percent(row.fieldPercents[i]) }
        }
        let peers = r.units.filter(\.ranked)
        let comparisons = r.fields.enumerated().map { i, field -> (ScoreSheetDTO.FieldComparison, Double?, Double?) in
            let mine = i < unit.fieldPercents.count ? unit.fieldPercents[i] : nil
            let all = peers.compactMap { i < $0.fieldPercents.count ? $0.fieldPercents[i] : nil }
            let average = all.isEmpty ? nil : all.reduce(0, +) / Double(all.count)
            return (.init(code: field.code, title: field.title, percent: ResultsView.percent(mine),
                          average: ResultsView.percent(average), lastYear: lastYear[field.code] ?? "—"),
                    mine, average)
        }
        // Trend: last years' published index of this unit, following the campaigns' `previous` chain.
        var trend: [(year: Int, percent: Double)] = [(c.year, unit.indexPercent)]
        var previousID = c.$previous.id
        var seen: Set<UUID> = [c.id!]
        while let pid = previousID, seen.insert(pid).inserted, let prev = try await CampaignModel.find(pid, on: db) {
            if let snap = try await ResultsService(context: context).latestSnapshot(pid), let row = snap.units.first(where: { $0.unitCode == unitCode }) {
                trend.insert((prev.year, row.indexPercent), at: 0)
            }
            previousID = prev.$previous.id
        }
        let view = ResultsView(r)
        let shown = view.units.first { $0.unitId == unit.unitId }!
        return ScoreSheetDTO(
            campaignId: c.id!, campaignName: c.name, unitCode: unit.unitCode, unitName: unit.unitName, rank: unit.rank,
            unitCount: peers.count, ranked: unit.ranked, submissionNote: shown.submissionNote,
            totalDisplay: shown.totalDisplay, maxDisplay: shown.maxDisplay, indexDisplay: shown.indexDisplay, band: unit.band, rating: unit.rating,
            rankChangeText: shown.rankChangeText, fields: comparisons.map(\.0),
            profileChart: SVGChart.profile(title: "Tỷ lệ điểm theo lĩnh vực (%)", fields: comparisons.map { (code: $0.0.code, unit: $0.1, average: $0.2) }),
            trendChart: SVGChart.trend(title: "Chỉ số CCHC qua các năm (%)", points: trend), rows: rows, why: unit.why ?? [])
    }
}
