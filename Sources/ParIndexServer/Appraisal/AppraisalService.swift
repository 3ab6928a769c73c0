import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Appraisal, explanation and council adjustment. Each write checks the stage's window,
/// that the unit has submitted, that the appraiser is assigned to the criterion, the reason
/// rule and the version the client saw; and is audited in its transaction.
struct AppraisalService: ContextService {
    let context: ServiceContext
    var actorName: String { context.actor.name }

    // MARK: Assignments

    func assign(_ campaignID: UUID, _ input: AssignAppraiserInput) async throws -> AppraiserAssignmentDTO {
        let c = try await CampaignService(context: context).find(campaignID)
        try await context.requirePermission(.campaignsManage, onCampaign: c)
        let framework = try await FrameworkCache.shared.framework(c.framework)
        var problems: [AppError.FieldProblem] = []
        let node = framework.node(code: input.nodeCode.trimmingCharacters(in: .whitespaces))
        if node == nil { problems.append(.init(field: "nodeCode", message: "Bộ chỉ số không có mục “\(input.nodeCode)”.")) }
        let user = try await UserModel.query(on: db).filter(\.$username == UserModel.normalise(username: input.username))
            .with(\.$roles).first()
        if user == nil { problems.append(.init(field: "username", message: "Không tìm thấy người dùng “\(input.username)”.")) }
        else if !(try await CampaignAccess.holds(AccessPolicy(assignments: user!.roles.compactMap(\.assignment)), .appraisalsRound,
                                                  inCampaign: c, on: db)) {
            problems.append(.init(field: "username", message: "Người dùng “\(input.username)” không có quyền thẩm định (vai trò thẩm định) trên đơn vị chủ trì hay đơn vị nào của đợt đánh giá này."))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let a = AppraiserAssignmentModel()
        a.$campaign.id = campaignID
        a.$user.id = user!.id!
        a.nodeCode = node!.code
        let username = user!.username
        try await db.writeTransaction { db in
            try await a.create(on: db)
            try await context.audit(on: db, "appraisal.assign", entity: "campaign", entityID: campaignID.uuidString,
                                    after: ["appraiser": username, "node": a.nodeCode], reason: input.reason)
        }
        return AppraiserAssignmentDTO(id: a.id!, username: username, nodeCode: a.nodeCode, nodeTitle: node!.title)
    }

    func assignments(_ campaignID: UUID) async throws -> [AppraiserAssignmentDTO] {
        let c = try await CampaignService(context: context).find(campaignID)
        try await context.requireVisible(c, unitPermission: .appraisalsRead)
        let framework = try await FrameworkCache.shared.framework(c.framework)
        return try await AppraiserAssignmentModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$user).all()
            .map { AppraiserAssignmentDTO(id: $0.id!, username: $0.user.username, nodeCode: $0.nodeCode,
                                          nodeTitle: framework.node(code: $0.nodeCode)?.title ?? "") }
            .sorted { ($0.nodeCode, $0.username) < ($1.nodeCode, $1.username) }
    }

    /// Codes the current user may appraise in a campaign; nil means every leaf (coordinator, council).
    func assignedCodes(_ campaignID: UUID) async throws -> [String]? {
        let user = try context.requireUser()
        if user.policy.allowsSomewhere(.appraisalsAdjust) { return nil }
        if let owner = try await CampaignModel.find(campaignID, on: db)?.$ownerUnit.id,
           try await context.holds(.campaignsManage, onOwner: owner) { return nil }
        return try await AppraiserAssignmentModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$user.$id == user.id).all().map(\.nodeCode)
    }

    // MARK: Queue

    func queue(_ campaignID: UUID, unitCode: String?) async throws -> [AppraisalRowDTO] {
        let c = try await CampaignService(context: context).find(campaignID)
        try await context.requireVisible(c, unitPermission: .appraisalsRead)
        let framework = try await FrameworkCache.shared.framework(c.framework)
        let codes = try await assignedCodes(campaignID)
        var q = AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$status == AssessmentStatus.submitted.rawValue).with(\.$unit)
        if let unitCode, !unitCode.isEmpty {
            let unit = try await UnitModel.query(on: db).filter(\.$code == unitCode).first()
            q = q.filter(\.$unit.$id == (unit?.id ?? UUID()))
        }
        // A unit-scoped appraiser queues their units only (issue #20).
        if let visible = try await context.unitsVisible(for: .appraisalsRead) { q = q.filter(\.$unit.$id ~~ Array(visible)) }
        let assessments = try await q.all().sortedVietnamese(by: { $0.unit.name })
        guard !assessments.isEmpty else { return [] }
        let ids = assessments.map { $0.id! }
        let entries = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let stages = try await AppraisalModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let explanations = try await ExplanationModel.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let entryBy = Dictionary(uniqueKeysWithValues: entries.map { ("\($0.$assessment.id)/\($0.leafCode)", $0) })
        let stageBy = Dictionary(grouping: stages, by: { "\($0.$assessment.id)/\($0.leafCode)" })
        let explBy = Dictionary(uniqueKeysWithValues: explanations.map { ("\($0.$assessment.id)/\($0.leafCode)", $0.text) })
        let leaves = AssessmentService.selfScoredLeaves(framework)
            .filter { leaf in codes.map { AppraisalRules.covers($0, leaf: leaf.code) } ?? true }
        var rows: [AppraisalRowDTO] = []
        for a in assessments {
            let docs = try await EvidenceService(context: context).documents(of: a.id!)
            for leaf in leaves {
                let key = "\(a.id!)/\(leaf.code)"
                rows.append(row(a, leaf, entry: entryBy[key], stages: stageBy[key] ?? [], explanation: explBy[key],
                                evidence: docs.filter { $0.leafCodes.contains(leaf.code) }
                                    .map { EvidenceRefDTO(id: $0.id, documentNumber: $0.documentNumber, title: $0.title) }))
            }
        }
        return rows
    }

    private func row(_ a: AssessmentModel, _ leaf: FrameworkNode, entry: AssessmentEntryModel?, stages: [AppraisalModel],
                     explanation: String?, evidence: [EvidenceRefDTO]) -> AppraisalRowDTO {
        func value(_ s: AppraisalStage) -> StageValueDTO? {
            stages.first { $0.stage == s.rawValue }.map {
                StageValueDTO(stage: $0.stage, input: $0.input, inputDisplay: InputDisplay.text($0.input, method: leaf.method),
                              points: $0.points, pointsDisplay: VietnameseNumber.format($0.points), reason: $0.reason,
                              appraiser: $0.appraiser, version: $0.version)
            }
        }
        let r1 = value(.round1), r2 = value(.round2), council = value(.council)
        let standing = council ?? r2 ?? r1
        let standingPoints = standing?.points ?? entry?.points ?? 0
        let latestInput = standing?.input ?? entry?.input
        var levels: [LevelOptionDTO]?
        if case let .levels(ls) = leaf.method {
            levels = ls.map { l in
                var selected = false
                if case let .level(id) = latestInput { selected = id == l.id }
                return LevelOptionDTO(id: l.id, label: l.label, pointsDisplay: VietnameseNumber.format(l.points), selected: selected)
            }
        }
        return AppraisalRowDTO(
            assessmentId: a.id!, unitCode: a.unit.code, unitName: a.unit.name, leafCode: leaf.code, title: leaf.title,
            maxDisplay: VietnameseNumber.format(leaf.maxPoints), methodKind: leaf.method?.kind,
            ruleText: leaf.method?.ruleTextVI(maxPoints: leaf.maxPoints), claimed: entry?.input,
            claimedDisplay: InputDisplay.text(entry?.input, method: leaf.method),
            claimedPointsDisplay: entry?.input == nil ? "—" : VietnameseNumber.format(entry!.points),
            unitNote: entry?.explanation ?? "", evidence: evidence, round1: r1, explanation: explanation, round2: r2,
            council: council, standingPointsDisplay: VietnameseNumber.format(standingPoints),
            form: AssessmentService.formValues(latestInput), levels: levels,
            formulaInputs: { () -> [FormulaInputValueDTO]? in
                guard case let .formula(f)? = leaf.method else { return nil }
                let values = AssessmentService.formValues(latestInput)
                return f.inputs.map { FormulaInputValueDTO(name: $0.name, label: $0.label, value: values["v.\($0.name)"] ?? "") }
            }(), allowsNotApplicable: leaf.allowsNotApplicable)
    }

    // MARK: Writes

    func appraise(_ a: AssessmentModel, leafCode: String, _ body: AppraisalInput) async throws -> AppraisalModel {
        guard let stage = AppraisalStage(rawValue: body.stage) else {
            throw AppError.validation([.init(field: "stage", message: "Vòng thẩm định “\(body.stage)” không hợp lệ.")])
        }
        // The council adjusts; appraisers appraise (issue #19: permissions, not role names).
        try await context.requirePermission(stage == .council ? .appraisalsAdjust : .appraisalsRound, onUnit: a.$unit.id)
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        guard let leaf = framework.node(code: leafCode), leaf.isLeaf, let method = leaf.method, method.isSelfScored else {
            throw AppError.notFound(entity: "tiêu chí “\(leafCode)”")
        }
        // A quick refusal in the order users know; the transaction checks again on the locked row.
        guard a.assessmentStatus == .submitted else { throw AppraisalError.notSubmitted }
        if stage != .council, let codes = try await assignedCodes(a.$campaign.id), !AppraisalRules.covers(codes, leaf: leafCode) {
            throw AppraisalError.notAssigned(leaf: leafCode)
        }
        try a.campaign.schedule.requireOpen(stage.phase, unit: nil, at: context.clock.now())
        let input: LeafInput
        if let given = body.input { input = given } else {
            do {
                guard let parsed = try LeafInputForm.parse(method: method, fields: body.fields ?? [:]) else {
                    throw AppError.validation([.init(field: "input", message: "Nhập kết quả thẩm định cho tiêu chí \(leafCode).")])
                }
                input = parsed
            } catch let e as LeafInputForm.FieldError { throw AppError.validation([.init(field: e.field, message: e.messageVI)]) }
        }
        do { try LeafScorer.validate(method, maxPoints: leaf.maxPoints, allowsNotApplicable: leaf.allowsNotApplicable, input: input) }
        catch { throw AppError.validation([.init(field: "input", message: "Tiêu chí \(leafCode): \(error.messageVI)")]) }
        let reason = try TextRules.validated(body.reason ?? "", .multiline, field: "reason", fieldVI: "Lý do thẩm định",
                                             maxLength: TextRules.reasonMaxLength)
        let seen = try VersionedWrite.expected(body.version, context.ifMatch, entity: "kết quả thẩm định tiêu chí \(leafCode) (\(stage.labelVI))")
        let points = LeafScorer.score(method, maxPoints: leaf.maxPoints, allowsNotApplicable: leaf.allowsNotApplicable,
                                      input: input, best: { if case let .value(v) = input { return v }; return 0 }()).points
        let actor = actorName, assessmentID = a.id!, now = context.clock.now()
        let table = AppraisalModel.schema
        return try await db.writeTransaction { db in
            // Issue #19: submitted, window and publication are checked here, on the locked row.
            try await VersionedWrite.lock(AssessmentModel.schema, id: assessmentID, on: db)
            let current = try await AssessmentService.fresh(assessmentID, on: db)
            try await PublicationLock.requireWritable(current.$campaign.id, .appraisal, on: db)
            guard current.assessmentStatus == .submitted else { throw AppraisalError.notSubmitted }
            try current.campaign.schedule.requireOpen(stage.phase, unit: nil, at: now)
            let claimed = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id == assessmentID)
                .filter(\.$leafCode == leafCode).first()?.input
            try AppraisalRules.check(leaf: leafCode, claimed: claimed, appraised: input, reason: reason)
            let stale: @Sendable () async throws -> AppError = {
                try await Self.staleAppraisal(assessmentID, leafCode, stage, seen: seen, on: db)
            }
            let m: AppraisalModel
            var before: [String: String]?
            if seen == 0 {
                try await VersionedWrite.claimNew(table, values: [
                    ("id", UUID()), ("assessment_id", assessmentID), ("leaf_code", leafCode), ("stage", stage.rawValue),
                    ("input", "null"), ("points", 0.0), ("reason", ""), ("appraiser", ""),
                ], key: ["assessment_id", "leaf_code", "stage"], on: db, stale: stale)
                guard let created = try await Self.appraisal(assessmentID, leafCode, stage, on: db) else { throw try await stale() }
                m = created
            } else {
                guard let existing = try await Self.appraisal(assessmentID, leafCode, stage, on: db) else { throw try await stale() }
                before = ["input": existing.inputJSON, "points": String(existing.points), "reason": existing.reason]
                existing.version = try await VersionedWrite.claim(table, id: existing.id!, expected: seen, on: db, stale: stale)
                m = existing
            }
            m.input = input
            m.points = points
            m.reason = reason
            m.appraiser = actor
            try await m.save(on: db)
            try await context.audit(on: db, "appraisal.\(stage.rawValue)", entity: "appraisal", entityID: "\(assessmentID)/\(leafCode)",
                                    unitID: current.$unit.id, before: before,
                                    after: ["input": m.inputJSON, "points": String(points), "reason": reason], reason: reason)
            if stage == .round1 {
                // Round-1 comments reach the unit; a changed result invites an explanation. The
                // notice commits with the appraisal (issue #19: outbox), so a refused write notifies nobody.
                try await Notifier.send(.init(
                    key: "appraisal-r1/\(assessmentID)/\(leafCode)/\(Int(now.timeIntervalSince1970))",
                    title: claimed != input ? "Có ý kiến thẩm định cần giải trình" : "Có kết quả thẩm định vòng 1",
                    body: "Tiêu chí \(leafCode): \(VietnameseNumber.format(points)) điểm" + (reason.isEmpty ? "." : " — \(reason)"),
                    link: "/assessments/\(assessmentID)#leaf-\(leafCode)"), to: try await Notifier.unitStaff(current.$unit.id, on: db),
                    on: db, now: now)
            }
            return m
        }
    }

    private static func appraisal(_ assessmentID: UUID, _ leafCode: String, _ stage: AppraisalStage,
                                  on db: any Database) async throws -> AppraisalModel? {
        try await AppraisalModel.query(on: db).filter(\.$assessment.$id == assessmentID)
            .filter(\.$leafCode == leafCode).filter(\.$stage == stage.rawValue).first()
    }

    private static func staleAppraisal(_ assessmentID: UUID, _ leafCode: String, _ stage: AppraisalStage, seen: Int,
                                       on db: any Database) async throws -> AppError {
        guard let m = try await appraisal(assessmentID, leafCode, stage, on: db) else {
            return .staleVersion("Tiêu chí \(leafCode) chưa có kết quả \(stage.labelVI.lowercased()) (phiên bản 0), nhưng yêu cầu gửi phiên bản \(seen). Tải lại để xem rồi lưu lại; dữ liệu của bạn chưa được ghi.")
        }
        return .staleVersion("Kết quả \(stage.labelVI.lowercased()) tiêu chí \(leafCode) vừa được \(m.appraiser.isEmpty ? "người khác" : m.appraiser) sửa (phiên bản hiện tại \(m.version), bạn đang sửa phiên bản \(seen)). Tải lại để xem rồi lưu lại; dữ liệu của bạn chưa được ghi.")
    }

    /// The unit's one answer to a round-1 comment, in the explanation window. README: round-1
    /// comments reach the unit, "which may explain once": a second explanation of the same
    /// criterion is refused, checked inside the write so two concurrent sends cannot both pass
    /// (the unique index on assessment and leaf backs it).
    func explain(_ a: AssessmentModel, leafCode: String, _ body: ExplanationInput) async throws -> ExplanationModel {
        try a.campaign.schedule.requireOpen(.explanation, unit: a.$unit.id, at: context.clock.now())
        let text = try TextRules.validated(body.text, .multiline, field: "text", fieldVI: "Nội dung giải trình",
                                           maxLength: 4000, required: true)
        let actor = actorName, assessmentID = a.id!, now = context.clock.now()
        do {
            return try await db.writeTransaction { db in
                // Issue #19: window, publication and the round-1 result are read here, on the locked row.
                try await VersionedWrite.lock(AssessmentModel.schema, id: assessmentID, on: db)
                let current = try await AssessmentService.fresh(assessmentID, on: db)
                try await PublicationLock.requireWritable(current.$campaign.id, .explanation, on: db)
                try current.campaign.schedule.requireOpen(.explanation, unit: current.$unit.id, at: now)
                let claimed = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id == assessmentID)
                    .filter(\.$leafCode == leafCode).first()?.input
                guard let r1 = try await Self.appraisal(assessmentID, leafCode, .round1, on: db), r1.input != claimed else {
                    throw AppraisalError.explanationNotRequested(leaf: leafCode)
                }
                if try await ExplanationModel.query(on: db).filter(\.$assessment.$id == assessmentID).filter(\.$leafCode == leafCode).first() != nil {
                    throw AppError.alreadyExplained(leaf: leafCode)
                }
                let m = ExplanationModel()
                m.$assessment.id = assessmentID
                m.leafCode = leafCode
                m.text = text
                m.author = actor
                try await m.save(on: db)
                try await context.audit(on: db, "appraisal.explanation", entity: "explanation", entityID: "\(assessmentID)/\(leafCode)",
                                        unitID: current.$unit.id, after: ["text": text])
                return m
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            // A concurrent first explanation won the unique index.
            throw AppError.alreadyExplained(leaf: leafCode)
        }
    }
}

/// A leaf input as a person reads it (`45/50`, `Có`, the level's label…).
/// An input as the person typed it: every digit (50,941 stays 50,941), formula inputs by their labels.
enum InputDisplay {
    static func text(_ input: LeafInput?, method: ScoringMethod?) -> String {
        func n(_ v: Double) -> String { VietnameseNumber.format(v, fractionDigits: 9) }
        switch input {
        case .none: return "—"
        case .notApplicable: return "Không áp dụng"
        case let .yesNo(b): return b ? "Có" : "Không"
        case let .level(id):
            if case let .levels(ls) = method, let l = ls.first(where: { $0.id == id }) { return l.label } else { return id }
        case let .ratio(num, d): return "\(n(num))/\(n(d))"
        case let .value(v): return n(v)
        case let .count(c): return "\(c) lần"
        case let .points(p): return "\(n(p)) điểm"
        case let .values(v):
            let labels: [String: String] = if case let .formula(f)? = method {
                Dictionary(f.inputs.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
            } else { [:] }
            return v.sorted { $0.key < $1.key }.map { "\(labels[$0.key] ?? $0.key) = \(n($0.value))" }.joined(separator: "; ")
        }
    }
}
