import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The survey plan of a campaign: questionnaires (from a template or an XLSForm) and
/// respondent groups with their quotas.
struct SurveyService: ContextService {
    let context: ServiceContext

    func campaign(_ id: UUID) async throws -> CampaignModel { try await CampaignService(context: context).find(id) }

    func overview(_ campaignID: UUID) async throws -> SurveyOverviewDTO {
        let c = try await campaign(campaignID)
        let qs = try await questionnaires(campaignID)
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$code).all()
        let batches = try await BallotService(context: context).batches(campaignID)
        let frozen = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID).count() > 0
        return SurveyOverviewDTO(campaignId: campaignID, campaignName: c.name, frozen: frozen,
                                 questionnaires: try qs.map(Self.dto), groups: groups.map(Self.dto), batches: batches)
    }

    func questionnaires(_ campaignID: UUID) async throws -> [QuestionnaireModel] {
        try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaignID).sort(\.$formID).all()
    }

    func questionnaire(_ id: UUID) async throws -> QuestionnaireModel {
        guard let q = try await QuestionnaireModel.find(id, on: db) else { throw AppError.notFound(entity: "phiếu điều tra") }
        return q
    }

    static func dto(_ m: QuestionnaireModel) throws -> QuestionnaireDTO {
        let q = try m.questionnaire()
        return QuestionnaireDTO(id: m.id!, formId: q.formID, title: q.title, version: q.version, kind: q.kind.rawValue,
                                kindLabel: q.kind.labelVI, source: q.source, targetMode: q.targetMode.rawValue,
                                pointsFormula: q.pointsFormula, alertThreshold: m.alertThreshold,
                                alertThresholdDisplay: VietnameseNumber.format(m.alertThreshold) + " %",
                                questionCount: q.questions.count, definition: q)
    }

    static func dto(_ g: RespondentGroupModel) -> RespondentGroupDTO {
        RespondentGroupDTO(code: g.code, name: g.name, formId: g.formID, plannedBallots: g.plannedBallots,
                           quotaPerUnit: g.quotaPerUnit, weight: g.weight)
    }

    /// A questionnaire from the SIPAS or organisational template.
    func createFromTemplate(_ campaignID: UUID, _ input: QuestionnaireInput) async throws -> QuestionnaireModel {
        let c = try await campaign(campaignID)
        guard let kind = SurveyKind(rawValue: input.template) else {
            throw AppError.validation([.init(field: "template", message: "Chọn mẫu phiếu: “sipas” hoặc “organisational”.")])
        }
        let formID = input.formId?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            ?? "\(kind == .sipas ? "sipas" : "to-chuc")-\(c.year)"
        let title = input.title?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            ?? "\(kind == .sipas ? "Phiếu khảo sát sự hài lòng (SIPAS)" : "Phiếu lấy ý kiến của tổ chức") — \(c.name)"
        let q = kind == .sipas ? QuestionnaireTemplates.sipas(formID: formID, title: title, version: "\(c.year).1")
                               : QuestionnaireTemplates.organisational(formID: formID, title: title, version: "\(c.year).1")
        return try await store(q, campaign: c, alertThreshold: input.alertThreshold)
    }

    /// A questionnaire from an XLSForm workbook (`survey`, `choices`, `settings` sheets).
    func importXLSForm(_ campaignID: UUID, _ data: Data, alertThreshold: Double? = nil) async throws -> QuestionnaireModel {
        let c = try await campaign(campaignID)
        let reader = try XLSXReader(data)
        func sheet(_ name: String, required: Bool) throws -> [[String]] {
            if !required && !reader.hasSheet(name) { return [] }
            return try reader.rows(of: name).map(\.cells)
        }
        let sheets = XLSFormSheets(survey: try sheet("survey", required: true), choices: try sheet("choices", required: true),
                                   settings: try sheet("settings", required: false))
        return try await store(try XLSForm.read(sheets), campaign: c, alertThreshold: alertThreshold)
    }

    /// Adds or replaces a questionnaire; one with ballots is never replaced (its ballots were
    /// keyed against it).
    private func store(_ q: Questionnaire, campaign c: CampaignModel, alertThreshold: Double?) async throws -> QuestionnaireModel {
        try q.validate()
        let threshold = alertThreshold ?? 70
        guard (0...100).contains(threshold) else {
            throw AppError.validation([.init(field: "alertThreshold", message: "Ngưỡng cảnh báo phải từ 0 đến 100 (%).")])
        }
        let framework = try await FrameworkCache.shared.framework(c.framework)
        let sources = Set(framework.leaves.compactMap { leaf -> String? in
            if case let .survey(source)? = leaf.method { return source } else { return nil }
        })
        guard sources.contains(q.source) else {
            throw AppError.validation([.init(field: "source", message: "Bộ chỉ số của đợt đánh giá không có tiêu chí điều tra với nguồn “\(q.source)” (có: \(sources.sorted().joined(separator: ", ")).")])
        }
        return try await db.writeTransaction { db in
            // Published results freeze the survey data that produced them (issue #19: checked
            // inside the write, so a write racing the publication cannot slip in after it).
            try await PublicationLock.requireWritable(c.id!, .survey, on: db)
            let existing = try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == c.id!).filter(\.$formID == q.formID).first()
            if let existing, try await BallotBatchModel.query(on: db).filter(\.$questionnaire.$id == existing.id!).count() > 0 {
                throw AppError.conflict("Phiếu “\(q.formID)” đã có lô phiếu được nhập; không thể thay thế. Hãy tạo phiếu với mã (form_id) mới.")
            }
            let before = try existing.map(Self.dto)
            let m = existing ?? QuestionnaireModel()
            m.$campaign.id = c.id!
            m.alertThreshold = threshold
            try m.setQuestionnaire(q)
            try await m.save(on: db)
            try await context.audit(on: db, existing == nil ? "survey.questionnaire.create" : "survey.questionnaire.replace",
                                    entity: "survey_questionnaire", entityID: m.id!.uuidString, before: before, after: try Self.dto(m))
            return m
        }
    }

    func deleteQuestionnaire(_ id: UUID) async throws {
        let m = try await questionnaire(id)
        try await db.writeTransaction { db in
            try await PublicationLock.requireWritable(m.$campaign.id, .survey, on: db)
            if try await BallotBatchModel.query(on: db).filter(\.$questionnaire.$id == id).count() > 0 {
                throw AppError.conflict("Phiếu đã có lô phiếu được nhập; không thể xóa.")
            }
            try await m.delete(on: db)
            try await context.audit(on: db, "survey.questionnaire.delete", entity: "survey_questionnaire", entityID: id.uuidString,
                                    before: try Self.dto(m))
        }
    }

    /// The questionnaire as an XLSForm workbook, with the campaign's groups and units as lists.
    func xlsform(_ id: UUID) async throws -> (name: String, data: Data) {
        let m = try await questionnaire(id)
        let q = try m.questionnaire()
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == m.$campaign.id)
            .filter(\.$formID == q.formID).sort(\.$code).all().map(\.group)
        let units = try await BallotService(context: context).campaignUnits(m.$campaign.id).map { (code: $0.code, name: $0.name) }
        let sheets = XLSForm.sheets(for: q, groups: groups, units: units)
        func cells(_ rows: [[String]]) -> [[XLSXWriter.Cell]] {
            rows.enumerated().map { i, r in r.map { i == 0 ? .bold($0) : .text($0) } }
        }
        let data = try XLSXWriter(sheets: [
            .init(name: "survey", columnWidths: [22, 18, 60, 10, 30], rows: cells(sheets.survey)),
            .init(name: "choices", columnWidths: [14, 10, 40, 8, 10], rows: cells(sheets.choices)),
            .init(name: "settings", columnWidths: [40, 20, 10, 16, 22, 12, 30], rows: cells(sheets.settings)),
        ]).data()
        return ("\(q.formID).xlsx", data)
    }

    // MARK: Respondent groups

    func upsertGroup(_ campaignID: UUID, _ input: GroupInput) async throws -> RespondentGroupModel {
        _ = try await campaign(campaignID)
        var problems: [AppError.FieldProblem] = []
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces)
        if !TextRules.check(code, .code, fieldVI: "Mã nhóm", maxLength: 40).isValid
            || code.contains(where: { $0 == "," || $0 == ";" || $0.isWhitespace }) {
            problems.append(.init(field: "code", message: "Mã nhóm phải có từ 1 đến 40 ký tự, không chứa dấu cách, dấu phẩy hay chấm phẩy."))
        }
        if let m = TextRules.check(input.name, .name, fieldVI: "Tên nhóm đối tượng", maxLength: 255).messageVI {
            problems.append(.init(field: "name", message: m))
        }
        if try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$formID == input.formId).count() == 0 {
            problems.append(.init(field: "formId", message: "Chọn một phiếu điều tra của đợt đánh giá."))
        }
        if input.plannedBallots < 0 { problems.append(.init(field: "plannedBallots", message: "Số phiếu dự kiến không được âm.")) }
        if input.quotaPerUnit < 0 { problems.append(.init(field: "quotaPerUnit", message: "Chỉ tiêu mỗi đơn vị không được âm.")) }
        let weight = input.weight ?? 1
        if !(weight > 0 && weight <= 100) { problems.append(.init(field: "weight", message: "Trọng số phải lớn hơn 0 và không quá 100.")) }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return try await db.writeTransaction { db in
            try await PublicationLock.requireWritable(campaignID, .survey, on: db)
            let existing = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$code == code).first()
            let before = existing.map(Self.dto)
            let g = existing ?? RespondentGroupModel()
            g.$campaign.id = campaignID
            g.code = code
            g.name = TextRules.normalise(input.name)
            g.formID = input.formId
            g.plannedBallots = input.plannedBallots
            g.quotaPerUnit = input.quotaPerUnit
            g.weight = weight
            try await g.save(on: db)
            try await context.audit(on: db, existing == nil ? "survey.group.create" : "survey.group.update", entity: "survey_group",
                                    entityID: g.id!.uuidString, before: before, after: Self.dto(g))
            return g
        }
    }

    func deleteGroup(_ campaignID: UUID, code: String) async throws {
        try await db.writeTransaction { db in
            try await PublicationLock.requireWritable(campaignID, .survey, on: db)
            guard let g = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$code == code).first() else {
                throw AppError.notFound(entity: "nhóm đối tượng")
            }
            if try await BallotModel.query(on: db).filter(\.$campaignID == campaignID).filter(\.$groupCode == code).count() > 0 {
                throw AppError.conflict("Nhóm “\(code)” đã có phiếu; không thể xóa.")
            }
            try await g.delete(on: db)
            try await context.audit(on: db, "survey.group.delete", entity: "survey_group", entityID: g.id!.uuidString, before: Self.dto(g))
        }
    }
}
