import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The survey pages: the campaign's plan, batches with their handover record, the keyed
/// data-entry screen, imports, corrections and reviews, and the report.
struct SurveysWebController {
    func register(_ web: GuardedRoutes) {
        web.get("surveys", permission: .surveysRead, use: index)
        let c = web.grouped("campaigns", ":campaignID", "surveys")
        c.get(permission: .surveysRead, use: overview)
        c.post("questionnaires", permission: .surveysManage, use: createQuestionnaire)
        c.on(.POST, "xlsform", permission: .surveysManage, body: .collect(maxSize: "10mb"), use: importXLSForm)
        c.post("groups", permission: .surveysManage, use: saveGroup)
        c.post("groups", ":code", "delete", permission: .surveysManage, use: deleteGroup)
        c.post("batches", permission: .surveysEnter, use: createBatch)
        c.get("report", permission: .surveysRead, use: report)
        c.on(.POST, "official", permission: .surveysManage, body: .collect(maxSize: "16mb"), use: importOfficialResults)
        let s = web.grouped("surveys")
        s.get("questionnaires", ":questionnaireID", "xlsform", permission: .surveysRead, use: exportXLSForm)
        s.post("questionnaires", ":questionnaireID", "delete", permission: .surveysManage, use: deleteQuestionnaire)
        s.get("batches", ":batchID", permission: .surveysRead, use: batch)
        s.get("batches", ":batchID", "entry", permission: .surveysEnter, use: entryForm)
        s.post("batches", ":batchID", "entry", permission: .surveysEnter, use: enter)
        s.on(.POST, "batches", ":batchID", "import", permission: .surveysEnter, body: .collect(maxSize: "512mb"), use: importBallots)
        s.post("batches", ":batchID", "close", permission: .surveysEnter, use: close)
        s.get("ballots", ":ballotID", "correct", permission: .surveysManage, use: correctionForm)
        s.post("ballots", ":ballotID", "correct", permission: .surveysManage, use: correct)
        s.post("ballots", ":ballotID", "review", permission: .surveysManage, use: review)
    }

    private func campaignID(_ req: Request) throws -> UUID { try req.parameters.require("campaignID", as: UUID.self) }
    private func batchID(_ req: Request) throws -> UUID { try req.parameters.require("batchID", as: UUID.self) }

    /// Runs a form's action; a mistake the user can fix re-renders the page with the errors, with
    /// the error's own status (422 invalid, 409 stale or published).
    private func submit(_ req: Request, success: String, redirect: String, rerender: @escaping @Sendable (FormErrors) async throws -> View,
                        _ action: @escaping @Sendable () async throws -> Void) async throws -> Response {
        do {
            try await action()
            req.flash(.success, success)
            return req.redirect(to: redirect)
        } catch where FormErrors.isFixable(error) {
            let r = try await rerender(FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    // MARK: Campaign list and plan

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var campaigns: [CampaignDTO]
    }

    @Sendable func index(req: Request) async throws -> View {
        try await req.view.render("surveys/index", IndexPage(page: PageContext(req, title: "Điều tra xã hội học"),
                                                            campaigns: try await CampaignService(request: req).list()))
    }

    struct OverviewPage: Encodable, Sendable {
        var page: PageContext
        var survey: SurveyOverviewDTO
        var canManage: Bool
        var canEnter: Bool
        var errors: FormErrors
        var today: String
        var official: [OfficialSurveyResultDTO]
    }

    private func renderOverview(_ req: Request, errors: FormErrors = FormErrors()) async throws -> View {
        let survey = try await SurveyService(request: req).overview(try campaignID(req))
        let policy = req.currentUser?.policy
        return try await req.view.render("surveys/overview", OverviewPage(
            page: PageContext(req, title: "Điều tra xã hội học — \(survey.campaignName)"), survey: survey,
            canManage: policy?.allowsSomewhere(.surveysManage) ?? false, canEnter: policy?.allowsSomewhere(.surveysEnter) ?? false,
            errors: errors, today: VietnameseDate.format(req.clock.now()),
            official: try await OfficialSurveyService(request: req).list(try campaignID(req))))
    }

    /// Official survey results as figures (issue #12 item 2): CSV or XLSX, a dry run first if wanted.
    @Sendable func importOfficialResults(req: Request) async throws -> Response {
        let id = try campaignID(req)
        do {
            let upload = try req.content.decode(FileUpload.self)
            let r = try await OfficialSurveyService(request: req).importResults(id, Data(buffer: upload.file.data), dryRun: upload.dryRun != nil)
            let text = "\(VietnameseNumber.format(r.rows)) kết quả của \(VietnameseNumber.format(r.units)) đơn vị (tiêu chí \(r.criteria.joined(separator: ", ")))"
            req.flash(.success, r.dryRun ? "Kiểm tra xong, không có lỗi: \(text). Chưa có gì được lưu." : "Đã nhập \(text).")
            return req.redirect(to: "/campaigns/\(id)/surveys")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderOverview(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    @Sendable func overview(req: Request) async throws -> View { try await renderOverview(req) }

    @Sendable func createQuestionnaire(req: Request) async throws -> Response {
        let id = try campaignID(req)
        let form = try req.content.decode([String: String].self)
        let input = QuestionnaireInput(template: form["template"] ?? "", formId: form["formId"], title: form["title"],
                                       alertThreshold: try Self.threshold(form["alertThreshold"]))
        return try await submit(req, success: "Đã tạo phiếu điều tra.", redirect: "/campaigns/\(id)/surveys",
                                rerender: { try await renderOverview(req, errors: $0) }) {
            _ = try await SurveyService(request: req).createFromTemplate(id, input)
        }
    }

    /// `70` or `70,5` (Vietnamese notation); empty keeps the default.
    static func threshold(_ text: String?) throws -> Double? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        guard let v = try? VietnameseNumber.parse(t) else {
            throw AppError.validation([.init(field: "alertThreshold", message: "Ngưỡng cảnh báo phải là số, ví dụ 70 hoặc 72,5.")])
        }
        return v
    }

    struct FileUpload: Content {
        var file: File
        var alertThreshold: String?
        var dryRun: String?
    }

    @Sendable func importXLSForm(req: Request) async throws -> Response {
        let id = try campaignID(req)
        let upload = try req.content.decode(FileUpload.self)
        let data = Data(buffer: upload.file.data)
        return try await submit(req, success: "Đã nhập phiếu điều tra từ XLSForm.", redirect: "/campaigns/\(id)/surveys",
                                rerender: { try await renderOverview(req, errors: $0) }) {
            _ = try await SurveyService(request: req).importXLSForm(id, data, alertThreshold: try Self.threshold(upload.alertThreshold))
        }
    }

    @Sendable func exportXLSForm(req: Request) async throws -> Response {
        let file = try await SurveyService(request: req).xlsform(try req.parameters.require("questionnaireID", as: UUID.self))
        return Download.response(file.data, filename: file.name, contentType: Download.xlsx)
    }

    @Sendable func deleteQuestionnaire(req: Request) async throws -> Response {
        let service = SurveyService(request: req)
        let q = try await service.questionnaire(try req.parameters.require("questionnaireID", as: UUID.self))
        let campaign = q.$campaign.id
        req.parameters.set("campaignID", to: campaign.uuidString)
        return try await submit(req, success: "Đã xóa phiếu điều tra.", redirect: "/campaigns/\(campaign)/surveys",
                                rerender: { try await renderOverview(req, errors: $0) }) {
            try await service.deleteQuestionnaire(q.id!)
        }
    }

    @Sendable func saveGroup(req: Request) async throws -> Response {
        let id = try campaignID(req)
        let form = try req.content.decode([String: String].self)
        func int(_ key: String) -> Int { (try? VietnameseNumber.parse(form[key] ?? "")).map { Int($0) } ?? -1 }
        let input = GroupInput(code: form["code"] ?? "", name: form["name"] ?? "", formId: form["formId"] ?? "",
                               plannedBallots: int("plannedBallots"), quotaPerUnit: int("quotaPerUnit"),
                               weight: (form["weight"]?.isEmpty ?? true) ? nil : ((try? VietnameseNumber.parse(form["weight"]!)) ?? -1))
        return try await submit(req, success: "Đã lưu nhóm đối tượng “\(input.name)”.", redirect: "/campaigns/\(id)/surveys",
                                rerender: { try await renderOverview(req, errors: $0) }) {
            _ = try await SurveyService(request: req).upsertGroup(id, input)
        }
    }

    @Sendable func deleteGroup(req: Request) async throws -> Response {
        let id = try campaignID(req)
        let code = try req.parameters.require("code")
        return try await submit(req, success: "Đã xóa nhóm “\(code)”.", redirect: "/campaigns/\(id)/surveys",
                                rerender: { try await renderOverview(req, errors: $0) }) {
            try await SurveyService(request: req).deleteGroup(id, code: code)
        }
    }

    @Sendable func createBatch(req: Request) async throws -> Response {
        let id = try campaignID(req)
        let form = try req.content.decode([String: String].self)
        let input = BatchInput(formId: form["formId"] ?? "", receivedFrom: form["receivedFrom"] ?? "", receivedBy: form["receivedBy"] ?? "",
                               receivedOn: form["receivedOn"] ?? "",
                               declaredCount: (try? VietnameseNumber.parse(form["declaredCount"] ?? "")).map { Int($0) } ?? 0,
                               sealed: form["sealed"] != nil)
        do {
            let b = try await BallotService(request: req).createBatch(id, input)
            req.flash(.success, "Đã ghi nhận lô phiếu số \(b.number).")
            return req.redirect(to: "/surveys/batches/\(b.id!)")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderOverview(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    // MARK: Batch

    struct BatchPage: Encodable, Sendable {
        var page: PageContext
        var campaignId: UUID
        var batch: BatchDTO
        var questionnaire: QuestionnaireDTO
        var flagged: [BallotDTO]
        var ballots: [BallotDTO]
        var canManage: Bool
        var canEnter: Bool
        var errors: FormErrors
        var summary: String?
    }

    private func renderBatch(_ req: Request, errors: FormErrors = FormErrors(), summary: String? = nil) async throws -> View {
        let service = BallotService(request: req)
        let b = try await service.find(try batchID(req))
        let all = try await service.ballots(b.id!)
        let policy = req.currentUser?.policy
        return try await req.view.render("surveys/batch", BatchPage(
            page: PageContext(req, title: "Lô phiếu số \(b.number)"), campaignId: b.$campaign.id, batch: try await service.dto(b),
            questionnaire: try SurveyService.dto(b.questionnaire), flagged: all.filter { $0.review == "pending" },
            ballots: Array(all.prefix(200)), canManage: policy?.allowsSomewhere(.surveysManage) ?? false,
            canEnter: (policy?.allowsSomewhere(.surveysEnter) ?? false) && !b.isClosed, errors: errors, summary: summary))
    }

    @Sendable func batch(req: Request) async throws -> View { try await renderBatch(req) }

    @Sendable func importBallots(req: Request) async throws -> Response {
        let id = try batchID(req)
        let upload = try req.content.decode(FileUpload.self)
        let dryRun = upload.dryRun != nil
        do {
            let s = try await BallotService(request: req).importFile(id, Data(buffer: upload.file.data), dryRun: dryRun)
            let text = "\(VietnameseNumber.format(s.ballots)) phiếu (\(VietnameseNumber.format(s.rows)) dòng), \(VietnameseNumber.format(s.flagged)) dòng cần xem xét."
            if dryRun {
                return try await renderBatch(req, summary: "Kiểm tra xong, không có lỗi: \(text) Chưa có gì được lưu.").encodeResponse(for: req)
            }
            req.flash(.success, "Đã nhập \(text)")
            return req.redirect(to: "/surveys/batches/\(id)")
        } catch where FormErrors.isFixable(error) {
            let r = try await renderBatch(req, errors: FormErrors(error, typedIn: req)).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let id = try batchID(req)
        let note = try req.optionalBodyField("note")
        let version = try req.optionalBodyField("version").flatMap { Int($0) }
        return try await submit(req, success: "Đã khóa lô phiếu; điểm điều tra đã được tính lại.", redirect: "/surveys/batches/\(id)",
                                rerender: { try await renderBatch(req, errors: $0) }) {
            _ = try await BallotService(request: req).close(id, CloseBatchInput(note: note, version: version))
        }
    }

    // MARK: Keyed entry

    struct EntryPage: Encodable, Sendable {
        struct Question: Encodable, Sendable {
            var code: String
            var label: String
            var section: String
            var allowed: String
            var choices: String
            var required: Bool
            /// The typed value, kept when a ballot is refused.
            var value: String
        }
        struct Cell: Encodable, Sendable { var name: String; var value: String; var allowed: String; var label: String }
        struct UnitRow: Encodable, Sendable { var code: String; var name: String; var cells: [Cell] }
        var page: PageContext
        var batch: BatchDTO
        var questionnaire: QuestionnaireDTO
        var multiple: Bool
        var questions: [Question]
        var choicesLegend: String
        /// Every question offers the same options: the legend above says it once.
        var uniformChoices: Bool
        var units: [UnitOption]
        /// Multi-target ballots: one row per unit, one cell per question.
        var rows: [UnitRow]
        var groups: [RespondentGroupDTO]
        var errors: FormErrors
        var last: BallotEntryResult?
        var ballotNumber: String
        var selectedUnit: String
        var group: String
    }

    struct UnitOption: Encodable, Sendable { var code: String; var name: String }

    static func questions(_ q: Questionnaire, values: [String: String], prefix: String = "q.") -> [EntryPage.Question] {
        let sections = Dictionary(uniqueKeysWithValues: q.sections.map { ($0.code, $0.label) })
        return q.questions.map { question in
            let choices = q.choices(of: question)
            return EntryPage.Question(code: question.code, label: question.label, section: question.section.flatMap { sections[$0] } ?? "",
                                      allowed: choices.map(\.code).joined(separator: ","),
                                      choices: choices.map { "\($0.code) \($0.label)" }.joined(separator: " · "),
                                      required: question.required, value: values[prefix + question.code] ?? "")
        }
    }

    private func renderEntry(_ req: Request, errors: FormErrors = FormErrors(), last: BallotEntryResult? = nil,
                             values: [String: String] = [:]) async throws -> View {
        let service = BallotService(request: req)
        let b = try await service.find(try batchID(req))
        let q = try b.questionnaire.questionnaire()
        let questions = Self.questions(q, values: values)
        let groups = try await RespondentGroupModel.query(on: req.db).filter(\.$campaign.$id == b.$campaign.id)
            .filter(\.$formID == q.formID).sort(\.$code).all().map(SurveyService.dto)
        let units = try await service.campaignUnits(b.$campaign.id).sortedVietnamese(by: { $0.name })
        let rows = q.targetMode == .multiple ? units.map { u in
            EntryPage.UnitRow(code: u.code, name: u.name, cells: questions.map { question in
                let name = "u.\(u.code).\(question.code)"
                return EntryPage.Cell(name: name, value: values[name] ?? "", allowed: question.allowed, label: "\(u.name) — \(question.label)")
            })
        } : []
        return try await req.view.render("surveys/entry", EntryPage(
            page: PageContext(req, title: "Nhập phiếu — lô số \(b.number)"), batch: try await service.dto(b),
            questionnaire: try SurveyService.dto(b.questionnaire), multiple: q.targetMode == .multiple, questions: questions,
            choicesLegend: questions.first?.choices ?? "", uniformChoices: Set(questions.map(\.choices)).count <= 1, units: units.map { UnitOption(code: $0.code, name: $0.name) }, rows: rows,
            groups: groups, errors: errors, last: last, ballotNumber: values["ballotNumber"] ?? "", selectedUnit: values["unit"] ?? "",
            group: values["group"] ?? groups.first?.code ?? ""))
    }

    @Sendable func entryForm(req: Request) async throws -> View { try await renderEntry(req) }

    /// Form fields: `ballotNumber`, `group`, and for a single-target form `unit` + `q.<question>`;
    /// for a multi-target form `u.<unit>.<question>` (units left blank are not rated).
    @Sendable func enter(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let service = BallotService(request: req)
        let b = try await service.find(try batchID(req))
        let q = try b.questionnaire.questionnaire()
        var ratings: [BallotEntryInput.Rating] = []
        if q.targetMode == .single {
            var answers: [String: String] = [:]
            for question in q.questions { answers[question.code] = form["q.\(question.code)"]?.trimmingCharacters(in: .whitespaces) ?? "" }
            ratings.append(.init(unit: form["unit"] ?? "", answers: answers))
        } else {
            for u in try await service.campaignUnits(b.$campaign.id) {
                var answers: [String: String] = [:]
                for question in q.questions {
                    answers[question.code] = form["u.\(u.code).\(question.code)"]?.trimmingCharacters(in: .whitespaces) ?? ""
                }
                if answers.values.contains(where: { !$0.isEmpty }) { ratings.append(.init(unit: u.code, answers: answers)) }
            }
        }
        let input = BallotEntryInput(ballotNumber: form["ballotNumber"] ?? "", group: form["group"] ?? "", ratings: ratings)
        do {
            let r = try await service.enter(b.id!, input)
            // The next blank ballot, same group: paper ballots come in packs of one group.
            return try await renderEntry(req, last: r, values: ["group": input.group]).encodeResponse(for: req)
        } catch where FormErrors.isFixable(error) {
            let typed = FormErrors(error, typed: form)
            let r = try await renderEntry(req, errors: typed, values: typed.values).encodeResponse(for: req)
            r.status = FormErrors.status(for: error)
            return r
        }
    }

    // MARK: Corrections and review

    struct CorrectionPage: Encodable, Sendable {
        var page: PageContext
        var ballot: BallotDTO
        var batchId: UUID
        var questions: [EntryPage.Question]
        var errors: FormErrors
    }

    private func renderCorrection(_ req: Request, errors: FormErrors = FormErrors(), values: [String: String]? = nil) async throws -> View {
        let id = try req.parameters.require("ballotID", as: UUID.self)
        guard let m = try await BallotModel.find(id, on: req.db) else { throw AppError.notFound(entity: "phiếu") }
        let service = BallotService(request: req)
        let b = try await service.find(m.$batch.id)
        let q = try b.questionnaire.questionnaire()
        let units = Dictionary(uniqueKeysWithValues: try await service.campaignUnits(b.$campaign.id).map { ($0.id!, $0) })
        let dto = BallotService.dto(m, units)
        var current: [String: String] = [:]
        for (i, question) in q.questions.enumerated() where i < dto.answers.count { current["q.\(question.code)"] = dto.answers[i] }
        return try await req.view.render("surveys/correct", CorrectionPage(
            page: PageContext(req, title: "Điều chỉnh phiếu số \(dto.ballotNumber)"), ballot: dto, batchId: b.id!,
            questions: Self.questions(q, values: values ?? current), errors: errors))
    }

    @Sendable func correctionForm(req: Request) async throws -> View { try await renderCorrection(req) }

    @Sendable func correct(req: Request) async throws -> Response {
        let id = try req.parameters.require("ballotID", as: UUID.self)
        let form = try req.content.decode([String: String].self)
        var answers: [String: String] = [:]
        for (k, v) in form where k.hasPrefix("q.") { answers[String(k.dropFirst(2))] = v.trimmingCharacters(in: .whitespaces) }
        let input = BallotCorrectionInput(answers: form["voided"] != nil ? nil : answers, voided: form["voided"] != nil ? true : nil,
                                          reason: form["reason"] ?? "", version: form["version"].flatMap { Int($0) })
        guard let m = try await BallotModel.find(id, on: req.db) else { throw AppError.notFound(entity: "phiếu") }
        let batch = m.$batch.id
        return try await submit(req, success: "Đã điều chỉnh phiếu số \(m.ballotNumber); điểm đã được tính lại.",
                                redirect: "/surveys/batches/\(batch)",
                                rerender: { try await renderCorrection(req, errors: $0, values: form) }) {
            _ = try await BallotService(request: req).correct(id, input)
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        let id = try req.parameters.require("ballotID", as: UUID.self)
        let form = try req.content.decode([String: String].self)
        guard let m = try await BallotModel.find(id, on: req.db) else { throw AppError.notFound(entity: "phiếu") }
        let batch = m.$batch.id
        req.parameters.set("batchID", to: batch.uuidString)
        return try await submit(req, success: form["decision"] == "rejected" ? "Đã loại phiếu số \(m.ballotNumber)." : "Đã giữ phiếu số \(m.ballotNumber).",
                                redirect: "/surveys/batches/\(batch)", rerender: { try await renderBatch(req, errors: $0) }) {
            _ = try await BallotService(request: req).review(id, BallotReviewInput(decision: form["decision"] ?? "", reason: form["reason"],
                                                                                 version: form["version"].flatMap { Int($0) }))
        }
    }

    // MARK: Report

    struct ReportPage: Encodable, Sendable {
        var page: PageContext
        var report: SurveyReportDTO
    }

    @Sendable func report(req: Request) async throws -> Response {
        let c = try await CampaignService(request: req).find(try campaignID(req))
        let report = try await SurveyReportDTO.build(campaign: c, on: req.db).visible(to: req)
        if let format = try req.formatParameter(["xlsx", "csv"]) {
            return try await SurveysAPIController.reportResponse(report, format: format, req)
        }
        return try await req.view.render("surveys/report", ReportPage(page: PageContext(req, title: "Báo cáo điều tra — \(c.name)"),
                                                                      report: report)).encodeResponse(for: req)
    }
}
