import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The self-assessment grid and its writes. Every write checks, on the server: the unit
/// scope, the self-assessment window (with any reopening), the lock, and the version the
/// client saw, then records an audit line in the same transaction.
package struct AssessmentService: ContextService {
    let context: ServiceContext

    static func selfScoredLeaves(_ f: Framework) -> [FrameworkNode] {
        f.leaves.filter { $0.method?.isSelfScored ?? false }
    }

    var actorName: String { context.actor.name }

    // MARK: Reading

    func grid(_ a: AssessmentModel) async throws -> AssessmentGridDTO {
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        let entries = Dictionary(uniqueKeysWithValues: try await AssessmentEntryModel.query(on: db)
            .filter(\.$assessment.$id == a.id!).all().map { ($0.leafCode, $0) })
        let documents = try await EvidenceService(context: context).documents(of: a.id!)
        var evidenceByLeaf: [String: [EvidenceRefDTO]] = [:]
        for d in documents { for code in d.leafCodes {
            evidenceByLeaf[code, default: []].append(.init(id: d.id, documentNumber: d.documentNumber, title: d.title))
        } }
        let leaves = Self.selfScoredLeaves(framework)
        let progress = AssessmentProgress.compute(
            selfScoredLeaves: leaves.map(\.code),
            entries: entries.mapValues { .init(input: $0.input, points: $0.points, evidenceCount: evidenceByLeaf[$0.leafCode]?.count ?? 0,
                                                explanation: $0.explanation) })
        let round1 = Dictionary(uniqueKeysWithValues: try await AppraisalModel.query(on: db).filter(\.$assessment.$id == a.id!)
            .filter(\.$stage == AppraisalStage.round1.rawValue).all().map { ($0.leafCode, $0) })
        let explanations = Dictionary(uniqueKeysWithValues: try await ExplanationModel.query(on: db)
            .filter(\.$assessment.$id == a.id!).all().map { ($0.leafCode, $0.text) })
        let rows = framework.allNodes.map { flat in
            var r = row(flat, entry: entries[flat.node.code], evidence: evidenceByLeaf[flat.node.code] ?? [],
                        warnings: progress.warnings[flat.node.code] ?? [])
            if let r1 = round1[flat.node.code] {
                r.appraisalComment = "\(InputDisplay.text(r1.input, method: flat.node.method)) → \(VietnameseNumber.format(r1.points)) điểm"
                    + (r1.reason.isEmpty ? "" : " — \(r1.reason)")
                r.explanationRequested = r1.input != entries[flat.node.code]?.input
            }
            r.unitExplanation = explanations[flat.node.code]
            return r
        }
        let schedule = a.campaign.schedule
        var closedMessage: String?
        do { try schedule.requireOpen(.selfAssessment, unit: a.$unit.id, at: context.clock.now()) } catch { closedMessage = error.messageVI }
        if a.assessmentStatus == .submitted { closedMessage = AssessmentWorkflowError.locked.messageVI }
        // Issue #19: a published campaign's self-assessment is read-only; the grid says so and offers no form.
        do { try await PublicationLock.requireWritable(a.$campaign.id, .selfAssessment, on: db) } catch let e as AppError { closedMessage = e.messageVI }
        // The claim as the engine totals it: penalties subtract, bonuses and parents are capped.
        let inputs = entries.compactMapValues(\.input)
        let claimed = ResultsEngine(framework: framework)
            .compute([UnitSubmission(unitID: a.$unit.id, name: a.unit.name, inputs: inputs)]).units.first?.rawPoints ?? 0
        return AssessmentGridDTO(
            id: a.id!, campaignId: a.$campaign.id, campaignName: a.campaign.name, unitId: a.$unit.id, unitCode: a.unit.code,
            unitName: a.unit.name, status: a.status, statusLabel: a.assessmentStatus.labelVI, version: a.version,
            deadline: schedule.windows[.selfAssessment]?.lastDayVI, isOpen: closedMessage == nil, closedMessage: closedMessage,
            filled: progress.filled, total: progress.total, claimedPoints: claimed,
            claimedDisplay: VietnameseNumber.format(claimed), rows: rows, documents: documents,
            explanationOpen: schedule.decision(.explanation, unit: a.$unit.id, at: context.clock.now()) == .open)
    }

    private func row(_ flat: FlatNode, entry: AssessmentEntryModel?, evidence: [EvidenceRefDTO],
                     warnings: [AssessmentProgress.Warning]) -> AssessmentRowDTO {
        let n = flat.node
        let input = entry?.input
        var levels: [LevelOptionDTO]?
        var formula: [FormulaFieldDTO]?
        if case let .levels(ls) = n.method {
            levels = ls.map { l in
                var selected = false
                if case let .level(id) = input { selected = id == l.id }
                return LevelOptionDTO(id: l.id, label: l.label, pointsDisplay: VietnameseNumber.format(l.points), selected: selected)
            }
        }
        if case let .formula(f) = n.method {
            var values: [String: Double] = [:]
            if case let .values(v) = input { values = v }
            formula = f.inputs.map { FormulaFieldDTO(name: $0.name, label: $0.label, value: values[$0.name].map { VietnameseNumber.format($0) } ?? "") }
        }
        let scored = n.isLeaf && (n.method?.isSelfScored ?? false)
        return AssessmentRowDTO(
            code: n.code, title: n.title, depth: flat.depth, isLeaf: n.isLeaf, selfScored: scored, maxPoints: n.maxPoints,
            maxDisplay: VietnameseNumber.format(n.maxPoints), methodKind: n.method?.kind, methodName: n.method?.nameVI,
            ruleText: n.method?.ruleTextVI(maxPoints: n.maxPoints), guidance: n.guidance, evidenceAsked: n.evidence,
            allowsNotApplicable: n.allowsNotApplicable, levels: levels, formulaInputs: formula, input: input,
            inputDisplay: n.isLeaf ? InputDisplay.text(input, method: n.method) : "",
            form: Self.formValues(input), points: entry?.input == nil ? nil : entry?.points,
            pointsDisplay: entry?.input == nil ? "" : Self.pointsText(n, entry!),
            explanation: entry?.explanation ?? "", note: entry?.note ?? "", version: entry?.version ?? 0,
            warnings: warnings.map(\.messageVI), evidence: evidence, appraisalComment: nil,
            explanationRequested: false, unitExplanation: nil)
    }

    private static func pointsText(_ n: FrameworkNode, _ e: AssessmentEntryModel) -> String {
        if case .notApplicable = e.input { return "Không áp dụng" }
        if case .normalizedRatio = n.method { return "Tính khi tổng hợp (so với đơn vị cao nhất)" }
        return VietnameseNumber.format(e.points)
    }

    static func formValues(_ input: LeafInput?) -> [String: String] {
        // Every digit the value has (issue #12: a claim of 50,941 pre-filled as 50,94 was
        // then refused as a change without a reason); 9 places trim float noise such as 0,30000000000000004.
        func n(_ v: Double) -> String { VietnameseNumber.format(v, fractionDigits: 9) }
        return switch input {
        case .none: [:]
        case .notApplicable: ["na": "1"]
        case let .yesNo(b): ["value": b ? "yes" : "no"]
        case let .level(id): ["level": id]
        case let .ratio(num, d): ["numerator": n(num), "denominator": n(d)]
        case let .value(v): ["value": n(v)]
        case let .count(c): ["count": String(c)]
        case let .points(p): ["points": n(p)]
        case let .values(v): Dictionary(uniqueKeysWithValues: v.map { ("v.\($0.key)", n($0.value)) })
        }
    }

    // MARK: Writing

    /// The points a form's fields would yield, without saving (the grid shows them as the
    /// person types). Errors come back as Vietnamese text instead of a refusal.
    func preview(_ a: AssessmentModel, leafCode: String, fields: [String: String]) async throws -> PreviewDTO {
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        guard let node = framework.node(code: leafCode), node.isLeaf, let method = node.method else {
            throw AppError.notFound(entity: "tiêu chí “\(leafCode)”")
        }
        do {
            guard let input = try LeafInputForm.parse(method: method, fields: fields) else {
                return PreviewDTO(points: nil, pointsDisplay: "", message: nil)
            }
            try LeafScorer.validate(method, maxPoints: node.maxPoints, allowsNotApplicable: node.allowsNotApplicable, input: input)
            if case .notApplicable = input { return PreviewDTO(points: nil, pointsDisplay: "Không áp dụng", message: nil) }
            let p = Self.previewPoints(node, input)
            return PreviewDTO(points: p, pointsDisplay: VietnameseNumber.format(p), message: nil)
        } catch let e as any DomainError {
            return PreviewDTO(points: nil, pointsDisplay: "", message: e.messageVI)
        }
    }

    /// Checks that the unit may still write to its self-assessment now.
    func requireWritable(_ a: AssessmentModel) throws {
        try a.campaign.schedule.requireOpen(.selfAssessment, unit: a.$unit.id, at: context.clock.now())
        if a.assessmentStatus == .submitted { throw AssessmentWorkflowError.locked }
    }

    /// The assessment as it stands inside a write transaction, locked (PostgreSQL) and checked
    /// there: published, window, submitted. Issue #19: these checks ran on a copy read before
    /// the transaction, so a save racing a submission put a submitted assessment back to draft.
    private func lockedWritable(_ id: UUID, on db: any Database) async throws -> AssessmentModel {
        try await VersionedWrite.lock(AssessmentModel.schema, id: id, on: db)
        let a = try await Self.fresh(id, on: db)
        try await PublicationLock.requireWritable(a.$campaign.id, .selfAssessment, on: db)
        try requireWritable(a)
        return a
    }

    static func fresh(_ id: UUID, on db: any Database) async throws -> AssessmentModel {
        guard let a = try await AssessmentModel.query(on: db).filter(\.$id == id).with(\.$campaign).first() else {
            throw AppError.notFound(entity: "bản tự đánh giá")
        }
        return a
    }

    func save(_ a: AssessmentModel, leafCode: String, _ body: EntryInput) async throws -> AssessmentEntryModel {
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        guard let node = framework.node(code: leafCode), node.isLeaf, let method = node.method else {
            throw AppError.notFound(entity: "tiêu chí “\(leafCode)”")
        }
        guard method.isSelfScored else {
            throw AppError.validation([.init(field: "input", message: "Tiêu chí \(leafCode) lấy điểm từ điều tra xã hội học, đơn vị không tự chấm.")])
        }
        // A quick refusal before parsing; the transaction checks again on the locked row.
        try requireWritable(a)
        let seen = try VersionedWrite.expected(body.version, context.ifMatch, entity: "tiêu chí \(leafCode)")
        let change = try readInput(body, method: method, node: node)
        // Refused, not cut: `prefix` counted Characters, so one letter with 100.000 marks was kept whole (issue #20).
        let explanation = try body.explanation.map { try TextRules.validated($0, .multiline, field: "explanation", fieldVI: "Giải trình", maxLength: 4000) }
        let note = try body.note.map { try TextRules.validated($0, .multiline, field: "note", fieldVI: "Ghi chú", maxLength: 2000) }
        let assessmentID = a.id!, actor = actorName
        let table = AssessmentEntryModel.schema
        let result = try await db.writeTransaction { db in
            let current = try await lockedWritable(assessmentID, on: db)
            let stale: @Sendable () async throws -> AppError = { try await Self.staleEntry(assessmentID, leafCode, seen: seen, on: db) }
            let before: EntrySnapshot
            let entry: AssessmentEntryModel
            if seen == 0 {
                // A first save: the unique index on (assessment, leaf) decides between two of them.
                before = EntrySnapshot(AssessmentEntryModel(assessmentID: assessmentID, leafCode: leafCode))
                try await VersionedWrite.claimNew(table, values: [
                    ("id", UUID()), ("assessment_id", assessmentID), ("leaf_code", leafCode),
                    ("points", 0.0), ("explanation", ""), ("note", ""),
                ], key: ["assessment_id", "leaf_code"], on: db, stale: stale)
                guard let created = try await Self.entry(assessmentID, leafCode, on: db) else { throw try await stale() }
                entry = created
            } else {
                guard let existing = try await Self.entry(assessmentID, leafCode, on: db) else { throw try await stale() }
                before = EntrySnapshot(existing)
                existing.version = try await VersionedWrite.claim(table, id: existing.id!, expected: seen, on: db, stale: stale)
                entry = existing
            }
            switch change {
            case .keep: break
            case .clear:
                entry.input = nil
                entry.points = 0
            case let .set(input):
                entry.input = input
                entry.points = Self.previewPoints(node, input)
            }
            if let explanation { entry.explanation = explanation }
            if let note { entry.note = note }
            entry.updatedBy = actor
            try await entry.save(on: db)
            // The head approves the scores and explanations the report carries; a note is the
            // unit's own working remark and leaves the approval standing (issue #20).
            if before.input != entry.input || before.points != entry.points || before.explanation != entry.explanation {
                try await bumpOnEdit(current, on: db)
            }
            try await context.audit(on: db, "assessment.entry.save", entity: "assessment_entry",
                                    entityID: "\(assessmentID.uuidString)/\(leafCode)", unitID: current.$unit.id,
                                    before: before, after: EntrySnapshot(entry))
            return (entry, current)
        }
        Self.copyState(from: result.1, to: a)
        return result.0
    }

    private static func entry(_ assessmentID: UUID, _ leafCode: String, on db: any Database) async throws -> AssessmentEntryModel? {
        try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id == assessmentID).filter(\.$leafCode == leafCode).first()
    }

    /// Who changed the entry since the client read it, and its current version.
    private static func staleEntry(_ assessmentID: UUID, _ leafCode: String, seen: Int, on db: any Database) async throws -> AppError {
        guard let e = try await entry(assessmentID, leafCode, on: db) else {
            return .staleVersion("Tiêu chí \(leafCode) chưa được lưu lần nào (phiên bản 0), nhưng yêu cầu gửi phiên bản \(seen). Tải lại trang rồi lưu lại; dữ liệu của bạn chưa được ghi.")
        }
        return .staleVersion("Tiêu chí \(leafCode) vừa được \(e.updatedBy ?? "người khác") sửa (phiên bản hiện tại \(e.version), bạn đang sửa phiên bản \(seen)). Tải lại trang để xem thay đổi rồi lưu lại; dữ liệu của bạn chưa được ghi.")
    }

    /// The in-memory assessment the caller holds follows what the transaction wrote.
    private static func copyState(from f: AssessmentModel, to a: AssessmentModel) {
        a.status = f.status
        a.version = f.version
        a.approvedAt = f.approvedAt
        a.approvedBy = f.approvedBy
        a.submittedAt = f.submittedAt
        a.submittedBy = f.submittedBy
    }

    /// The points an input yields as the unit sees it while scoring. A normalised ratio
    /// depends on every unit's value, so the preview scores it against itself.
    package static func previewPoints(_ node: FrameworkNode, _ input: LeafInput) -> Double {
        guard let method = node.method else { return 0 }
        var best = 0.0
        if case let .value(v) = input { best = v }
        return LeafScorer.score(method, maxPoints: node.maxPoints, allowsNotApplicable: node.allowsNotApplicable,
                                input: input, best: best).points
    }

    /// What a save does to the criterion's input.
    enum InputChange: Equatable {
        /// Neither an input nor a filled form field: the saved input stays.
        case keep
        /// `clear: true` (API) or the clear button (`clear=1`, web).
        case clear
        case set(LeafInput)
    }

    private func readInput(_ body: EntryInput, method: ScoringMethod, node: FrameworkNode) throws -> InputChange {
        if body.clear == true { return .clear }
        let parsed: LeafInput?
        if let given = body.input { parsed = given } else {
            do { parsed = try LeafInputForm.parse(method: method, fields: body.fields ?? [:]) } catch {
                throw AppError.validation([.init(field: error.field, message: error.messageVI)])
            }
        }
        guard let input = parsed else { return .keep }
        do {
            try LeafScorer.validate(method, maxPoints: node.maxPoints, allowsNotApplicable: node.allowsNotApplicable, input: input)
        } catch {
            throw AppError.validation([.init(field: "input", message: "Tiêu chí \(node.code): \(error.messageVI)")])
        }
        return .set(input)
    }

    /// Editing withdraws the head's approval: the head approves exactly what is submitted.
    private func bumpOnEdit(_ a: AssessmentModel, on db: any Database) async throws {
        let next = try AssessmentWorkflow.apply(.edit, to: a.assessmentStatus)
        if next != a.assessmentStatus {
            a.status = next.rawValue
            a.approvedAt = nil
            a.approvedBy = nil
            // Unconditional: the approve/submit form a head holds is now stale.
            a.version = try await VersionedWrite.bump(AssessmentModel.schema, id: a.id!, on: db)
            try await a.save(on: db)
        }
    }

    func transition(_ a: AssessmentModel, _ action: AssessmentAction, _ body: TransitionInput) async throws -> AssessmentModel {
        try a.campaign.schedule.requireOpen(.selfAssessment, unit: a.$unit.id, at: context.clock.now())
        let seen = try VersionedWrite.expected(body.version, context.ifMatch, entity: "bản tự đánh giá")
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        let selfScored = Self.selfScoredLeaves(framework).count
        let id = a.id!, actor = actorName, now = context.clock.now()
        let fresh = try await db.writeTransaction { db in
            // The claim takes the row lock: the checks below read the assessment as it stands.
            let version = try await VersionedWrite.claim(AssessmentModel.schema, id: id, expected: seen, on: db) {
                try await Self.staleAssessment(id, seen: seen, on: db)
            }
            let f = try await Self.fresh(id, on: db)
            try await PublicationLock.requireWritable(f.$campaign.id, .selfAssessment, on: db)
            try f.campaign.schedule.requireOpen(.selfAssessment, unit: f.$unit.id, at: now)
            let filled = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id == id)
                .filter(\.$inputJSON != nil).count()
            let before = f.status
            let next = try AssessmentWorkflow.apply(action, to: f.assessmentStatus, missing: selfScored - filled)
            f.status = next.rawValue
            f.version = version
            if action == .approve { f.approvedAt = now; f.approvedBy = actor }
            if action == .submit { f.submittedAt = now; f.submittedBy = actor }
            try await f.save(on: db)
            try await context.audit(on: db, "assessment.\(action.rawValue)", entity: "assessment", entityID: id.uuidString,
                                    unitID: f.$unit.id, before: ["status": before], after: ["status": f.status], reason: body.reason)
            return f
        }
        Self.copyState(from: fresh, to: a)
        return a
    }

    private static func staleAssessment(_ id: UUID, seen: Int, on db: any Database) async throws -> AppError {
        let a = try await fresh(id, on: db)
        return .staleVersion("Bản tự đánh giá vừa thay đổi (hiện là “\(a.assessmentStatus.labelVI)”, phiên bản \(a.version); bạn đang xem phiên bản \(seen)). Tải lại trang rồi thực hiện lại; chưa có gì được ghi.")
    }
}

/// What the audit trail keeps of an entry.
struct EntrySnapshot: Codable, Sendable {
    var input: LeafInput?
    package var points: Double
    package var explanation: String
    var note: String
    package var version: Int

    init(_ e: AssessmentEntryModel) {
        input = e.input
        points = e.points
        explanation = e.explanation
        note = e.note
        version = e.version
    }
}
