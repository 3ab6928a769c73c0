import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Vapor

/// Campaign results: computed live by the engine from every unit's standing inputs (claims
/// as appraised), and frozen on publication. Published numbers never move: a correction is
/// opened with a reason, and the republication that closes it is a new snapshot version with a
/// reason; every version is kept.
package struct ResultsService: ContextService {
    let context: ServiceContext

    package init(context: ServiceContext) { self.context = context }

    /// What each unit stands at and claimed, who submitted and who was appraised, from one read
    /// of the assessments, entries and appraisal stages.
    struct Submissions {
        var standing: [UnitSubmission]
        var claims: [UnitSubmission]
        var submitted: Set<UUID>
        var appraised: Set<UUID>
        var codes: [UUID: String]
    }

    func submissions(_ campaignID: UUID) async throws -> Submissions {
        let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$unit).all()
        let ids = assessments.map { $0.id! }
        var out = Submissions(standing: [], claims: [], submitted: [], appraised: [], codes: [:])
        guard !ids.isEmpty else { return out }
        let entries = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let stages = try await AppraisalModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        var claimed: [UUID: [String: LeafInput]] = [:]
        for e in entries { if let i = e.input { claimed[e.$assessment.id, default: [:]][e.leafCode] = i } }
        var appraised: [UUID: [String: [AppraisalStage: LeafInput]]] = [:]
        for s in stages { if let i = s.input { appraised[s.$assessment.id, default: [:]][s.leafCode, default: [:]][s.appraisalStage] = i } }
        for a in assessments {
            let mine = claimed[a.id!] ?? [:]
            let theirs = appraised[a.id!] ?? [:]
            var inputs: [String: LeafInput] = [:]
            for code in Set(mine.keys).union(theirs.keys) {
                inputs[code] = AppraisalRules.standing(claimed: mine[code], appraised: theirs[code] ?? [:])
            }
            out.standing.append(UnitSubmission(unitID: a.$unit.id, name: a.unit.name, inputs: inputs))
            out.claims.append(UnitSubmission(unitID: a.$unit.id, name: a.unit.name, inputs: mine))
            if a.assessmentStatus == .submitted { out.submitted.insert(a.$unit.id) }
            if !theirs.isEmpty { out.appraised.insert(a.$unit.id) }
            out.codes[a.$unit.id] = a.unit.code
        }
        return out
    }

    /// ``submissions(_:)`` with the survey points: survey criteria are never self-scored, their
    /// points come from the closed ballot batches. Also returns the units that have survey points.
    func inputs(_ campaign: CampaignModel) async throws -> (Submissions, surveyUnits: Set<UUID>) {
        var survey = try await SurveyTallyService.points(campaign: campaign, on: db)
        // Official results (issue #12): the import refuses a criterion that ballots already
        // score, so the two sources never both fill one criterion.
        for (unit, byLeaf) in try await OfficialSurveyService.points(campaignID: campaign.id!, on: db) {
            for (code, official) in byLeaf { survey[unit, default: [:]][code] = official.points }
        }
        func withSurvey(_ subs: [UnitSubmission]) -> [UnitSubmission] {
            subs.map { sub in
                var sub = sub
                for (code, points) in survey[sub.unitID] ?? [:] { sub.inputs[code] = .points(points) }
                return sub
            }
        }
        var s = try await submissions(campaign.id!)
        s.standing = withSurvey(s.standing)
        s.claims = withSurvey(s.claims)
        return (s, Set(survey.filter { !$0.value.isEmpty }.keys))
    }

    /// The live results, computed as a publication would freeze them (ranking, sheets, survey, report inputs).
    func compute(_ campaign: CampaignModel) async throws -> PublishedResults {
        try await ResultsSnapshotBuilder(db: db, results: self).build(campaign)
    }

    // MARK: Snapshots

    func latestSnapshotModel(_ campaignID: UUID) async throws -> ResultSnapshotModel? {
        try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$version, .descending).first()
    }

    func latestSnapshot(_ campaignID: UUID) async throws -> PublishedResults? {
        try await latestSnapshotModel(campaignID).map(Self.decode)
    }

    func snapshot(_ campaignID: UUID, version: Int) async throws -> PublishedResults {
        guard let s = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$version == version).first() else {
            throw AppError.notFound(entity: "phiên bản \(version) của kết quả đã công bố")
        }
        return try Self.decode(s)
    }

    func snapshots(_ campaignID: UUID) async throws -> [PublishedResults] {
        try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$version, .descending).all()
            .map(Self.decode)
    }

    func versions(_ campaignID: UUID) async throws -> [ResultsVersionDTO] {
        try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$version, .descending).all().map { s in
            let r = try Self.decode(s)
            return ResultsVersionDTO(version: s.version, publishedAt: VietnameseDate.formatDateTime(s.publishedAt), publishedBy: s.publishedBy,
                                     reason: s.reason, units: r.units.count, ranked: r.units.filter(\.ranked).count)
        }
    }

    static func encode(_ r: PublishedResults) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var stored = r
        // The row holds these; the JSON holds what was computed.
        stored.version = nil
        stored.publishedAt = nil
        stored.reason = nil
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }

    /// Reads either shape: the current one (numbers only) or the first one (display strings,
    /// parsed back once here; see ``LegacyPublishedResults``).
    static func decode(_ s: ResultSnapshotModel) throws -> PublishedResults {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        struct Probe: Decodable { var shape: Int? }
        let data = Data(s.resultsJSON.utf8)
        var r: PublishedResults
        if (try d.decode(Probe.self, from: data).shape ?? 1) >= PublishedResults.currentShape {
            r = try d.decode(PublishedResults.self, from: data)
        } else {
            r = try d.decode(LegacyPublishedResults.self, from: data).current
        }
        r.version = s.version
        r.publishedAt = s.publishedAt
        r.reason = s.reason
        return r
    }

    // MARK: Publication

    /// How a publication is confirmed: the token of the preview the publisher saw (web and
    /// API), or — for the demo loader only, which publishes as the system — the preview
    /// computed in the same transaction.
    enum Confirmation: Sendable {
        case token(String?)
        case computedInProcess
    }

    /// What publishing now would put out, and why it would be refused (if it would).
    func preview(_ campaignID: UUID, at instant: Date? = nil) async throws -> PublicationPreviewDTO {
        let campaign = try await findCampaign(campaignID)
        let results = try await compute(campaign)
        let current = try await latestSnapshotModel(campaignID)
        let correction = try await ResultCorrectionModel.open(campaignID, on: db)
        let preview = try await Self.preview(results, version: (current?.version ?? 0) + 1, framework: campaign)
        var refusal: (any DomainError)?
        do {
            try PublicationPreconditions.check(preview, schedule: campaign.schedule, at: instant ?? now, alreadyPublished: current != nil,
                                               correctionOpen: correction != nil)
        } catch { refusal = error }
        return PublicationPreviewDTO(campaignID: campaignID, preview, refusal: refusal, correctionOpen: correction != nil)
    }

    private static func preview(_ r: PublishedResults, version: Int, framework campaign: CampaignModel) async throws -> PublicationPreview {
        let framework = try await FrameworkCache.shared.framework(campaign.framework)
        let surveyExpected = framework.leaves.contains { if case .survey? = $0.method { true } else { false } }
        return PublicationPreconditions.preview(
            r.units.map { u in
                .init(unitID: u.unitId, name: u.unitName, submitted: u.submitted, appraised: u.appraised, hasSurveyPoints: u.hasSurveyPoints,
                      rank: u.ranked ? u.rank : 0, previousRank: u.previousRank, totalPoints: u.totalPoints, indexPercent: u.indexPercent)
            }, version: version, policy: r.unsubmittedPolicy, surveyExpected: surveyExpected)
    }

    private var now: Date { context.clock.now() }

    private func findCampaign(_ id: UUID) async throws -> CampaignModel {
        guard let campaign = try await CampaignModel.query(on: db).filter(\.$id == id).with(\.$framework).first() else {
            throw AppError.notFound(entity: "đợt đánh giá")
        }
        return campaign
    }

    /// Freezes the current results as the next version. Allowed only in the council review or
    /// publication window, with a confirmation matching what would go out, and — once
    /// published — only through an open correction and with a reason; the window, the
    /// correction and the confirmation are checked inside the write transaction on a fresh
    /// read (issue #19). `instant` is the publication's time (the demo publishes in 2023).
    func publish(_ campaignID: UUID, reason: String?, confirmation: Confirmation, at instant: Date? = nil) async throws -> PublishedResults {
        let why = try TextRules.validated(reason ?? "", .multiline, field: "reason", fieldVI: "Lý do công bố lại",
                                          maxLength: TextRules.reasonMaxLength)
        // Only the system (the demo loader) publishes without a preview; a person confirms one.
        if case .computedInProcess = confirmation, !context.isSystem {
            throw AppError.publicationNotConfirmed("Việc công bố phải được xác nhận sau khi xem trước.")
        }
        let at = instant ?? now
        let context = self.context
        return try await db.writeTransaction { db -> PublishedResults in
            let service = ResultsService(context: context.on(db))
            try await Self.lockCampaign(campaignID, on: db)
            let campaign = try await service.findCampaign(campaignID)
            let current = try await service.latestSnapshotModel(campaignID)
            let correction = try await ResultCorrectionModel.open(campaignID, on: db)
            var results = try await service.compute(campaign)
            let preview = try await Self.preview(results, version: (current?.version ?? 0) + 1, framework: campaign)
            try PublicationPreconditions.check(preview, schedule: campaign.schedule, at: at, alreadyPublished: current != nil,
                                               correctionOpen: correction != nil)
            if current != nil && why.isEmpty {
                throw AppError.validation([.init(field: "reason", message: "Công bố lại kết quả đã công bố phải ghi lý do.")])
            }
            if case let .token(token) = confirmation, token != preview.confirmation {
                throw AppError.publicationNotConfirmed(token == nil || token!.isEmpty
                    ? "Cần xác nhận trước khi công bố: xem trước những gì sẽ công bố (\(Self.summary(preview))) rồi xác nhận."
                    : "Dữ liệu đã thay đổi kể từ lúc xem trước; không công bố. Hiện nay: \(Self.summary(preview)). Hãy xem lại và xác nhận lần nữa.")
            }
            let snapshot = ResultSnapshotModel()
            snapshot.$campaign.id = campaignID
            snapshot.version = preview.version
            snapshot.resultsJSON = try Self.encode(results)
            snapshot.reason = why.isEmpty ? "Công bố lần đầu" : why
            snapshot.publishedBy = context.actor.name
            snapshot.publishedAt = at
            try await snapshot.create(on: db)
            if let correction {
                correction.closedAt = at
                correction.closedByVersion = snapshot.version
                try await correction.save(on: db)
            }
            try await context.audit(on: db, current == nil ? "results.publish" : "results.republish", entity: "campaign",
                                    entityID: campaignID.uuidString, before: current.map { ["version": $0.version] },
                                    after: ["version": snapshot.version, "units": results.units.count,
                                            "ranked": results.units.filter(\.ranked).count, "submitted": preview.submitted.count],
                                    reason: snapshot.reason)
            // Issue #19: the notice (and its e-mail, through the outbox) commits with the
            // snapshot or not at all; it used to be sent after a write that could still fail.
            var recipients = Set(try await Notifier.holders(of: .resultsRead, onOwner: campaign.$ownerUnit.id, on: db))
            for u in results.units { recipients.formUnion(try await Notifier.unitStaff(u.unitId, on: db)) }
            try await Notifier.send(.init(key: "published/\(campaignID)/\(snapshot.version)",
                                          title: snapshot.version == 1 ? "Đã công bố kết quả" : "Đã công bố lại kết quả",
                                          body: "\(campaign.name) (phiên bản \(snapshot.version)).",
                                          link: "/public/campaigns/\(campaignID)"), to: Array(recipients), on: db, now: at)
            results.version = snapshot.version
            results.publishedAt = snapshot.publishedAt
            results.reason = snapshot.reason
            return results
        }
    }

    /// The system's publication (the demo loader publishing 2022 as the council did): the
    /// confirmation is the preview computed in the same transaction. Returns the version.
    package func publishAsSystem(_ campaignID: UUID, at instant: Date) async throws -> Int {
        try await publish(campaignID, reason: nil, confirmation: .computedInProcess, at: instant).version ?? 1
    }

    /// `18 đơn vị: 5 đã nộp, 5 đã thẩm định, 13 chưa nộp, 0 chưa có điểm điều tra`.
    static func summary(_ p: PublicationPreview) -> String {
        "\(VietnameseNumber.format(p.unitCount)) đơn vị: \(VietnameseNumber.format(p.submitted.count)) đã nộp, "
            + "\(VietnameseNumber.format(p.appraised.count)) đã thẩm định, \(VietnameseNumber.format(p.notSubmitted.count)) chưa nộp, "
            + "\(VietnameseNumber.format(p.withoutSurveyPoints.count)) chưa có điểm điều tra xã hội học"
    }

    /// Serialises publications of one campaign on PostgreSQL (SQLite's write transaction is already exclusive).
    private static func lockCampaign(_ id: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT id FROM \(ident: CampaignModel.schema) WHERE id = \(bind: id) FOR UPDATE").run()
    }

    // MARK: Corrections

    /// Opens a correction of a published campaign (issue #19): until the republication closes it,
    /// appraisals and explanations of the campaign may be corrected again.
    func openCorrection(_ campaignID: UUID, reason: String?) async throws -> ResultCorrectionModel {
        let why = try TextRules.validated(reason ?? "", .multiline, field: "reason", fieldVI: "Lý do hiệu chỉnh",
                                          maxLength: TextRules.reasonMaxLength)
        guard !why.isEmpty else {
            throw AppError.validation([.init(field: "reason", message: "Mở hiệu chỉnh kết quả đã công bố phải ghi lý do.")])
        }
        let context = self.context, at = now
        return try await db.writeTransaction { db in
            try await Self.lockCampaign(campaignID, on: db)
            guard let latest = try await ResultsService(context: context.on(db)).latestSnapshotModel(campaignID) else {
                throw AppError.conflict("Kết quả của đợt đánh giá chưa được công bố; chưa có gì để hiệu chỉnh.")
            }
            if let open = try await ResultCorrectionModel.open(campaignID, on: db) {
                throw AppError.conflict("Đợt hiệu chỉnh đã được mở lúc \(VietnameseDate.formatDateTime(open.openedAt)) (\(open.openedBy)): \(open.reason). "
                                        + "Công bố lại kết quả sẽ đóng đợt hiệu chỉnh.")
            }
            let c = ResultCorrectionModel()
            c.$campaign.id = campaignID
            c.reason = why
            c.openedBy = context.actor.name
            c.openedAt = at
            try await c.create(on: db)
            try await context.audit(on: db, "results.correction_open", entity: "campaign", entityID: campaignID.uuidString,
                                    before: ["version": latest.version], after: ["correction": c.id!.uuidString], reason: why)
            return c
        }
    }
}
