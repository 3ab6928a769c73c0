import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The appraisal queue: assigning appraisers, recording each stage, the unit's explanations.
struct AppraisalWebController {
    func register(_ web: GuardedRoutes) {
        web.get("campaigns", ":campaignID", "appraisal", permission: .appraisalsRead, use: queue)
        web.post("campaigns", ":campaignID", "appraisers", permission: .campaignsManage, use: assign)
        web.post("assessments", ":assessmentID", "appraisals", ":leafCode", permission: .appraisalsWrite, use: appraise)
        web.post("assessments", ":assessmentID", "explanations", ":leafCode", permission: .assessmentsEdit, use: explain)
    }

    struct Option: Encodable, Sendable { var value: String; var label: String; var selected: Bool }

    struct QueuePage: Encodable, Sendable {
        var page: PageContext
        var campaign: CampaignDTO
        var rows: [AppraisalRowDTO]
        var units: [Option]
        var unit: String
        var stages: [Option]
        var assignments: [AppraiserAssignmentDTO]
        var canAssign: Bool
        var errors: FormErrors
        var errorLeaf: String?
    }

    private func renderQueue(_ req: Request, errors: FormErrors = FormErrors(), errorLeaf: String? = nil,
                             status: HTTPStatus = .ok) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        let campaign = try await CampaignService(request: req).detail(id)
        let submitted = (campaign.assessments ?? []).filter { $0.status == AssessmentStatus.submitted.rawValue }
        let unit = (try? req.query.get(String.self, at: "unit")) ?? submitted.first?.unitCode ?? ""
        var rows = unit.isEmpty ? [] : try await AppraisalService(request: req).queue(id, unitCode: unit)
        // A refused appraisal shows what the appraiser typed, not what is saved (issue #19).
        if let errorLeaf, !errors.values.isEmpty, let i = rows.firstIndex(where: { $0.leafCode == errorLeaf }) {
            for (k, v) in errors.values where !["stage", "reason"].contains(k) && !k.hasPrefix("version") { rows[i].form[k] = v }
            if let level = errors.values["level"] { rows[i].levels = rows[i].levels?.map { var l = $0; l.selected = l.id == level; return l } }
        }
        let page = QueuePage(
            page: PageContext(req, title: "Thẩm định — \(campaign.name)"), campaign: campaign, rows: rows,
            units: submitted.map { Option(value: $0.unitCode, label: $0.unitName, selected: $0.unitCode == unit) }, unit: unit,
            stages: AppraisalStage.allCases.map { Option(value: $0.rawValue, label: $0.labelVI, selected: false) },
            assignments: try await AppraisalService(request: req).assignments(id),
            canAssign: try await req.context.holds(.campaignsManage, onOwner: campaign.ownerUnitId), errors: errors, errorLeaf: errorLeaf)
        let r = try await req.view.render("campaigns/appraisal", page).encodeResponse(for: req)
        r.status = status
        return r
    }

    @Sendable func queue(req: Request) async throws -> Response { try await renderQueue(req) }

    @Sendable func assign(req: Request) async throws -> Response {
        let id = try req.parameters.require("campaignID", as: UUID.self)
        do {
            _ = try await AppraisalService(request: req).assign(id, try req.content.decode(AssignAppraiserInput.self))
            req.flash(.success, "Đã phân công thẩm định.")
            return req.redirect(to: "/campaigns/\(id)/appraisal")
        } catch where FormErrors.isFixable(error) {
            return try await renderQueue(req, errors: FormErrors(error, typedIn: req), status: FormErrors.status(for: error))
        }
    }

    @Sendable func appraise(req: Request) async throws -> Response {
        let aid = try req.parameters.require("assessmentID", as: UUID.self)
        let code = try req.parameters.require("leafCode")
        let a = try await AssessmentAccess.load(req, aid, .appraisalsWrite)
        var fields = try req.content.decode([String: String].self)
        fields["_csrf"] = nil
        // The page renders one form for every stage, with the version of each stage it showed.
        let stage = fields["stage"] ?? ""
        let version = (fields["version.\(stage)"] ?? fields["version"]).flatMap { Int($0) }
        for key in fields.keys where key.hasPrefix("version") { fields[key] = nil }
        let body = AppraisalInput(stage: stage, fields: fields, reason: fields["reason"], version: version)
        let back = "/campaigns/\(a.$campaign.id)/appraisal?unit=\(a.unit.code)"
        do {
            _ = try await AppraisalService(request: req).appraise(a, leafCode: code, body)
            req.flash(.success, "Đã lưu kết quả thẩm định tiêu chí \(code) của \(a.unit.name).")
            return req.redirect(to: back + "#leaf-\(code)")
        } catch where FormErrors.isFixable(error) {
            req.parameters.set("campaignID", to: a.$campaign.id.uuidString)
            req.url.query = "unit=\(a.unit.code)"
            return try await renderQueue(req, errors: FormErrors(error, typedIn: req), errorLeaf: code, status: FormErrors.status(for: error))
        }
    }

    @Sendable func explain(req: Request) async throws -> Response {
        let aid = try req.parameters.require("assessmentID", as: UUID.self)
        let code = try req.parameters.require("leafCode")
        let a = try await AssessmentAccess.load(req, aid, .assessmentsEdit)
        let text = (try req.optionalBodyField("text")) ?? ""
        do {
            _ = try await AppraisalService(request: req).explain(a, leafCode: code, ExplanationInput(text: text))
            req.flash(.success, "Đã gửi giải trình cho tiêu chí \(code).")
        } catch where FormErrors.isFixable(error) {
            let e = FormErrors(error)
            req.flash(.danger, "Tiêu chí \(code): " + ([e.summary ?? ""] + e.list).joined(separator: " "))
        }
        return req.redirect(to: "/assessments/\(aid)#leaf-\(code)")
    }
}
