import Crypto
import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Vapor

/// Ballot batches and ballots: the handover record, keyed entry, bulk import (all or nothing),
/// closing with a checksum, audited corrections and the review of flagged ballots.
package struct BallotService: ContextService {
    let context: ServiceContext
    private var plan: SurveyService { SurveyService(context: context) }

    // MARK: Batches

    func campaignUnits(_ campaignID: UUID) async throws -> [UnitModel] {
        try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$unit).all()
            .map(\.unit).sorted { $0.code < $1.code }
    }

    func batches(_ campaignID: UUID) async throws -> [BatchDTO] {
        let batches = try await BallotBatchModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$questionnaire)
            .sort(\.$number).all()
        var out: [BatchDTO] = []
        for b in batches { out.append(try await dto(b)) }
        return out
    }

    func find(_ id: UUID) async throws -> BallotBatchModel {
        guard let b = try await BallotBatchModel.query(on: db).filter(\.$id == id).with(\.$questionnaire).first() else {
            throw AppError.notFound(entity: "lô phiếu")
        }
        return b
    }

    func dto(_ b: BallotBatchModel) async throws -> BatchDTO {
        let counts = try await counts(b)
        return BatchDTO(id: b.id!, number: b.number, questionnaireId: b.$questionnaire.id, formId: b.questionnaire.formID,
                        receivedFrom: b.receivedFrom, receivedBy: b.receivedBy, receivedOn: VietnameseDate.format(b.receivedOn),
                        declaredCount: b.declaredCount, sealed: b.sealed, status: b.status,
                        statusLabel: b.isClosed ? "Đã khóa" : "Đang nhập", enteredCount: counts.ballots, flaggedCount: counts.flagged,
                        checksum: b.checksum, note: b.note, closedBy: b.closedBy,
                        closedAt: b.closedAt.map(VietnameseDate.formatDateTime),
                        declaredDisplay: VietnameseNumber.format(b.declaredCount), enteredDisplay: VietnameseNumber.format(counts.ballots),
                        version: b.version)
    }

    /// Paper ballots entered and rows waiting for review. A ballot rating several units has one
    /// row per unit and counts once; on a one-unit form every row is a sheet of paper, even
    /// two sheets that carry the same number (the second is flagged, and both are counted).
    private func counts(_ batch: BallotBatchModel, on db: (any Database)? = nil) async throws -> (ballots: Int, flagged: Int) {
        let sql = (db ?? self.db) as! any SQLDatabase
        struct Row: Decodable { var n: Int; var f: Int }
        let multiple = (try? batch.questionnaire.questionnaire().targetMode) == .multiple
        let row = try await sql.raw("""
            SELECT \(unsafeRaw: multiple ? "COUNT(DISTINCT ballot_no)" : "COUNT(*)") AS n,
                   COUNT(CASE WHEN review = 'pending' THEN 1 END) AS f
            FROM survey_ballots WHERE batch_id = \(bind: batch.id!) AND voided = \(bind: false)
            """).first(decoding: Row.self)
        return (row?.n ?? 0, row?.f ?? 0)
    }

    func createBatch(_ campaignID: UUID, _ input: BatchInput) async throws -> BallotBatchModel {
        _ = try await plan.campaign(campaignID)
        var problems: [AppError.FieldProblem] = []
        let q = try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$formID == input.formId).first()
        if q == nil { problems.append(.init(field: "formId", message: "Chọn một phiếu điều tra của đợt đánh giá.")) }
        let from = input.receivedFrom.trimmingCharacters(in: .whitespaces)
        let by = input.receivedBy.trimmingCharacters(in: .whitespaces)
        if from.isEmpty { problems.append(.init(field: "receivedFrom", message: "Nhập bên giao (ví dụ: Bưu điện tỉnh).")) }
        if by.isEmpty { problems.append(.init(field: "receivedBy", message: "Nhập người nhận.")) }
        var date: Date?
        do { date = try VietnameseDate.parse(input.receivedOn) } catch {
            problems.append(.init(field: "receivedOn", message: "Ngày nhận phải có dạng dd/mm/yyyy."))
        }
        if input.declaredCount <= 0 || input.declaredCount > 10_000_000 {
            problems.append(.init(field: "declaredCount", message: "Số phiếu bàn giao phải là số dương."))
        }
        guard problems.isEmpty, let q, let date else { throw AppError.validation(problems) }
        return try await db.writeTransaction { db in
            try await PublicationLock.requireWritable(campaignID, .survey, on: db)
            let last = try await BallotBatchModel.query(on: db).filter(\.$campaign.$id == campaignID).max(\.$number) ?? 0
            let b = BallotBatchModel()
            b.$campaign.id = campaignID
            b.$questionnaire.id = q.id!
            b.number = last + 1
            b.receivedFrom = from
            b.receivedBy = by
            b.receivedOn = date
            b.declaredCount = input.declaredCount
            b.sealed = input.sealed ?? true
            b.status = "open"
            b.createdBy = context.actor.name
            b.version = 0
            try await b.create(on: db)
            b.$questionnaire.value = q
            try await context.audit(on: db, "survey.batch.create", entity: "survey_batch", entityID: b.id!.uuidString,
                                    after: input)
            return b
        }
    }

    // MARK: Entry and import

    /// What a batch's ballots are validated against.
    package struct Context {
        var batch: BallotBatchModel
        var questionnaire: Questionnaire
        var units: [UnitModel]
        var validation: BallotImportContext

        package init(batch: BallotBatchModel, questionnaire: Questionnaire, units: [UnitModel], validation: BallotImportContext) {
            self.batch = batch
            self.questionnaire = questionnaire
            self.units = units
            self.validation = validation
        }
    }

    func context(_ batch: BallotBatchModel) async throws -> Context {
        let q = try batch.questionnaire.questionnaire()
        let units = try await campaignUnits(batch.$campaign.id)
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == batch.$campaign.id)
            .filter(\.$formID == q.formID).all().map(\.code)
        let codes = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.code) })
        let sql = db as! any SQLDatabase
        final class Keys: @unchecked Sendable {
            // @unchecked: SQLKit calls the row handler serially, never concurrently.
            var keys = Set<String>()
        }
        let stored = Keys()
        let mode = q.targetMode
        try await sql.raw("""
            SELECT ballot_no, unit_id FROM survey_ballots
            WHERE questionnaire_id = \(bind: batch.$questionnaire.id) AND voided = \(bind: false)
            """).run { row in
            guard let number = try? row.decode(column: "ballot_no", as: String.self),
                  let unit = (try? row.decode(column: "unit_id", as: UUID.self)).flatMap({ codes[$0] }) else { return }
            stored.keys.insert(BallotImport.key(number: number, unit: unit, mode: mode))
        }
        let keys = stored.keys
        return Context(batch: batch, questionnaire: q, units: units,
                       validation: BallotImportContext(questionnaire: q, groupCodes: Set(groups), unitCodes: units.map(\.code),
                                                       existingKeys: keys))
    }

    /// A quick refusal before validating a whole file; ``lockedOpen(_:on:)`` decides.
    private func requireWritable(_ batch: BallotBatchModel) throws {
        if batch.isClosed { throw Self.closed(batch) }
    }

    private static func closed(_ batch: BallotBatchModel) -> AppError {
        .conflict("Lô phiếu số \(batch.number) đã khóa (niêm phong dữ liệu); chỉ có thể sửa qua chức năng điều chỉnh có ghi lý do.")
    }

    /// The batch as it stands inside a write transaction, locked (PostgreSQL): issue #19, the
    /// closed and published checks ran on a copy read before the transaction, so ballots keyed
    /// while the batch was being closed slipped in after its checksum.
    private static func locked(_ id: UUID, on db: any Database) async throws -> BallotBatchModel {
        try await VersionedWrite.lock(BallotBatchModel.schema, id: id, on: db)
        guard let b = try await BallotBatchModel.query(on: db).filter(\.$id == id).with(\.$questionnaire).first() else {
            throw AppError.notFound(entity: "lô phiếu")
        }
        try await PublicationLock.requireWritable(b.$campaign.id, .survey, on: db)
        return b
    }

    @discardableResult
    private static func lockedOpen(_ id: UUID, on db: any Database) async throws -> BallotBatchModel {
        let b = try await locked(id, on: db)
        if b.isClosed { throw closed(b) }
        return b
    }

    /// One keyed ballot (one row per rated unit), validated as a whole.
    func enter(_ batchID: UUID, _ input: BallotEntryInput) async throws -> BallotEntryResult {
        let batch = try await find(batchID)
        try requireWritable(batch)
        let ctx = try await context(batch)
        let number = input.ballotNumber.trimmingCharacters(in: .whitespaces)
        var errors: [ImportRowError] = []
        var parsed: [ParsedBallot] = []
        switch BallotImport.validateEntry(number: number, group: input.group,
                                          ratings: input.ratings.map { .init(unit: $0.unit, answers: $0.answers) }, context: ctx.validation) {
        case let .success(b): parsed = b
        case let .failure(e): errors = e.errors
        }
        if ctx.questionnaire.targetMode == .multiple {
            let sql = db as! any SQLDatabase
            struct Row: Decodable { var n: Int }
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM survey_ballots WHERE batch_id = \(bind: batchID) AND ballot_no = \(bind: number) AND voided = \(bind: false)
                """).first(decoding: Row.self)?.n ?? 0
            if n > 0 { errors.append(ImportRowError(row: 0, field: "so_phieu", messageVI: "Phiếu số \(number) đã được nhập trong lô này.")) }
        }
        guard errors.isEmpty else { throw AppError.importFailed(errors) }
        try await requireScope(parsed, ctx: ctx)
        let user = context.actor.name
        let rows = parsed
        try await db.writeTransaction { db in
            try await Self.lockedOpen(batchID, on: db)
            try await Self.insert(rows, ctx: ctx, user: user, on: db)
            // A close prepared before this ballot names the old version and is refused.
            try await VersionedWrite.bump(BallotBatchModel.schema, id: batchID, on: db)
            try await context.audit(on: db, "survey.ballot.enter", entity: "survey_batch", entityID: batchID.uuidString,
                                    after: input)
        }
        let c = try await counts(batch)
        let flags = parsed.reduce(BallotFlags()) { $0.union($1.flags) }
        return BallotEntryResult(ballotNumber: number, rows: parsed.count, flags: flags.labelsVI,
                                 enteredCount: c.ballots, declaredCount: batch.declaredCount)
    }

    /// A CSV or XLSX file of ballots: validated row by row, all errors reported, and then
    /// stored all together or not at all.
    func importFile(_ batchID: UUID, _ data: Data, dryRun: Bool) async throws -> BallotImportSummary {
        let batch = try await find(batchID)
        try requireWritable(batch)
        let ctx = try await context(batch)
        let result: BallotImportResult
        if XLSXReader.looksLikeXLSX(data) {
            let reader = try XLSXReader(data)
            guard let first = reader.sheetNames.first else { throw XLSXReader.ReadError.missingSheet("1") }
            result = BallotImport.parseRows(try reader.rows(of: first), context: ctx.validation)
        } else {
            result = try BallotImport.parseCSV(data, context: ctx.validation)
        }
        // The problem lists the first errors and keeps the total (ImportErrors.listed).
        guard result.errors.isEmpty else { throw AppError.importFailed(result.errors) }
        if result.ballots.isEmpty { throw AppError.badRequest("Tệp không có phiếu nào.") }
        try await requireScope(result.ballots, ctx: ctx)
        let distinct = Set(result.ballots.map(\.number)).count
        let flagged = result.ballots.filter { !$0.flags.isEmpty }.count
        let summary = BallotImportSummary(dryRun: dryRun, rows: result.ballots.count, ballots: distinct, flagged: flagged)
        if dryRun { return summary }
        let user = context.actor.name
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        try await db.writeTransaction { db in
            try await Self.lockedOpen(batchID, on: db)
            try await Self.insert(result.ballots, ctx: ctx, user: user, on: db)
            try await VersionedWrite.bump(BallotBatchModel.schema, id: batchID, on: db)
            try await context.audit(on: db, "survey.ballot.import", entity: "survey_batch", entityID: batchID.uuidString,
                                    after: ["rows": "\(summary.rows)", "ballots": "\(summary.ballots)", "flagged": "\(flagged)",
                                            "fileSHA256": sha])
        }
        return summary
    }

    /// A survey operator scoped to a unit keys ballots rating that unit (and, with descendants,
    /// the units below it) only: issue #20 found one unit's operator rating another.
    private func requireScope(_ ballots: [ParsedBallot], ctx: Context) async throws {
        guard let visible = try await context.unitsVisible(for: .surveysEnter) else { return }
        let outside = ballots.filter { !visible.contains(ctx.units[$0.unit].id!) }
        guard let first = outside.first else { return }
        let unit = ctx.units[first.unit]
        let place = first.line > 0 ? "dòng \(first.line): " : ""
        let more = outside.count > 1 ? " (cùng \(VietnameseNumber.format(outside.count - 1)) dòng khác)" : ""
        throw AppError.outOfScope("\(place)Phiếu số \(first.number) đánh giá \(unit.name) (\(unit.code)), đơn vị nằm ngoài phạm vi được phân công nhập phiếu của bạn\(more); chưa có phiếu nào được lưu.")
    }

    /// Multi-row inserts: a million ballots go in a few thousand statements, not a million.
    package static func insert(_ ballots: [ParsedBallot], ctx: Context, user: String, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let q = ctx.questionnaire
        let stored = StoredAnswers(q)
        let now = Date()
        let campaignID = ctx.batch.$campaign.id
        let questionnaireID = ctx.batch.$questionnaire.id
        let batchID = ctx.batch.id!
        for chunk in stride(from: 0, to: ballots.count, by: 500) {
            var insert = sql.insert(into: BallotModel.schema)
                .columns("id", "batch_id", "campaign_id", "questionnaire_id", "form_version", "ballot_no", "group_code",
                         "unit_id", "answers", "flags", "review", "voided", "entered_by", "created_at")
            for b in ballots[chunk ..< min(chunk + 500, ballots.count)] {
                insert = insert.values([UUID(), batchID, campaignID, questionnaireID, q.version, b.number, b.group,
                                        ctx.units[b.unit].id!, stored.encode(b.answers), Int(b.flags.rawValue), b.flags.isEmpty ? "none" : "pending",
                                        false, user, now] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }

    // MARK: Closing, corrections, review

    func close(_ batchID: UUID, _ input: CloseBatchInput) async throws -> BallotBatchModel {
        let batch = try await find(batchID)
        try requireWritable(batch)
        let note = try input.note.map { try TextRules.validated($0, .multiline, field: "note", fieldVI: "Ghi chú",
                                                                maxLength: TextRules.reasonMaxLength) }?.nilIfEmpty
        let seen = try VersionedWrite.expected(input.version, context.ifMatch, entity: "lô phiếu số \(batch.number)")
        let actor = context.actor.name, now = context.clock.now()
        return try await db.writeTransaction { db in
            let version = try await VersionedWrite.claim(BallotBatchModel.schema, id: batchID, expected: seen, on: db) {
                try await Self.staleBatch(batchID, seen: seen, on: db)
            }
            let batch = try await Self.lockedOpen(batchID, on: db)
            // Counted here, after the lock: the count checked against the declared one is the one sealed.
            let entered = try await counts(batch, on: db).ballots
            if entered != batch.declaredCount && note == nil {
                throw AppError.validation([.init(field: "note", message: "Số phiếu đã nhập (\(VietnameseNumber.format(entered))) khác số phiếu bàn giao (\(VietnameseNumber.format(batch.declaredCount))): ghi rõ lý do chênh lệch trước khi khóa lô.")])
            }
            if entered == 0 { throw AppError.conflict("Lô phiếu chưa có phiếu nào; không thể khóa.") }
            batch.version = version
            batch.status = "closed"
            batch.note = note
            batch.closedBy = actor
            batch.closedAt = now
            batch.checksum = try await Self.checksum(batchID, on: db)
            try await batch.save(on: db)
            try await context.audit(on: db, "survey.batch.close", entity: "survey_batch", entityID: batchID.uuidString,
                                    after: ["ballots": "\(entered)", "declared": "\(batch.declaredCount)", "checksum": batch.checksum ?? ""],
                                    reason: note)
            try await SurveyTallyService.recompute(questionnaireID: batch.$questionnaire.id, on: db)
            return batch
        }
    }

    private static func staleBatch(_ id: UUID, seen: Int, on db: any Database) async throws -> AppError {
        guard let b = try await BallotBatchModel.find(id, on: db) else { return .notFound(entity: "lô phiếu") }
        return .staleVersion("Lô phiếu số \(b.number) vừa thay đổi (có phiếu mới được nhập, được điều chỉnh hoặc lô đã được khóa; phiên bản hiện tại \(b.version), bạn đang xem phiên bản \(seen)). Tải lại trang để xem số phiếu hiện tại rồi thực hiện lại; chưa có gì được ghi.")
    }

    /// SHA-256 over the batch's live ballots in a fixed order: printed on the handover record
    /// so anyone can check later that the data behind the scores is what was closed.
    package static func checksum(_ batchID: UUID, on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        final class Hashing: @unchecked Sendable {
            // @unchecked: SQLKit calls the row handler serially, never concurrently.
            var hasher = SHA256()
            var failure: (any Error)?
        }
        let h = Hashing()
        try await sql.raw("""
            SELECT b.ballot_no, b.group_code, u.code, b.answers, b.review FROM survey_ballots b JOIN units u ON u.id = b.unit_id
            WHERE b.batch_id = \(bind: batchID) AND b.voided = \(bind: false) ORDER BY b.ballot_no, u.code
            """).run { row in
            do {
                let line = [try row.decode(column: "ballot_no", as: String.self), try row.decode(column: "group_code", as: String.self),
                            try row.decode(column: "code", as: String.self), try row.decode(column: "answers", as: String.self),
                            try row.decode(column: "review", as: String.self) == "rejected" ? "x" : ""].joined(separator: "\t") + "\n"
                h.hasher.update(data: Data(line.utf8))
            } catch { h.failure = error }
        }
        if let failure = h.failure { throw failure }
        let hasher = h.hasher
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func ballots(_ batchID: UUID, flaggedOnly: Bool = false) async throws -> [BallotDTO] {
        let batch = try await find(batchID)
        let q = try batch.questionnaire.questionnaire()
        _ = q
        let units = Dictionary(uniqueKeysWithValues: try await campaignUnits(batch.$campaign.id).map { ($0.id!, $0) })
        var query = BallotModel.query(on: db).filter(\.$batch.$id == batchID)
        if flaggedOnly { query = query.filter(\.$flags != 0) }
        // A reader scoped to some units sees only the ballots rating them (issue #20).
        if let visible = try await context.unitsVisible(for: .surveysRead) { query = query.filter(\.$unitID ~~ Array(visible)) }
        return try await query.sort(\.$ballotNumber).limit(5000).all().map { b in Self.dto(b, units) }
    }

    static func dto(_ b: BallotModel, _ units: [UUID: UnitModel]) -> BallotDTO {
        BallotDTO(id: b.id!, ballotNumber: b.ballotNumber, group: b.groupCode, unitCode: units[b.unitID]?.code ?? "",
                  unitName: units[b.unitID]?.name ?? "", answers: b.answers.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                  flags: BallotFlags(rawValue: UInt8(truncatingIfNeeded: b.flags)).labelsVI, review: b.review, voided: b.voided,
                  enteredBy: b.enteredBy, version: b.version)
    }

    private func ballot(_ id: UUID) async throws -> (BallotModel, BallotBatchModel) {
        guard let b = try await BallotModel.find(id, on: db) else { throw AppError.notFound(entity: "phiếu") }
        return (b, try await find(b.$batch.id))
    }

    /// An audited correction: new answers or a void, with a reason; a closed batch gets a new checksum.
    func correct(_ ballotID: UUID, _ input: BallotCorrectionInput) async throws -> BallotDTO {
        let (b, batch) = try await ballot(ballotID)
        try await context.requirePermission(.surveysManage, onUnit: b.unitID)
        let seen = try VersionedWrite.expected(input.version, context.ifMatch, entity: "phiếu số \(b.ballotNumber)")
        let reason = try TextRules.validated(input.reason, .multiline, field: "reason", fieldVI: "Lý do điều chỉnh phiếu",
                                             maxLength: TextRules.reasonMaxLength)
        guard !reason.isEmpty else { throw AppError.validation([.init(field: "reason", message: "Ghi lý do điều chỉnh phiếu.")]) }
        let ctx = try await context(batch)
        let units = Dictionary(uniqueKeysWithValues: ctx.units.map { ($0.id!, $0) })
        let before = Self.dto(b, units)
        if let answers = input.answers {
            let unitCode = units[b.unitID]?.code ?? ""
            var validation = ctx.validation
            validation.existingKeys = []
            switch BallotImport.validateOne(number: b.ballotNumber, group: b.groupCode, unit: unitCode, answers: answers, context: validation) {
            case let .failure(errors): throw AppError.importFailed(errors.errors)
            case let .success(p):
                b.answers = StoredAnswers(ctx.questionnaire).encode(p.answers)
                let kept = BallotFlags(rawValue: UInt8(truncatingIfNeeded: b.flags)).intersection(.duplicate)
                b.flags = Int(kept.union(p.flags.subtracting(.duplicate)).rawValue)
            }
        }
        if let voided = input.voided { b.voided = voided }
        return try await save(b, seen: seen, of: batch, action: "survey.ballot.correct", before: before, units: units, reason: reason)
    }

    /// Accept a flagged ballot (it counts) or reject it (left out of the scores, kept on record).
    func review(_ ballotID: UUID, _ input: BallotReviewInput) async throws -> BallotDTO {
        let (b, batch) = try await ballot(ballotID)
        try await context.requirePermission(.surveysManage, onUnit: b.unitID)
        let seen = try VersionedWrite.expected(input.version, context.ifMatch, entity: "phiếu số \(b.ballotNumber)")
        guard ["accepted", "rejected"].contains(input.decision) else {
            throw AppError.validation([.init(field: "decision", message: "Chọn “accepted” (giữ phiếu) hoặc “rejected” (loại phiếu).")])
        }
        let reason = try input.reason.map { try TextRules.validated($0, .multiline, field: "reason", fieldVI: "Lý do",
                                                                    maxLength: TextRules.reasonMaxLength) }?.nilIfEmpty
        if input.decision == "rejected" && reason == nil {
            throw AppError.validation([.init(field: "reason", message: "Ghi lý do loại phiếu.")])
        }
        let units = Dictionary(uniqueKeysWithValues: try await campaignUnits(batch.$campaign.id).map { ($0.id!, $0) })
        let before = Self.dto(b, units)
        b.review = input.decision
        return try await save(b, seen: seen, of: batch, action: "survey.ballot.review", before: before, units: units, reason: reason)
    }
}

extension BallotService {
    /// Stores a changed ballot with its audit line; in a closed batch the checksum and the
    /// survey points follow in the same transaction. `b` was read before the transaction: the
    /// claim proves it is still the current row (every change bumps the version).
    fileprivate func save(_ b: BallotModel, seen: Int, of batch: BallotBatchModel, action: String, before: BallotDTO,
                          units: [UUID: UnitModel], reason: String?) async throws -> BallotDTO {
        let batchID = batch.id!, ballotID = b.id!, number = b.ballotNumber
        try await db.writeTransaction { db in
            let batch = try await Self.locked(batchID, on: db)
            b.version = try await VersionedWrite.claim(BallotModel.schema, id: ballotID, expected: seen, on: db) {
                guard let current = try await BallotModel.find(ballotID, on: db) else { return .notFound(entity: "phiếu") }
                return .staleVersion("Phiếu số \(number) vừa được người khác điều chỉnh hoặc xem xét (phiên bản hiện tại \(current.version), bạn đang sửa phiên bản \(seen)). Tải lại trang để xem rồi thực hiện lại; chưa có gì được ghi.")
            }
            try await b.save(on: db)
            if batch.isClosed {
                batch.version = try await VersionedWrite.bump(BallotBatchModel.schema, id: batchID, on: db)
                batch.checksum = try await Self.checksum(batchID, on: db)
                try await batch.save(on: db)
                try await SurveyTallyService.recompute(questionnaireID: batch.$questionnaire.id, on: db)
            } else {
                try await VersionedWrite.bump(BallotBatchModel.schema, id: batchID, on: db)
            }
            try await context.audit(on: db, action, entity: "survey_ballot", entityID: ballotID.uuidString,
                                    before: before, after: Self.dto(b, units), reason: reason)
        }
        return Self.dto(b, units)
    }
}
