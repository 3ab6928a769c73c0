import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Campaigns: creation (with one assessment per unit), listing, per-unit reopening.
struct CampaignService: ContextService {
    let context: ServiceContext

    func find(_ id: UUID) async throws -> CampaignModel {
        guard let c = try await CampaignModel.query(on: db).filter(\.$id == id).with(\.$framework).with(\.$ownerUnit).first() else {
            throw AppError.notFound(entity: "đợt đánh giá")
        }
        return c
    }

    /// The campaigns the user may see (``Request/visibleCampaigns(_:unitPermission:)``): staff
    /// those their units own, unit staff those their unit takes part in.
    func list() async throws -> [CampaignDTO] {
        let all = try await CampaignModel.query(on: db).with(\.$framework).with(\.$ownerUnit)
            .sort(\.$year, .descending).sort(\.$name).all()
        return try await context.visibleCampaigns(all).map { Self.dto($0) }
    }

    static func dto(_ c: CampaignModel, assessments: [AssessmentSummaryDTO]? = nil) -> CampaignDTO {
        CampaignDTO(id: c.id!, name: c.name, year: c.year, frameworkId: c.$framework.id, frameworkTitle: c.framework.title,
                    previousCampaignId: c.$previous.id, ownerUnitId: c.$ownerUnit.id, ownerUnitCode: c.ownerUnit.code,
                    ownerUnitName: c.ownerUnit.name, windows: c.schedule.windowDTOs, assessments: assessments,
                    unsubmittedPolicy: c.unsubmittedPolicy.rawValue, resultsRules: c.resultsRulesYAML)
    }

    /// The campaign with the assessments the current user may see.
    func detail(_ id: UUID) async throws -> CampaignDTO {
        let c = try await find(id)
        try await context.requireVisible(c)
        let visible = try await context.unitsVisible(for: .assessmentsRead)
        var q = AssessmentModel.query(on: db).filter(\.$campaign.$id == id).with(\.$unit)
        if let visible { q = q.filter(\.$unit.$id ~~ Array(visible)) }
        let rows = try await q.all().sortedVietnamese(by: { $0.unit.name })
        let framework = try await FrameworkCache.shared.framework(c.framework)
        let total = AssessmentService.selfScoredLeaves(framework).count
        var filledBy: [UUID: Int] = [:]
        if !rows.isEmpty {
            let entries = try await AssessmentEntryModel.query(on: db).filter(\.$assessment.$id ~~ rows.map { $0.id! })
                .filter(\.$inputJSON != nil).all()
            for e in entries { filledBy[e.$assessment.id, default: 0] += 1 }
        }
        return Self.dto(c, assessments: rows.map { a in
                               AssessmentSummaryDTO(id: a.id!, unitId: a.$unit.id, unitCode: a.unit.code, unitName: a.unit.name,
                                                    status: a.status, statusLabel: a.assessmentStatus.labelVI,
                                                    filled: filledBy[a.id!] ?? 0, total: total)
                           })
    }

    func create(_ raw: CampaignInput) async throws -> CampaignModel {
        let input = try await withDefaults(from: raw)
        var problems: [AppError.FieldProblem] = []
        let (name, nameProblem) = TextRules.check(input.name, .name, fieldVI: "Tên đợt đánh giá", maxLength: 255).pair
        if let nameProblem { problems.append(.init(field: "name", message: nameProblem)) }
        let year = input.year ?? 0
        if !(2000...2100).contains(year) { problems.append(.init(field: "year", message: "Năm đánh giá không hợp lệ.")) }
        var framework: FrameworkVersionModel?
        if let fid = input.frameworkId { framework = try await FrameworkVersionModel.find(fid, on: db) }
        if framework == nil { problems.append(.init(field: "frameworkId", message: "Chọn một bộ chỉ số.")) }
        else if framework?.status != "published" {
            problems.append(.init(field: "frameworkId", message: "Chỉ dùng được bộ chỉ số đã ban hành (đã khóa phiên bản)."))
        }
        if let pid = input.previousCampaignId, try await CampaignModel.find(pid, on: db) == nil {
            problems.append(.init(field: "previousCampaignId", message: "Không tìm thấy đợt đánh giá năm trước."))
        }
        let schedule = Self.schedule(from: input.windows, problems: &problems)
        let unsubmittedPolicy = UnsubmittedPolicy.parse(input.unsubmittedPolicy, problems: &problems) ?? .exclude
        // Issue #19: the campaign belongs to a unit and `campaigns.manage` is checked on it, so a
        // district's coordinator cannot create (and then run) a province's campaign.
        var owner = try await namedOwner(input, problems: &problems)
        let policy = try context.requireUser().policy
        if owner == nil, !problems.contains(where: { $0.field == "ownerUnitCode" }),
           let id = policy.defaultOwner(for: .campaignsManage) {
            owner = try await UnitModel.find(id, on: db)
        }
        if let owner { try await context.requirePermission(.campaignsManage, onOwner: owner.id!, what: "Đợt đánh giá mới") }
        var units = try await selectUnits(input.unitCodes, kind: framework.flatMap { UnitKind(rawValue: $0.unitKind) }, problems: &problems)
        var chains: [UUID: [UUID]] = [:]
        for u in units { chains[u.id!] = [u.id!] + (try await UnitTree.ancestors(of: u.id!, on: db)) }
        if owner == nil, !problems.contains(where: { $0.field == "ownerUnitCode" }) {
            // An installation-wide coordinator names no owner: the lowest unit above all the evaluated ones.
            if !policy.allowsEverywhere(.campaignsManage) {
                problems.append(.init(field: "ownerUnitCode", message: "Chọn đơn vị chủ trì đợt đánh giá (mã đơn vị): "
                                      + "bạn được phân công điều phối trên nhiều đơn vị."))
            } else if let id = Ownership.defaultOwner(ofEvaluated: units.map { chains[$0.id!]! }) {
                owner = try await UnitModel.find(id, on: db)
            } else if !units.isEmpty {
                problems.append(.init(field: "ownerUnitCode", message: "Chọn đơn vị chủ trì đợt đánh giá (mã đơn vị): "
                                      + "các đơn vị được đánh giá không cùng thuộc một đơn vị cấp trên."))
            }
        }
        if let owner {
            let outside = units.filter { !Ownership.isWithin($0.id!, ancestors: Array(chains[$0.id!]!.dropFirst()), owner: owner.id!) }
            if (input.unitCodes ?? []).isEmpty {
                // Every active unit of the framework's kind: those the owner runs.
                units.removeAll { u in outside.contains { $0.id == u.id } }
                if units.isEmpty, !problems.contains(where: { $0.field == "unitCodes" }) {
                    problems.append(.init(field: "unitCodes", message: "\(owner.name) (\(owner.code)) không có đơn vị trực thuộc nào cùng loại với bộ chỉ số."))
                }
            } else if !outside.isEmpty {
                let codes = outside.map(\.code).sorted()
                problems.append(.init(field: "unitCodes", message: "Các đơn vị không thuộc \(owner.name) (\(owner.code)), đơn vị chủ trì đợt đánh giá: "
                                      + "\(codes.prefix(10).joined(separator: ", "))\(codes.count > 10 ? "… (\(VietnameseNumber.format(codes.count)) đơn vị)" : "")."))
            }
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let ownerUnit = owner!, chosenUnits = units

        let chosen = framework!
        let campaign = CampaignModel()
        campaign.name = name
        campaign.year = year
        campaign.$framework.id = chosen.id!
        campaign.$previous.id = input.previousCampaignId
        campaign.$ownerUnit.id = ownerUnit.id!
        campaign.schedule = schedule
        campaign.unsubmittedPolicy = unsubmittedPolicy
        try await db.writeTransaction { db in
            try await campaign.create(on: db)
            for u in chosenUnits { try await AssessmentModel(campaignID: campaign.id!, unitID: u.id!).create(on: db) }
            try await context.audit(on: db, "campaign.create", entity: "campaign", entityID: campaign.id!.uuidString,
                                    unitID: ownerUnit.id,
                                    after: ["name": name, "year": String(year), "framework": chosen.title,
                                            "owner": ownerUnit.code, "units": String(chosenUnits.count)], reason: input.reason)
        }
        campaign.$ownerUnit.value = ownerUnit
        return campaign
    }

    /// Reads `dd/mm/yyyy` windows into a schedule: self-assessment is required, phases in
    /// order without overlap. Problems go under the field `windows`.
    static func schedule(from windows: [String: CampaignInput.WindowInput]?, problems: inout [AppError.FieldProblem]) -> CampaignSchedule {
        var schedule = CampaignSchedule()
        for phase in CampaignPhase.allCases {
            guard let w = windows?[phase.rawValue], let from = w.from, let to = w.to, !from.isEmpty || !to.isEmpty else { continue }
            do {
                schedule.windows[phase] = .days(from: try VietnameseDate.parse(from), through: try VietnameseDate.parse(to))
            } catch {
                problems.append(.init(field: "windows", message: "\(phase.labelVI): \(error.messageVI)"))
            }
        }
        if schedule.windows[.selfAssessment] == nil && !problems.contains(where: { $0.field == "windows" }) {
            problems.append(.init(field: "windows", message: "Cần có thời hạn tự đánh giá."))
        }
        problems += schedule.validate().map { .init(field: "windows", message: $0) }
        return schedule
    }

    /// Changes the phase windows (a coordinator moving a deadline, or opening the next phase
    /// early). Per-unit reopenings are kept. Audited with the old and new calendar.
    func updateSchedule(_ campaignID: UUID, _ input: ScheduleInput) async throws -> CampaignModel {
        let c = try await find(campaignID)
        try await context.requirePermission(.campaignsManage, onCampaign: c)
        var problems: [AppError.FieldProblem] = []
        if try TextRules.validated(input.reason ?? "", .multiline, field: "reason", fieldVI: "Lý do thay đổi lịch",
                                   maxLength: TextRules.reasonMaxLength).isEmpty {
            problems.append(.init(field: "reason", message: "Phải ghi lý do thay đổi lịch."))
        }
        var schedule = Self.schedule(from: input.windows, problems: &problems)
        let policy = UnsubmittedPolicy.parse(input.unsubmittedPolicy, problems: &problems)
        if !problems.isEmpty { throw AppError.validation(problems) }
        schedule.reopenings = c.schedule.reopenings
        // The policy decides who is ranked, so its change is in the audit line with the calendar.
        let before = ScheduleAudit(windows: c.schedule.windowDTOs, unsubmittedPolicy: c.unsubmittedPolicy.rawValue)
        let after = ScheduleAudit(windows: schedule.windowDTOs, unsubmittedPolicy: (policy ?? c.unsubmittedPolicy).rawValue)
        let updated = schedule
        if let policy { c.unsubmittedPolicy = policy }
        try await db.writeTransaction { db in
            c.schedule = updated
            try await c.save(on: db)
            try await context.audit(on: db, "campaign.schedule", entity: "campaign", entityID: campaignID.uuidString,
                                    before: before, after: after, reason: input.reason)
        }
        return c
    }

    /// The campaign's own results rules (issue #12), until its results are published: a
    /// `results:` block checked against the framework's fields like the one in a framework
    /// file; empty restores the framework's rules. Audited with the reason.
    func updateResultsRules(_ campaignID: UUID, _ input: ResultsRulesInput) async throws -> CampaignModel {
        let c = try await find(campaignID)
        try await context.requirePermission(.campaignsManage, onCampaign: c)
        let reason = try TextRules.validated(input.reason ?? "", .multiline, field: "reason", fieldVI: "Lý do", maxLength: TextRules.reasonMaxLength)
        let text = input.rules.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [AppError.FieldProblem] = []
        if reason.isEmpty { problems.append(.init(field: "reason", message: "Phải ghi lý do dùng quy tắc kết quả riêng cho đợt đánh giá.")) }
        if text.utf8.count > 64_000 { problems.append(.init(field: "rules", message: "Quy tắc quá dài (tối đa 64 KB).")) }
        let framework = try await FrameworkCache.shared.framework(c.framework)
        if !text.isEmpty && problems.isEmpty {
            do { _ = try FrameworkYAML.resultsRules(text, for: framework) } catch {
                problems += error.errors.map { .init(field: "rules", message: $0.messageVI) }
            }
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let before = c.resultsRulesYAML ?? "", context = context
        try await db.writeTransaction { db in
            // Published numbers were computed with the rules then in force (issue #19): checked in the write.
            if try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).count() > 0 {
                throw AppError.conflict("Kết quả của đợt đánh giá đã được công bố; quy tắc kết quả đã được chốt cùng kết quả.")
            }
            c.resultsRulesYAML = text.isEmpty ? nil : text
            try await c.save(on: db)
            try await context.audit(on: db, "campaign.results_rules", entity: "campaign", entityID: campaignID.uuidString,
                                    unitID: c.$ownerUnit.id, before: ["rules": before], after: ["rules": text], reason: reason)
        }
        return c
    }

    /// What the audit trail keeps of a calendar change.
    private struct ScheduleAudit: Codable, Sendable {
        var windows: [PhaseWindowDTO]
        var unsubmittedPolicy: String
    }

    /// Fills what a copy from an earlier campaign provides and the input leaves empty.
    private func withDefaults(from raw: CampaignInput) async throws -> CampaignInput {
        guard let sourceID = raw.copyFromCampaignId else { return raw }
        guard let source = try await CampaignModel.find(sourceID, on: db) else {
            throw AppError.validation([.init(field: "copyFromCampaignId", message: "Không tìm thấy đợt đánh giá để sao chép.")])
        }
        try await context.requireVisible(source)
        var input = raw
        // The copy is run by the same unit (the creator still needs `campaigns.manage` on it).
        if input.ownerUnitId == nil && (input.ownerUnitCode ?? "").trimmingCharacters(in: .whitespaces).isEmpty { input.ownerUnitId = source.$ownerUnit.id }
        if input.frameworkId == nil { input.frameworkId = source.$framework.id }
        if input.previousCampaignId == nil { input.previousCampaignId = sourceID }
        if input.year == nil { input.year = source.year + 1 }
        if (input.unsubmittedPolicy ?? "").isEmpty { input.unsubmittedPolicy = source.unsubmittedPolicy.rawValue }
        if (input.unitCodes ?? []).isEmpty {
            input.unitCodes = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == sourceID).with(\.$unit).all()
                .map { $0.unit.code }
        }
        let given = (input.windows ?? [:]).values.contains { !($0.from ?? "").isEmpty || !($0.to ?? "").isEmpty }
        if !given {
            let cal = VietnameseDate.calendar
            var windows: [String: CampaignInput.WindowInput] = [:]
            for (phase, w) in source.schedule.windows {
                let from = cal.date(byAdding: .year, value: 1, to: w.opens)!
                let to = cal.date(byAdding: .year, value: 1, to: w.closes.addingTimeInterval(-1))!
                windows[phase.rawValue] = .init(from: VietnameseDate.format(from), to: VietnameseDate.format(to))
            }
            input.windows = windows
        }
        return input
    }

    /// The owner the input names (by id or code), or nil; an unknown one is a problem.
    private func namedOwner(_ input: CampaignInput, problems: inout [AppError.FieldProblem]) async throws -> UnitModel? {
        if let id = input.ownerUnitId {
            if let u = try await UnitModel.find(id, on: db) { return u }
            problems.append(.init(field: "ownerUnitCode", message: "Không tìm thấy đơn vị chủ trì (mã định danh \(id.uuidString))."))
            return nil
        }
        let code = (input.ownerUnitCode ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { return nil }
        if let u = try await UnitModel.query(on: db).filter(\.$code == code).first() { return u }
        problems.append(.init(field: "ownerUnitCode", message: "Không tìm thấy đơn vị chủ trì có mã “\(code)”."))
        return nil
    }

    private func selectUnits(_ codes: [String]?, kind: UnitKind?, problems: inout [AppError.FieldProblem]) async throws -> [UnitModel] {
        if let codes, !codes.isEmpty {
            let wanted = codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let found = try await UnitModel.query(on: db).filter(\.$code ~~ wanted).all()
            let missing = Set(wanted).subtracting(found.map(\.code))
            if !missing.isEmpty {
                problems.append(.init(field: "unitCodes", message: "Không tìm thấy đơn vị: \(missing.sorted().joined(separator: ", "))."))
            }
            return found
        }
        guard let kind else { return [] }
        let units = try await UnitModel.query(on: db).filter(\.$kind == kind.rawValue).filter(\.$active == true).all()
        if units.isEmpty { problems.append(.init(field: "unitCodes", message: "Không có đơn vị nào thuộc loại \(kind.labelVI.lowercased()).")) }
        return units
    }

    /// Reopens self-assessment for one unit until a new deadline: its submitted assessment
    /// returns to draft. Audited with the reason: a reopening is an exception the record must justify.
    func reopen(_ campaignID: UUID, _ input: ReopenInput) async throws -> CampaignModel {
        let c = try await find(campaignID)
        try await context.requirePermission(.campaignsManage, onCampaign: c)
        var problems: [AppError.FieldProblem] = []
        if try TextRules.validated(input.reason, .multiline, field: "reason", fieldVI: "Lý do mở lại",
                                   maxLength: TextRules.reasonMaxLength).isEmpty {
            problems.append(.init(field: "reason", message: "Phải ghi lý do mở lại."))
        }
        var until: Date?
        do { until = try VietnameseDate.parse(input.until) } catch {
            problems.append(.init(field: "until", message: error.messageVI))
        }
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == input.unitCode).first(),
              let assessment = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID)
                .filter(\.$unit.$id == unit.id!).first() else {
            throw AppError.validation(problems + [.init(field: "unitCode", message: "Đơn vị “\(input.unitCode)” không thuộc đợt đánh giá này.")])
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let closes = PhaseWindow.days(from: until!, through: until!).closes
        guard closes > context.clock.now() else { throw AppError.validation([.init(field: "until", message: "Hạn mới phải sau thời điểm hiện tại.")]) }
        var updated = c.schedule
        updated.reopenings.append(.init(unitID: unit.id!, phase: .selfAssessment, closes: closes, reason: input.reason))
        let schedule = updated, newDeadline = until!
        let before = assessment.status
        try await db.writeTransaction { db in
            c.schedule = schedule
            try await c.save(on: db)
            // Issue #19: the status is read again under the row lock, and the version bumped in
            // SQL, so a form opened before the reopening is refused as stale.
            try await VersionedWrite.lock(AssessmentModel.schema, id: assessment.id!, on: db)
            if let fresh = try await AssessmentModel.find(assessment.id!, on: db), fresh.assessmentStatus == .submitted {
                fresh.status = try AssessmentWorkflow.apply(.reopen, to: .submitted).rawValue
                fresh.version = try await VersionedWrite.bump(AssessmentModel.schema, id: fresh.id!, on: db)
                try await fresh.save(on: db)
                assessment.status = fresh.status
            }
            try await context.audit(on: db, "campaign.reopen", entity: "assessment", entityID: assessment.id!.uuidString,
                                    unitID: unit.id, before: ["status": before],
                                    after: ["status": assessment.status, "until": VietnameseDate.format(newDeadline)],
                                    reason: input.reason)
        }
        return c
    }
}
