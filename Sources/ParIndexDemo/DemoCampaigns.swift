import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// Two years of campaigns per unit kind: 2022 finished (every unit submitted, with evidence),
/// 2023 in self-assessment now, so a newcomer sees both a closed year and work in progress,
/// and later rank changes between the years.
enum DemoCampaigns {
    enum Progress: Sendable, Equatable {
        case untouched
        /// A draft with this share of the leaves filled, in framework order (reporters work top down).
        case partial(Double)
        case headApproved
        case submitted
    }

    /// 2023: Sở Nội vụ (the demo reporter's unit) half done, Sở Tư pháp complete and waiting
    /// for its head's approval, a few units ahead, the rest not started.
    static let progress2023: [String: Progress] = [
        "SNV": .partial(0.5), "STP": .partial(1), "SXD": .headApproved,
        "SYT": .submitted, "STC": .submitted, "SKHCN": .submitted,
        "HNS": .submitted, "TPCL": .submitted, "HGL": .headApproved, "HTK": .partial(0.3),
    ]

    struct PlannedAssessment: Sendable {
        var unit: DemoEvidence.Unit
        var status: AssessmentStatus
        var entries: [DemoEntry]
        var documents: [DemoDocument]
        var approvedAt: Date?
        var submittedAt: Date?
        /// Who typed and who approved: the demo accounts for Sở Nội vụ, `system` elsewhere
        /// (no other unit has accounts in the demo).
        var reporter: String
        var head: String
        /// 2022: the secretariat's appraisal stages and the unit's explanations (by leaf code).
        var appraisals: [DemoAppraisal] = []
        var explanations: [String: String] = [:]
    }

    struct PlannedCampaign: Sendable {
        var name: String
        var year: Int
        var kind: UnitKind
        /// The unit that runs the campaign (issue #19). Seed 004: the province (its Sở Nội vụ
        /// coordinates, its council decides) runs both the departments' and the districts' index.
        var owner: String = DemoProvince.province.0
        var schedule: CampaignSchedule
        /// Index in the plan of last year's campaign for the same units.
        var previous: Int?
        var assessments: [PlannedAssessment]
        /// Survey satisfaction by unit code, where the tuning chose it (2022).
        var satisfaction: [String: Double] = [:]
    }

    static func name(_ kind: UnitKind, year: Int) -> String {
        kind == .department ? "Chỉ số CCHC năm \(year) của các sở, ban, ngành tỉnh"
            : "Chỉ số CCHC năm \(year) của UBND các huyện, thị xã, thành phố"
    }

    /// Everything to write, computed without touching the database. Only the 2023 windows and
    /// approval times depend on `now`; every input, point and document is fixed by the seeds.
    static func plan(frameworks: [UnitKind: DemoFrameworks.Source], now: Date) -> [PlannedCampaign] {
        let units: [UnitKind: [DemoEvidence.Unit]] = [
            .department: DemoProvince.departments.map { .init(code: $0.0, name: $0.1, kind: .department) },
            .district: DemoProvince.districts.map { .init(code: $0.0, name: $0.1, kind: .district) },
        ]
        // Seed 004: self-assessment from 25/12/2022 to 24:00 on 10/01/2023, appraisal 11–16/01/2023.
        // The rest of the 2022 calendar follows the report: explanation, round 2 and the council in
        // January–February, publication in March 2023.
        var closed = CampaignSchedule()
        closed.windows[.selfAssessment] = .days(from: DemoCalendar.day(25, 12, 2022), through: DemoCalendar.day(10, 1, 2023))
        closed.windows[.appraisalRound1] = .days(from: DemoCalendar.day(11, 1, 2023), through: DemoCalendar.day(16, 1, 2023))
        closed.windows[.explanation] = .days(from: DemoCalendar.day(17, 1, 2023), through: DemoCalendar.day(19, 1, 2023))
        closed.windows[.appraisalRound2] = .days(from: DemoCalendar.day(30, 1, 2023), through: DemoCalendar.day(3, 2, 2023))
        closed.windows[.councilReview] = .days(from: DemoCalendar.day(6, 2, 2023), through: DemoCalendar.day(28, 2, 2023))
        closed.windows[.publication] = .days(from: DemoCalendar.day(1, 3, 2023), through: DemoCalendar.day(31, 12, 2023))
        var open = CampaignSchedule()
        open.windows[.selfAssessment] = .days(from: DemoCalendar.days(-10, from: now), through: DemoCalendar.days(20, from: now))
        open.windows[.appraisalRound1] = .days(from: DemoCalendar.days(21, from: now), through: DemoCalendar.days(26, from: now))

        var out: [PlannedCampaign] = []
        for kind in [UnitKind.department, .district] {
            guard let source = frameworks[kind] else { continue }
            let f = source.framework
            let tuned = DemoTargets.tune(f, kind: kind, codes: units[kind, default: []].map(\.code), year: 2022)
            out.append(PlannedCampaign(name: name(kind, year: 2022), year: 2022, kind: kind, schedule: closed, previous: nil,
                                       assessments: units[kind, default: []].map { unit in
                                           var a = assessment(f, unit, year: 2022, .submitted, now: now, entries: tuned[unit.code]?.entries)
                                           a.appraisals = tuned[unit.code]?.appraisals ?? []
                                           a.explanations = tuned[unit.code]?.explanations ?? [:]
                                           return a
                                       }, satisfaction: tuned.mapValues(\.satisfaction)))
            out.append(PlannedCampaign(name: name(kind, year: 2023), year: 2023, kind: kind, schedule: open, previous: out.count - 1,
                                       assessments: units[kind, default: []].map {
                                           assessment(f, $0, year: 2023, progress2023[$0.code] ?? .untouched, now: now)
                                       }))
        }
        return out
    }

    private static func assessment(_ f: Framework, _ unit: DemoEvidence.Unit, year: Int, _ progress: Progress,
                                   now: Date, entries tuned: [DemoEntry]? = nil) -> PlannedAssessment {
        var rng = DemoRandom("timeline/\(year)/\(unit.code)")
        let hasAccounts = ["SNV", "STP"].contains(unit.code)
        let code = unit.code.lowercased()
        var a = PlannedAssessment(unit: unit, status: .draft, entries: [], documents: [], approvedAt: nil, submittedAt: nil,
                                  reporter: hasAccounts ? "baocao.\(code)" : "system", head: hasAccounts ? "thutruong.\(code)" : "system")
        let all = tuned ?? DemoEntries.generate(f, unitCode: unit.code, year: year)
        var evidenceCount = 0
        switch progress {
        case .untouched:
            return a
        case let .partial(share):
            a.entries = Array(all.prefix(Int((Double(all.count) * share).rounded())))
            evidenceCount = 3
        case .headApproved, .submitted:
            a.entries = all
            evidenceCount = year == 2022 ? rng.int(in: 5...8) : rng.int(in: 4...6)
            // 2022 units submitted in the last week before the deadline; 2023 ones in the last days.
            let submitted = year == 2022
                ? DemoCalendar.day(rng.int(in: 3...10), 1, 2023, hour: rng.int(in: 8...16), minute: rng.int(in: 0...59))
                : now.addingTimeInterval(-Double(rng.int(in: 26...140)) * 3600)
            a.approvedAt = submitted.addingTimeInterval(-Double(rng.int(in: 2...20)) * 3600)
            if progress == .submitted {
                a.status = .submitted
                a.submittedAt = submitted
            } else {
                a.status = .headApproved
            }
        }
        a.documents = DemoEvidence.documents(f, unit: unit, year: year, entries: a.entries, count: evidenceCount)
        return a
    }

    struct Counts: Sendable, Codable {
        var campaigns = 0, assessments = 0, entries = 0, documents = 0, files = 0, appraisals = 0
    }

    /// Writes the plan (evidence files must already be on disk). Bulk inserts: see ``DemoInsert``.
    static func store(_ plan: [PlannedCampaign], units: [String: UUID], frameworks: [UnitKind: UUID],
                      on db: any Database) async throws -> Counts {
        var counts = Counts()
        var campaignIDs: [UUID] = []
        var assessments: [AssessmentModel] = []
        var entries: [AssessmentEntryModel] = []
        var documents: [(assessmentID: UUID, document: DemoDocument, uploadedBy: String)] = []
        var appraisals: [AppraisalModel] = []
        var explanations: [ExplanationModel] = []
        for planned in plan {
            let c = CampaignModel()
            c.name = planned.name
            c.year = planned.year
            c.$framework.id = frameworks[planned.kind]!
            c.$previous.id = planned.previous.map { campaignIDs[$0] }
            c.$ownerUnit.id = units[planned.owner]!
            c.schedule = planned.schedule
            try await c.create(on: db)
            campaignIDs.append(c.id!)
            for pa in planned.assessments {
                let a = AssessmentModel(campaignID: c.id!, unitID: units[pa.unit.code]!)
                a.id = UUID()
                a.status = pa.status.rawValue
                // One version step per workflow transition (approve, submit), as the service counts.
                a.version = pa.status == .submitted ? 2 : pa.status == .headApproved ? 1 : 0
                a.approvedAt = pa.approvedAt
                a.approvedBy = pa.approvedAt == nil ? nil : pa.head
                a.submittedAt = pa.submittedAt
                a.submittedBy = pa.submittedAt == nil ? nil : pa.head
                assessments.append(a)
                for e in pa.entries {
                    let m = AssessmentEntryModel(assessmentID: a.id!, leafCode: e.leafCode)
                    m.input = e.input
                    m.points = e.points
                    m.explanation = e.explanation
                    m.version = 1
                    m.updatedBy = pa.reporter
                    entries.append(m)
                }
                documents += pa.documents.map { (a.id!, $0, pa.reporter) }
                for d in pa.appraisals {
                    let m = AppraisalModel()
                    m.$assessment.id = a.id!
                    m.leafCode = d.leafCode
                    m.stage = d.stage.rawValue
                    m.input = d.input
                    m.points = d.points
                    m.reason = d.reason
                    m.appraiser = "thamdinh"
                    m.version = 1
                    m.id = UUID()
                    appraisals.append(m)
                }
                for (leaf, text) in pa.explanations.sorted(by: { $0.key < $1.key }) {
                    let m = ExplanationModel()
                    m.id = UUID()
                    m.$assessment.id = a.id!
                    m.leafCode = leaf
                    m.text = text
                    m.author = pa.reporter
                    explanations.append(m)
                }
            }
        }
        try await DemoInsert.all(assessments, on: db)
        try await DemoInsert.all(entries, on: db)
        try await DemoInsert.all(appraisals, on: db)
        try await DemoInsert.all(explanations, on: db)
        counts.appraisals = appraisals.count
        let evidence = try await DemoEvidence.insert(documents, on: db)
        counts.campaigns = campaignIDs.count
        counts.assessments = assessments.count
        counts.entries = entries.count
        counts.documents = evidence.documents
        counts.files = evidence.files
        return counts
    }
}
