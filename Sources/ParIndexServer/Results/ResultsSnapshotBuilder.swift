import Fluent
import Foundation
import ParIndexCore
import SQLKit

/// Computes a campaign's complete results — what the live pages show and what publication
/// freezes (issue #19): the ranking under the campaign's ``UnsubmittedPolicy``, every unit's
/// score sheet (per node: claim, points, the engine's explanation, the appraisal's reason, the
/// evidence), the survey figures and the annual report's inputs. Numbers stay unrounded.
struct ResultsSnapshotBuilder {
    let db: any Database
    let results: ResultsService

    func build(_ campaign: CampaignModel) async throws -> PublishedResults {
        let framework = try await FrameworkCache.shared.framework(campaign.framework)
        let engine = ResultsEngine(framework: framework, configuration: campaign.resultsRules(for: framework))
        var previous: PreviousCampaign?
        if let pid = campaign.$previous.id, let last = try await results.latestSnapshot(pid) {
            var ranks: [UnitID: Int] = [:]
            var flags: [UnitID: [String]] = [:]
            for u in last.units {
                if u.ranked { ranks[u.unitId] = u.rank }
                if !u.reviewFields.isEmpty { flags[u.unitId] = u.reviewFields }
            }
            // Last year's flags, in last year's codes: "flagged again after review" (seed 004, 2.2)
            // fires on the same field even when it was renumbered (issue #12).
            var crosswalk = Crosswalk()
            if let before = try await CampaignModel.query(on: db).filter(\.$id == pid).with(\.$framework).first() {
                crosswalk = Crosswalk.derive(from: try await FrameworkCache.shared.framework(before.framework), to: framework)
            }
            previous = PreviousCampaign(ranks: ranks, reviewFieldCodes: flags, crosswalk: crosswalk)
        }
        let (subs, surveyUnits) = try await results.inputs(campaign)
        let policy = campaign.unsubmittedPolicy
        // A unit that did not submit is scored on nothing: its draft is not a claim (issue #19).
        func effective(_ s: UnitSubmission) -> UnitSubmission {
            subs.submitted.contains(s.unitID) ? s : UnitSubmission(unitID: s.unitID, name: s.name, inputs: [:])
        }
        let standing = engine.compute(subs.standing, previous: previous, submitted: subs.submitted, policy: policy)
        // The council compares what each unit claimed with what stands after appraisal.
        let claimed = engine.compute(subs.claims, submitted: subs.submitted, policy: policy)
        let claimedByUnit = Dictionary(uniqueKeysWithValues: claimed.units.map { ($0.unitID, $0) })
        let fields = framework.nodes.map { PublishedResults.Field(code: $0.code, title: $0.title, maxPoints: $0.maxPoints) }
        let rows = standing.ranking.map { u in
            let claim = claimedByUnit[u.unitID]
            return PublishedResults.UnitRow(
                unitId: u.unitID, unitCode: subs.codes[u.unitID] ?? "", unitName: u.name, rank: u.rank, ranked: u.ranked,
                submitted: u.submitted, appraised: subs.appraised.contains(u.unitID), hasSurveyPoints: surveyUnits.contains(u.unitID),
                previousRank: u.previousRank, rankChange: u.ranked ? u.rankChange : nil, totalPoints: u.totalPoints,
                claimedPoints: claim?.totalPoints ?? 0, maxPoints: u.maxPoints, indexPercent: u.indexPercent, band: u.band?.label,
                rating: u.rating.labelVI, fieldPercents: u.fields.map(\.percent), claimedFieldPercents: claim?.fields.map(\.percent) ?? [],
                reviewFields: u.reviewFieldCodes, flaggedAgain: u.flaggedAgainAfterReview,
                why: engine.whyVI(u, unitCount: standing.units.filter(\.ranked).count))
        }
        // Score sheets, built by the engine's explanation so a sheet's numbers are the ranking's.
        let reasons = try await ScoreSheets(context: results.context).appraisalReasons(campaign.id!)
        // A survey criterion scored from an official source says which document (issue #12).
        let official = try await OfficialSurveyService.points(campaignID: campaign.id!, on: db)
        let trail = try await ScoreSheets(context: results.context).appraisalTrail(campaign.id!, framework: framework)
        let leaves = Dictionary(framework.leaves.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let evidence = try await evidence(campaign.id!)
        let surveyLeaves = Set(framework.leaves.filter { if case .survey? = $0.method { true } else { false } }.map(\.code))
        let claimSubs = Dictionary(uniqueKeysWithValues: subs.claims.map { ($0.unitID, $0) })
        let sheets = subs.standing.map { sub -> PublishedResults.Sheet in
            let final = engine.explain(effective(sub), in: standing)
            let own = claimSubs[sub.unitID].map { engine.explain(effective($0), in: claimed) }
            return .init(unitId: sub.unitID, rows: final.nodes.map { n in
                let mine = surveyLeaves.contains(n.code) ? nil : own?.node(n.code).flatMap { $0.isNotApplicable ? nil : $0.points }
                return PublishedResults.SheetRow(code: n.code, title: n.title, depth: n.depth, maxPoints: n.maxPoints, selfPoints: mine,
                                                 points: n.points, notApplicable: n.isNotApplicable, percent: n.percent,
                                                 explanation: official[sub.unitID]?[n.code].map { "Điểm " + $0.source + "." } ?? n.appliedVI ?? n.summaryVI,
                                                 note: reasons[sub.unitID]?[n.code],
                                                 evidence: evidence[sub.unitID]?[n.code] ?? [],
                                                 rule: leaves[n.code].flatMap { l in l.method?.ruleTextVI(maxPoints: l.maxPoints) },
                                                 claim: surveyLeaves.contains(n.code) ? nil : claimSubs[sub.unitID]?.inputs[n.code].map {
                                                     InputDisplay.text($0, method: leaves[n.code]?.method)
                                                 },
                                                 trail: trail[sub.unitID]?[n.code] ?? [])
            })
        }
        let report = PublishedResults.ReportInputs(
            unitKind: framework.unitKind,
            scoredFields: framework.nodes.filter { $0.role == .scored }.map { .init(code: $0.code, title: $0.title, maxPoints: $0.maxPoints) },
            composition: framework.composition.map { .init(name: $0.name, points: $0.points, isSurvey: $0.source == .survey) },
            surveyGroups: try await Self.surveyGroups(campaign.id!, on: db))
        return PublishedResults(campaignId: campaign.id!, campaignName: campaign.name, frameworkTitle: framework.title,
                                computedAt: Date(), unsubmittedPolicy: policy, hasPrevious: previous != nil, fields: fields,
                                units: rows, sheets: sheets, report: report, rules: engine.configuration.descriptionVI,
                                bands: engine.configuration.bands.bands.map {
                                    .init(label: $0.label, minPercent: $0.minPercent.isFinite ? $0.minPercent : nil,
                                          colour: $0.colour ?? SVGChart.colour(forPercent: $0.minPercent))
                                })
    }

    /// Per unit and leaf, the current (not superseded) documents supporting it.
    private func evidence(_ campaignID: UUID) async throws -> [UUID: [String: [PublishedResults.Evidence]]] {
        let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
        guard !assessments.isEmpty else { return [:] }
        let unitOf = Dictionary(uniqueKeysWithValues: assessments.map { ($0.id!, $0.$unit.id) })
        let docs = try await EvidenceDocumentModel.query(on: db).filter(\.$assessment.$id ~~ assessments.map { $0.id! })
            .filter(\.$superseded == false).all()
        guard !docs.isEmpty else { return [:] }
        let byID = Dictionary(uniqueKeysWithValues: docs.map { ($0.id!, $0) })
        var out: [UUID: [String: [PublishedResults.Evidence]]] = [:]
        for l in try await EvidenceLinkModel.query(on: db).filter(\.$document.$id ~~ docs.map { $0.id! }).all() {
            guard let d = byID[l.$document.id], let unit = unitOf[d.$assessment.id] else { continue }
            out[unit, default: [:]][l.leafCode, default: []].append(.init(id: d.id!, documentNumber: d.documentNumber, title: d.title))
        }
        return out
    }

    /// Ballots counted per respondent group (closed batches, not void, not rejected).
    static func surveyGroups(_ campaignID: UUID, on db: any Database) async throws -> [PublishedResults.SurveyGroup] {
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
        guard !groups.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        struct Row: Decodable { var group_code: String; var n: Int }
        let rows = try await sql.raw("""
            SELECT b.group_code, COUNT(DISTINCT b.ballot_no) AS n FROM survey_ballots b JOIN survey_batches t ON t.id = b.batch_id
            WHERE b.campaign_id = \(bind: campaignID) AND t.status = 'closed' AND b.voided = \(bind: false) AND b.review <> 'rejected'
            GROUP BY b.group_code
            """).all(decoding: Row.self)
        let counts = Dictionary(uniqueKeysWithValues: rows.map { ($0.group_code, $0.n) })
        // Organisational groups first, then citizens and businesses, as seed 004 lists them.
        let kinds = Dictionary(uniqueKeysWithValues: try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
            .map { ($0.formID, $0.kind) })
        return groups.sorted { (kinds[$0.formID] == SurveyKind.sipas.rawValue ? 1 : 0, $0.code) < (kinds[$1.formID] == SurveyKind.sipas.rawValue ? 1 : 0, $1.code) }
            .map { .init(name: $0.name, ballots: counts[$0.code] ?? 0) }
    }
}
