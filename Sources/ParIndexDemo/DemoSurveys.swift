import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// The demo's sociological surveys, sized as seed 004 reports them: 2.476 ballots in all.
/// Departments: 20 provincial council delegates, 4 front leaders and 96 district leaders
/// (each rating all 18 departments on one ballot), and 640 citizens and businesses (SIPAS,
/// each rating the department that served them). Districts: 20 + 4 + 72 department leaders,
/// and 1.620 citizens. 2022's batches are handed over by the post office and closed; 2023
/// has its plan and one batch being keyed.
enum DemoSurveys {
    struct Plan {
        var orgGroups: [(code: String, name: String, ballots: Int)]
        var citizens: Int
    }

    static func plan(_ kind: UnitKind) -> Plan {
        kind == .department
            ? Plan(orgGroups: [("dai_bieu", "Đại biểu HĐND tỉnh", 20), ("mttq", "Lãnh đạo Ủy ban MTTQ tỉnh", 4),
                               ("lanh_dao_huyen", "Lãnh đạo UBND, Thường trực HĐND cấp huyện", 96)], citizens: 640)
            : Plan(orgGroups: [("dai_bieu", "Đại biểu HĐND tỉnh", 20), ("mttq", "Lãnh đạo Ủy ban MTTQ tỉnh", 4),
                               ("lanh_dao_so", "Lãnh đạo các sở, ban, ngành tỉnh", 72)], citizens: 1620)
    }

    /// A unit's share of satisfied answers when no tuning chose one: deterministic per unit and year.
    static func satisfaction(_ unitCode: String, year: Int) -> Double {
        var rng = DemoRandom("survey/\(year)/\(unitCode)")
        return rng.double(in: 0.78...0.97)
    }

    static func sipas(_ year: Int) -> Questionnaire {
        QuestionnaireTemplates.sipas(formID: "sipas-\(year)", title: "Phiếu khảo sát sự hài lòng của người dân, doanh nghiệp (SIPAS) năm \(year)", version: "\(year).1")
    }

    static func organisational(_ year: Int) -> Questionnaire {
        QuestionnaireTemplates.organisational(formID: "to-chuc-\(year)", title: "Phiếu lấy ý kiến của tổ chức về công tác CCHC năm \(year)", version: "\(year).1")
    }

    /// Returns the number of ballots stored. `tuned`: satisfaction by unit code, where the
    /// 2022 tuning (``DemoTargets``) chose it.
    static func store(tuned: [String: Double], on db: any Database) async throws -> Int {
        var total = 0
        let campaigns = try await CampaignModel.query(on: db).with(\.$framework).sort(\.$year).all()
        for c in campaigns {
            let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == c.id!).with(\.$unit).all()
            guard let kind = assessments.first?.unit.unitKind else { continue }
            let units = assessments.map(\.unit).sorted { $0.code < $1.code }
            let plan = plan(kind)
            let sipas = Self.sipas(c.year)
            let org = organisational(c.year)
            let level = { (code: String) in c.year == 2022 ? tuned[code] ?? satisfaction(code, year: c.year) : satisfaction(code, year: c.year) }
            let sipasModel = try await questionnaire(sipas, campaign: c.id!, on: db)
            let orgModel = try await questionnaire(org, campaign: c.id!, on: db)
            for g in plan.orgGroups {
                try await group(g.code, g.name, form: org.formID, planned: g.ballots, quota: g.ballots, campaign: c.id!, on: db)
            }
            try await group("nguoi_dan", "Người dân, doanh nghiệp", form: sipas.formID, planned: plan.citizens,
                            quota: plan.citizens / units.count, campaign: c.id!, on: db)
            let context = { (q: Questionnaire) in
                BallotImportContext(questionnaire: q, groupCodes: [], unitCodes: units.map(\.code))
            }
            var number = 0
            if c.year == 2022 {
                for g in plan.orgGroups {
                    let ballots = (1...g.ballots).flatMap { i in
                        units.indices.map { u in ballot(org, "\(g.code.uppercased())-\(i)", group: g.code, unit: u,
                                                        satisfaction: level(units[u].code), seed: "\(c.year)/\(g.code)/\(i)/\(units[u].code)") }
                    }
                    number += 1
                    try await batch(number, orgModel, context(org), ballots, declared: g.ballots, units: units, campaign: c.id!, closed: true, on: db)
                    total += g.ballots
                }
                var citizens: [ParsedBallot] = []
                for i in 0 ..< plan.citizens {
                    let u = i % units.count
                    citizens.append(ballot(sipas, "SIPAS-\(i + 1)", group: "nguoi_dan", unit: u,
                                           satisfaction: level(units[u].code), seed: "\(c.year)/sipas/\(i)"))
                }
                number += 1
                try await batch(number, sipasModel, context(sipas), citizens, declared: plan.citizens, units: units, campaign: c.id!, closed: true, on: db)
                total += plan.citizens
            } else if kind == .department {
                // This year's first pack is being keyed: the survey operator's demo work.
                let keyed = (0 ..< 12).map { i in
                    ballot(sipas, "SIPAS-\(i + 1)", group: "nguoi_dan", unit: i % units.count,
                           satisfaction: satisfaction(units[i % units.count].code, year: c.year), seed: "\(c.year)/sipas/\(i)")
                }
                try await batch(1, sipasModel, context(sipas), keyed, declared: 40, units: units, campaign: c.id!, closed: false, on: db)
                total += keyed.count
            }
        }
        return total
    }

    /// Answers drawn around the unit's satisfaction: satisfied (4 or 5) with that chance,
    /// otherwise mostly "normal" (3), sometimes 2; a few "no opinion" where the form allows it.
    static func ballot(_ q: Questionnaire, _ number: String, group: String, unit: Int, satisfaction: Double, seed: String) -> ParsedBallot {
        var rng = DemoRandom("ballot/\(q.formID)/\(seed)")
        let answers: [UInt8] = q.questions.map { question in
            let codes = q.choices(of: question).map(\.code)
            let code: String
            if codes.contains("0") && rng.chance(0.02) { code = "0" }
            else if rng.chance(satisfaction) { code = rng.chance(0.45) ? "5" : "4" }
            else { code = rng.chance(0.8) ? "3" : "2" }
            return UInt8(codes.firstIndex(of: code) ?? 0)
        }
        return ParsedBallot(line: 0, number: number, group: group, unit: unit, answers: answers)
    }

    private static func questionnaire(_ q: Questionnaire, campaign: UUID, on db: any Database) async throws -> QuestionnaireModel {
        let m = QuestionnaireModel()
        m.$campaign.id = campaign
        m.alertThreshold = 80
        try m.setQuestionnaire(q)
        try await m.create(on: db)
        return m
    }

    private static func group(_ code: String, _ name: String, form: String, planned: Int, quota: Int, campaign: UUID,
                              on db: any Database) async throws {
        let g = RespondentGroupModel()
        g.$campaign.id = campaign
        g.code = code
        g.name = name
        g.formID = form
        g.plannedBallots = planned
        g.quotaPerUnit = quota
        g.weight = 1
        try await g.create(on: db)
    }

    private static func batch(_ number: Int, _ q: QuestionnaireModel, _ validation: BallotImportContext, _ ballots: [ParsedBallot],
                              declared: Int, units: [UnitModel], campaign: UUID, closed: Bool, on db: any Database) async throws {
        let b = BallotBatchModel()
        b.$campaign.id = campaign
        b.$questionnaire.id = q.id!
        b.number = number
        b.receivedFrom = "Bưu điện tỉnh Hải Dương"
        b.receivedBy = "Tổ thư ký Hội đồng (Sở Nội vụ)"
        b.receivedOn = closed ? DemoCalendar.day(18, 1, 2023) : Date()
        b.declaredCount = declared
        b.sealed = true
        b.status = "open"
        b.createdBy = "system"
        b.version = 0
        try await b.create(on: db)
        b.$questionnaire.value = q
        let ctx = BallotService.Context(batch: b, questionnaire: try q.questionnaire(), units: units, validation: validation)
        try await BallotService.insert(ballots, ctx: ctx, user: "nhapphieu", on: db)
        if closed {
            b.status = "closed"
            b.closedBy = "nhapphieu"
            b.closedAt = DemoCalendar.day(20, 1, 2023)
            b.checksum = try await BallotService.checksum(b.id!, on: db)
            try await b.save(on: db)
            try await SurveyTallyService.recompute(questionnaireID: q.id!, on: db)
        }
    }
}
