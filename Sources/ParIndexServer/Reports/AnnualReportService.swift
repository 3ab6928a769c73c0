import Fluent
import Foundation
import ParIndexCore
import SQLKit

/// Builds the annual report of a year from its campaigns: published results (the latest
/// version) for the public, or — for staff who may read live results — the current results
/// of campaigns not yet published, marked as a draft. Issue #19: a published section reads its
/// snapshot only (ranking, score tables, survey figures, report inputs), so the report of a
/// published year never moves; ``AnnualReportCacheKey`` names the versions it depends on.
struct AnnualReportService: ContextService {
    let context: ServiceContext

    enum Scope { case published, draftAllowed }

    struct Built {
        var report: AnnualReport
        /// Some section comes from unpublished, live results.
        var isDraft: Bool
    }

    /// The year's campaigns without a published snapshot: what a draft would show live.
    func unpublishedCampaigns(year: Int) async throws -> [UUID] {
        let ids = try await CampaignModel.query(on: db).filter(\.$year == year).all().map { $0.id! }
        guard !ids.isEmpty else { return [] }
        let published = Set(try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id ~~ ids).all().map(\.$campaign.id))
        return ids.filter { !published.contains($0) }
    }

    func build(year: Int, scope: Scope) async throws -> Built {
        let campaigns = try await CampaignModel.query(on: db).filter(\.$year == year).with(\.$framework).all()
        var sections: [(UnitKind, AnnualReport.Section)] = []
        var draft = false
        let results = ResultsService(context: context)
        for c in campaigns {
            var published = try await results.latestSnapshot(c.id!)
            if published == nil, scope == .draftAllowed {
                published = try await results.compute(c)
                draft = true
            }
            guard let r = published else { continue }
            let s = try await section(c, r)
            sections.append((s.kind, s.section))
        }
        guard !sections.isEmpty else {
            throw AppError.notFound(entity: scope == .published ? "kết quả đã công bố của năm \(year)" : "đợt đánh giá nào của năm \(year)")
        }
        // Departments before districts (seed 004's order), then the rest; letters A, B, C… for the appendices.
        let order: [UnitKind] = [.ministry, .province, .department, .district, .commune]
        let sorted = sections.sorted { (order.firstIndex(of: $0.0) ?? 9, $0.1.campaignName) < (order.firstIndex(of: $1.0) ?? 9, $1.1.campaignName) }
        let letters = Array("ABCDEFGH").map(String.init)
        let root = try await UnitModel.query(on: db).filter(\.$parent.$id == nil).sort(\.$code).first()
        let place = root?.shortName.isEmpty == false ? root!.shortName : root?.name ?? ""
        // Dated the day of the (latest) publication it reports; a draft is dated today.
        let published = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id ~~ campaigns.map { $0.id! })
            .sort(\.$publishedAt, .descending).first()?.publishedAt
        let report = AnnualReport(
            issuer: "UBND \((root?.name ?? "TỈNH").uppercased())".replacingOccurrences(of: "UBND UBND", with: "UBND"),
            place: place, number: "…/BC-UBND", date: draft ? Date() : published ?? Date(), year: year,
            sections: sorted.enumerated().map { i, s in var x = s.1; x.appendixLetter = letters[min(i, letters.count - 1)]; return x },
            recipients: ["Bộ Nội vụ (để báo cáo)", "Thường trực Tỉnh ủy, HĐND tỉnh (để báo cáo)", "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                         "Các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố", "Lưu: VT, SNV."],
            signerTitle: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", signerName: "")
        return Built(report: report, isDraft: draft)
    }

    private func section(_ c: CampaignModel, _ r: PublishedResults) async throws -> (kind: UnitKind, section: AnnualReport.Section) {
        var inputs = r.report
        if inputs == nil {
            // A snapshot of the first shape (before issue #19) has no report inputs: the framework
            // version is immutable once published, and the ballots of a published campaign are read-only.
            let f = try await FrameworkCache.shared.framework(c.framework)
            inputs = .init(unitKind: f.unitKind,
                           scoredFields: f.nodes.filter { $0.role == .scored }.map { .init(code: $0.code, title: $0.title, maxPoints: $0.maxPoints) },
                           composition: f.composition.map { .init(name: $0.name, points: $0.points, isSurvey: $0.source == .survey) },
                           surveyGroups: try await ResultsSnapshotBuilder.surveyGroups(c.id!, on: db))
        }
        let report = inputs!
        let kindLabel: String = switch report.unitKind {
        case .department: "các sở, ban, ngành tỉnh"
        case .district: "UBND các huyện, thị xã, thành phố"
        case .commune: "UBND các xã, phường, thị trấn"
        case .province: "UBND các tỉnh, thành phố"
        case .ministry: "các bộ, cơ quan ngang bộ"
        }
        let tables = try await ScoreSheets(context: context).tables(r, campaign: c)
        // Units left out of the ranking ("chưa nộp") are not in the report's ranking tables.
        let units = r.units.filter(\.ranked).map { u in
            AnnualReport.Unit(code: u.unitCode, name: u.unitName, rank: u.rank, rankChange: u.rankChange,
                              hasPrevious: r.hasPrevious, totalPoints: u.totalPoints,
                              maxPoints: u.maxPoints, indexPercent: u.indexPercent, band: u.band, rating: u.rating,
                              fieldPercents: Array(u.fieldPercents.enumerated().filter { i, _ in
                                  i < r.fields.count && report.scoredFields.contains { $0.code == r.fields[i].code }
                              }.map(\.element)),
                              reviewFieldCodes: u.reviewFields, scoreTable: tables[u.unitId] ?? [])
        }
        return (report.unitKind, AnnualReport.Section(
            kindPluralVI: kindLabel, campaignName: c.name, appendixLetter: "A",
            fields: report.scoredFields.map { .init(code: $0.code, title: $0.title, maxPoints: $0.maxPoints) },
            composition: report.composition.map { .init(name: $0.name, points: $0.points, isSurvey: $0.isSurvey) },
            surveyGroups: report.surveyGroups.map { .init(name: $0.name, ballots: $0.ballots) }, units: units,
            bandLabels: r.publishedBands.map(\.label),
            bandColours: Dictionary(r.publishedBands.map { ($0.label, $0.colour) }, uniquingKeysWith: { a, _ in a }),
            rulesVI: r.publishedRules))
    }
}
