import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Campaign results: computed live by the engine from every unit's standing inputs (claims
/// as appraised), and frozen on publication. Published numbers never move: a correction is a
/// new snapshot version with a reason, and every version is kept.
struct ResultsService {
    let db: any Database
    /// The request behind a publication (its user and request id go into the audit line);
    /// nil for the demo loader, which publishes as the system.
    private let request: Request?

    init(request: Request) {
        self.request = request
        self.db = request.db
    }

    init(db: any Database) {
        self.request = nil
        self.db = db
    }

    /// Per unit, what stands (the claim, overridden by the latest appraisal stage) and what it
    /// claimed, from one read of the assessments, entries and appraisal stages.
    func submissionPair(_ campaignID: UUID) async throws -> (standing: [UnitSubmission], claims: [UnitSubmission]) {
        let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$unit).all()
        let ids = assessments.map { $0.id! }
        guard !ids.isEmpty else { return ([], []) }
        let entries = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let stages = try await AppraisalModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        var claimed: [UUID: [String: LeafInput]] = [:]
        for e in entries { if let i = e.input { claimed[e.$assessment.id, default: [:]][e.leafCode] = i } }
        var appraised: [UUID: [String: [AppraisalStage: LeafInput]]] = [:]
        for s in stages { if let i = s.input { appraised[s.$assessment.id, default: [:]][s.leafCode, default: [:]][s.appraisalStage] = i } }
        var standing: [UnitSubmission] = [], claims: [UnitSubmission] = []
        for a in assessments {
            let mine = claimed[a.id!] ?? [:]
            let theirs = appraised[a.id!] ?? [:]
            var inputs: [String: LeafInput] = [:]
            for code in Set(mine.keys).union(theirs.keys) {
                inputs[code] = AppraisalRules.standing(claimed: mine[code], appraised: theirs[code] ?? [:])
            }
            standing.append(UnitSubmission(unitID: a.$unit.id, name: a.unit.name, inputs: inputs))
            claims.append(UnitSubmission(unitID: a.$unit.id, name: a.unit.name, inputs: mine))
        }
        return (standing, claims)
    }

    /// What stands for every unit (claims as appraised) and what each claimed, both with the
    /// survey points: survey criteria are never self-scored, their points come from the closed
    /// ballot batches.
    func inputs(_ campaign: CampaignModel) async throws -> (standing: [UnitSubmission], claims: [UnitSubmission]) {
        let survey = try await SurveyTallyService.points(campaign: campaign, on: db)
        func withSurvey(_ subs: [UnitSubmission]) -> [UnitSubmission] {
            subs.map { sub in
                var sub = sub
                for (code, points) in survey[sub.unitID] ?? [:] { sub.inputs[code] = .points(points) }
                return sub
            }
        }
        let pair = try await submissionPair(campaign.id!)
        return (withSurvey(pair.standing), withSurvey(pair.claims))
    }

    func compute(_ campaign: CampaignModel) async throws -> PublishedResults {
        let framework = try await FrameworkCache.shared.framework(campaign.framework)
        let engine = ResultsEngine(framework: framework)
        var previous: PreviousCampaign?
        if let pid = campaign.$previous.id, let last = try await latestSnapshot(pid) {
            var ranks: [UnitID: Int] = [:]
            for u in last.units { ranks[u.unitId] = u.rank }
            previous = PreviousCampaign(ranks: ranks)
        }
        let inputs = try await inputs(campaign)
        let result = engine.compute(inputs.standing, previous: previous)
        // The council compares what each unit claimed with what stands after appraisal.
        let claims = engine.compute(inputs.claims)
        let claimedTotal = Dictionary(uniqueKeysWithValues: claims.units.map { ($0.unitID, $0.totalPoints) })
        let claimedFields = Dictionary(uniqueKeysWithValues: claims.units.map { u in
            (u.unitID, u.fields.map { $0.percent.map { VietnameseNumber.format($0) + " %" } ?? "—" })
        })
        let codes = Dictionary(uniqueKeysWithValues: try await UnitModel.query(on: db)
            .filter(\.$id ~~ result.units.map(\.unitID)).all().map { ($0.id!, $0.code) })
        let fields = framework.nodes.map { PublishedResults.Field(code: $0.code, title: $0.title, maxDisplay: VietnameseNumber.format($0.maxPoints)) }
        let rows = result.ranking.map { u in
            PublishedResults.UnitRow(
                unitId: u.unitID, unitCode: codes[u.unitID] ?? "", unitName: u.name, rank: u.rank, rankChange: u.rankChange,
                rankChangeText: previous == nil ? "—" : u.rankChange.map { $0 > 0 ? "tăng \($0) bậc" : $0 < 0 ? "giảm \(-$0) bậc" : "không đổi" } ?? "mới",
                totalPoints: u.totalPoints, totalDisplay: VietnameseNumber.format(u.totalPoints),
                claimedDisplay: VietnameseNumber.format(claimedTotal[u.unitID] ?? 0),
                claimedFieldPercents: claimedFields[u.unitID] ?? [],
                maxDisplay: VietnameseNumber.format(u.maxPoints), indexPercent: u.indexPercent,
                indexDisplay: VietnameseNumber.format(u.indexPercent) + " %", band: u.band?.label, rating: u.rating.labelVI,
                fieldPercents: u.fields.map { $0.percent.map { VietnameseNumber.format($0) + " %" } ?? "—" },
                reviewFields: u.reviewFieldCodes, flaggedAgain: u.flaggedAgainAfterReview)
        }
        return PublishedResults(campaignId: campaign.id!, campaignName: campaign.name, frameworkTitle: framework.title,
                                computedAt: Date(), fields: fields, units: rows)
    }

    func latestSnapshot(_ campaignID: UUID) async throws -> PublishedResults? {
        guard let s = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .sort(\.$version, .descending).first() else { return nil }
        return try Self.decode(s)
    }

    func snapshots(_ campaignID: UUID) async throws -> [PublishedResults] {
        try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$version, .descending).all()
            .map(Self.decode)
    }

    static func decode(_ s: ResultSnapshotModel) throws -> PublishedResults {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        var r = try d.decode(PublishedResults.self, from: Data(s.resultsJSON.utf8))
        r.version = s.version
        r.publishedAt = VietnameseDate.formatDateTime(s.publishedAt)
        r.reason = s.reason
        return r
    }

    /// Freezes the current results as the next version; the first publication needs the
    /// council review phase to have started, a republication needs a reason.
    func publish(_ campaignID: UUID, reason: String?) async throws -> PublishedResults {
        guard let campaign = try await CampaignModel.query(on: db).filter(\.$id == campaignID).with(\.$framework).first() else {
            throw AppError.notFound(entity: "đợt đánh giá")
        }
        let current = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .sort(\.$version, .descending).first()
        let why = try TextRules.validated(reason ?? "", .multiline, field: "reason", fieldVI: "Lý do công bố lại",
                                          maxLength: TextRules.reasonMaxLength)
        if current != nil && why.isEmpty {
            throw AppError.validation([.init(field: "reason", message: "Công bố lại kết quả đã công bố phải ghi lý do.")])
        }
        var results = try await compute(campaign)
        guard !results.units.isEmpty else { throw AppError.conflict("Đợt đánh giá chưa có đơn vị nào; không có gì để công bố.") }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let snapshot = ResultSnapshotModel()
        snapshot.$campaign.id = campaignID
        snapshot.version = (current?.version ?? 0) + 1
        snapshot.resultsJSON = String(decoding: try encoder.encode(results), as: UTF8.self)
        snapshot.reason = why.isEmpty ? "Công bố lần đầu" : why
        snapshot.publishedBy = request?.currentUser?.username ?? "system"
        snapshot.publishedAt = Date()
        let unitCount = results.units.count
        try await db.writeTransaction { db in
            try await snapshot.create(on: db)
            try await Audit.record(on: db, actor: request.map(Audit.Actor.init) ?? .system,
                                   action: current == nil ? "results.publish" : "results.republish", entity: "campaign",
                                   entityID: campaignID.uuidString, before: current.map { ["version": $0.version] },
                                   after: ["version": snapshot.version, "units": unitCount], reason: snapshot.reason,
                                   requestID: request?.requestID)
        }
        var recipients = Set(try await Notifier.holders(of: .resultsRead, onOwner: campaign.$ownerUnit.id, on: db))
        for u in results.units { recipients.formUnion(try await Notifier.unitStaff(u.unitId, on: db)) }
        try await Notifier.send(.init(key: "published/\(campaignID)/\(snapshot.version)",
                                      title: snapshot.version == 1 ? "Đã công bố kết quả" : "Đã công bố lại kết quả",
                                      body: "\(campaign.name) (phiên bản \(snapshot.version)).",
                                      link: "/public/campaigns/\(campaignID)"), to: Array(recipients), on: db)
        results.version = snapshot.version
        results.publishedAt = VietnameseDate.formatDateTime(snapshot.publishedAt)
        results.reason = snapshot.reason
        return results
    }
}
