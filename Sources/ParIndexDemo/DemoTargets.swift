import Foundation
import ParIndexCore
import ParIndexServer

/// Where seed 004 put each unit in 2022 (sections III and IV of the report), and the search
/// that makes the demo's generated data land there: its published 2022 results have the
/// report's bands and head-of-unit ratings, unit by unit (departments 3 / 14 / 1 by band,
/// 3 / 13 / 2 / 0 by rating; districts 2 / 9 / 1 and 2 / 8 / 2 / 0).
enum DemoTargets {
    struct Target: Sendable {
        /// Index % to land in: inside the report's band, away from its edges.
        var band: ClosedRange<Double>
        var rating: HeadRating
        /// The unit's self-assessment quality range to draw from.
        var quality: ClosedRange<Double>
    }

    static let excellent = Target(band: 90.4...95.5, rating: .excellent, quality: 0.90...0.98)
    static let good = Target(band: 80.6...89.4, rating: .good, quality: 0.80...0.95)
    /// 80 – 90 %, but one field under 70 %: "hoàn thành nhiệm vụ" (BQL KCN, Tứ Kỳ).
    static let goodBandCompleted = Target(band: 80.6...89.4, rating: .completed, quality: 0.86...0.97)
    static let under80 = Target(band: 72...79.4, rating: .completed, quality: 0.70...0.86)

    /// Seed 004. (The report lists Kim Thành both at ≥ 90 % and at 80 – 90 %; its rating
    /// "xuất sắc" and the count of 2 at ≥ 90 % settle it at ≥ 90 %.)
    static let year2022: [String: Target] = [
        "SGTVT": excellent, "SNV": excellent, "SKHCN": excellent,
        "VPUBND": good, "TTT": good, "STTTT": good, "SNNPTNT": good, "SCT": good, "SVHTTDL": good, "SXD": good,
        "SKHDT": good, "STC": good, "SLDTBXH": good, "STNMT": good, "SGDDT": good, "STP": good,
        "BQLKCN": goodBandCompleted, "SYT": under80,
        "HNS": excellent, "HKT": excellent,
        "TPHD": good, "TPCL": good, "TXKM": good, "HGL": good, "HTM": good, "HCG": good, "HNG": good, "HBG": good,
        "HTK": goodBandCompleted, "HTH": under80,
    ]

    /// A unit's tuned 2022: its claims, the appraisals of its claims, its explanations, and
    /// the satisfaction its survey ballots are drawn around.
    struct Tuned: Sendable {
        var entries: [DemoEntry]
        var appraisals: [DemoAppraisal]
        var explanations: [String: String]
        var satisfaction: Double
    }

    static let satisfactionGrid = Array(stride(from: 0.40, through: 0.98, by: 0.02))

    /// Searches, unit by unit, a variant of the self-assessment and a satisfaction level that
    /// put the unit in its target with the other units as they stand (normalised ratios
    /// compare units, so a few passes settle it). Deterministic: same seeds, same result.
    static func tune(_ f: Framework, kind: UnitKind, codes: [String], year: Int) -> [String: Tuned] {
        let sorted = codes.sorted()
        let ids = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, UUID(uuid: uuidBytes($0))) })
        let engine = ResultsEngine(framework: f)
        let survey = DemoSurveyPoints(framework: f, kind: kind, unitCodes: sorted, year: year)
        func variant(_ code: String, _ attempt: Int) -> Tuned {
            let target = year2022[code] ?? good
            let entries = DemoEntries.generate(f, unitCode: code, year: year, label: "entries/\(year)/\(code)/\(attempt)", quality: target.quality)
            let (appraisals, explanations) = DemoAppraisals.plan(f, entries: entries, unitCode: code, year: year)
            return Tuned(entries: entries, appraisals: appraisals, explanations: explanations, satisfaction: 0.86)
        }
        func submission(_ code: String, _ t: Tuned) -> UnitSubmission {
            var inputs: [String: LeafInput] = [:]
            for e in t.entries { inputs[e.leafCode] = e.input }
            var staged: [String: [AppraisalStage: LeafInput]] = [:]
            for a in t.appraisals { staged[a.leafCode, default: [:]][a.stage] = a.input }
            for (leaf, stages) in staged { inputs[leaf] = AppraisalRules.standing(claimed: inputs[leaf], appraised: stages) }
            for (leaf, points) in survey.points(code, satisfaction: t.satisfaction) { inputs[leaf] = .points(points) }
            return UnitSubmission(unitID: ids[code]!, name: code, inputs: inputs)
        }
        func meets(_ code: String, _ r: UnitResult) -> Bool {
            let target = year2022[code] ?? good
            return target.band.contains(r.indexPercent) && r.rating == target.rating
        }
        var chosen = Dictionary(uniqueKeysWithValues: codes.map { ($0, variant($0, 0)) })
        var attempts = Dictionary(uniqueKeysWithValues: codes.map { ($0, 0) })
        // Normalised ratios compare units, so tuning one can move another: a few passes settle it.
        for _ in 0 ..< 10 {
            let all = engine.compute(codes.map { submission($0, chosen[$0]!) })
            let failing = codes.filter { code in !(all.units.first { $0.unitID == ids[code] }.map { meets(code, $0) } ?? false) }
            if failing.isEmpty { break }
            for code in failing {
                let target = year2022[code] ?? good
                // Each unit aims at its own point of the band, so the ranking spreads as real ones do.
                var rng = DemoRandom("aim/\(year)/\(code)")
                let aim = rng.double(in: target.band.lowerBound + 0.3 ... target.band.upperBound - 0.3)
                search: for attempt in attempts[code]! ..< attempts[code]! + 400 {
                    var t = variant(code, attempt)
                    guard DemoEntries.plausibleShare.contains(DemoEntries.claimedShare(t.entries, leaves: DemoEntries.leaves(f))) else { continue }
                    func evaluate(_ s: Double) -> UnitResult? {
                        t.satisfaction = s
                        var trial = chosen
                        trial[code] = t
                        return engine.compute(codes.map { submission($0, trial[$0]!) }).units.first { $0.unitID == ids[code] }
                    }
                    guard let base = evaluate(0.86) else { continue }
                    // The survey moves the index linearly: aim with that, then check.
                    let basePoints = survey.total(code, satisfaction: 0.86)
                    let ranked = satisfactionGrid.sorted {
                        abs(base.indexPercent + (survey.total(code, satisfaction: $0) - basePoints) / base.maxPoints * 100 - aim)
                            < abs(base.indexPercent + (survey.total(code, satisfaction: $1) - basePoints) / base.maxPoints * 100 - aim)
                    }
                    for s in ranked.prefix(6) {
                        if let r = evaluate(s), meets(code, r) {
                            t.satisfaction = s
                            chosen[code] = t
                            attempts[code] = attempt
                            break search
                        }
                    }
                }
            }
        }
        return chosen
    }

    private static func uuidBytes(_ i: Int) -> uuid_t {
        (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF))
    }
}

/// One appraisal stage of the demo: what the secretariat accepted, and why.
struct DemoAppraisal: Sendable {
    var leafCode: String
    var stage: AppraisalStage
    var input: LeafInput
    var points: Double
    var reason: String
}

/// The secretariat's work on a unit's claims: one to three criteria lowered in round 1 with a
/// reason; the unit explains the first, and round 2 accepts the explanation.
enum DemoAppraisals {
    static let reasons = [
        "Tài liệu kiểm chứng chưa thể hiện đầy đủ nội dung của tiêu chí.",
        "Văn bản được ban hành sau thời hạn quy định.",
        "Báo cáo chưa có số liệu chứng minh kết quả tự chấm.",
        "Kế hoạch chưa xác định rõ thời gian hoàn thành và đơn vị thực hiện.",
    ]

    static func plan(_ f: Framework, entries: [DemoEntry], unitCode: String, year: Int) -> ([DemoAppraisal], [String: String]) {
        var rng = DemoRandom("appraisal/\(year)/\(unitCode)")
        let nodes = Dictionary(uniqueKeysWithValues: DemoEntries.leaves(f).filter { $0.role == .scored }.map { ($0.node.code, $0.node) })
        let lowerable = entries.compactMap { e -> (DemoEntry, FrameworkNode, LeafInput)? in
            guard let node = nodes[e.leafCode], let lower = lowered(node, e.input) else { return nil }
            return (e, node, lower)
        }
        var out: [DemoAppraisal] = []
        var explanations: [String: String] = [:]
        for (i, (entry, node, lower)) in rng.shuffled(lowerable).prefix(rng.int(in: 1...3)).enumerated() {
            out.append(DemoAppraisal(leafCode: entry.leafCode, stage: .round1, input: lower,
                                     points: DemoEntries.points(node, lower), reason: rng.pick(reasons)))
            if i == 0 {
                explanations[entry.leafCode] = "Đơn vị bổ sung văn bản số \(rng.int(in: 12...260))/BC ngày \(rng.int(in: 10...28))/12/\(year) thể hiện đầy đủ kết quả thực hiện; đề nghị Tổ thư ký xem xét giữ nguyên điểm tự chấm."
                out.append(DemoAppraisal(leafCode: entry.leafCode, stage: .round2, input: entry.input, points: entry.points,
                                         reason: "Chấp nhận giải trình và tài liệu bổ sung của đơn vị."))
            }
        }
        return (out, explanations)
    }

    /// A lower input an appraiser would accept instead: "no" for a "yes", the level below.
    private static func lowered(_ node: FrameworkNode, _ input: LeafInput) -> LeafInput? {
        switch (node.method, input) {
        case (.yesNo?, .yesNo(true)):
            return .yesNo(false)
        case let (.levels(levels)?, .level(id)):
            let ordered = levels.sorted { $0.points > $1.points }
            guard let i = ordered.firstIndex(where: { $0.id == id }), i + 1 < ordered.count else { return nil }
            return .level(ordered[i + 1].id)
        default:
            return nil
        }
    }
}

/// Survey points of one unit for a satisfaction level, from exactly the ballots
/// ``DemoSurveys`` will store for it (same questionnaires, same seeds), scored by the domain.
struct DemoSurveyPoints {
    let kind: UnitKind
    let unitCodes: [String]
    let year: Int
    let sipas: Questionnaire
    let org: Questionnaire
    /// Framework criterion (code, max) per survey source.
    let leaves: [String: (code: String, max: Double)]
    private let cache = Cache()

    private final class Cache: @unchecked Sendable {
        // @unchecked: used by one tuning run on one task.
        var points: [String: [String: Double]] = [:]
    }

    init(framework f: Framework, kind: UnitKind, unitCodes: [String], year: Int) {
        self.kind = kind
        self.unitCodes = unitCodes
        self.year = year
        self.sipas = DemoSurveys.sipas(year)
        self.org = DemoSurveys.organisational(year)
        var leaves: [String: (code: String, max: Double)] = [:]
        for leaf in f.leaves { if case let .survey(source)? = leaf.method { leaves[source] = (leaf.code, leaf.maxPoints) } }
        self.leaves = leaves
    }

    func total(_ code: String, satisfaction: Double) -> Double { points(code, satisfaction: satisfaction).values.reduce(0, +) }

    func points(_ code: String, satisfaction s: Double) -> [String: Double] {
        let key = "\(code)/\(s)"
        if let hit = cache.points[key] { return hit }
        let plan = DemoSurveys.plan(kind)
        guard let u = unitCodes.firstIndex(of: code) else { return [:] }
        var out: [String: Double] = [:]
        let orgBallots = plan.orgGroups.flatMap { g in
            (1...g.ballots).map { i in DemoSurveys.ballot(org, "\(g.code.uppercased())-\(i)", group: g.code, unit: 0, satisfaction: s,
                                                           seed: "\(year)/\(g.code)/\(i)/\(code)") }
        }
        let sipasBallots = (0 ..< plan.citizens).filter { $0 % unitCodes.count == u }.map { i in
            DemoSurveys.ballot(sipas, "SIPAS-\(i + 1)", group: "nguoi_dan", unit: 0, satisfaction: s, seed: "\(year)/sipas/\(i)")
        }
        for (q, ballots, groups) in [(org, orgBallots, plan.orgGroups.map(\.code)), (sipas, sipasBallots, ["nguoi_dan"])] {
            guard let leaf = leaves[q.source] else { continue }
            var builder = SurveyTallyBuilder(questionnaire: q, unitCodes: [code])
            builder.add(contentsOf: ballots)
            let scoring = try? SurveyScoring(questionnaire: q, groups: groups.map {
                RespondentGroup(code: $0, name: $0, formID: q.formID, plannedBallots: 0, quotaPerUnit: 0)
            })
            if let score = scoring?.score(builder.build(), unit: code, maxPoints: leaf.max) { out[leaf.code] = score.points }
        }
        cache.points[key] = out
        return out
    }
}
