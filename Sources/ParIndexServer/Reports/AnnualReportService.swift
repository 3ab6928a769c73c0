import Fluent
import Foundation
import ParIndexCore
import SQLKit

/// Builds the annual report of a year from its campaigns: published results (the latest
/// version) for the public, or — for staff who may read live results — the current results
/// of campaigns not yet published, marked as a draft.
struct AnnualReportService {
    let db: any Database

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
        let results = ResultsService(db: db)
        for c in campaigns {
            var published = try await results.latestSnapshot(c.id!)
            if published == nil, scope == .draftAllowed {
                published = try await results.compute(c)
                draft = true
            }
            guard let r = published else { continue }
            let framework = try await FrameworkCache.shared.framework(c.framework)
            sections.append((framework.unitKind, try await section(c, framework, r)))
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

    private func section(_ c: CampaignModel, _ f: Framework, _ r: PublishedResults) async throws -> AnnualReport.Section {
        let kindLabel: String = switch f.unitKind {
        case .department: "các sở, ban, ngành tỉnh"
        case .district: "UBND các huyện, thị xã, thành phố"
        case .commune: "UBND các xã, phường, thị trấn"
        case .province: "UBND các tỉnh, thành phố"
        case .ministry: "các bộ, cơ quan ngang bộ"
        }
        let tables = try await ScoreSheets(db: db).tables(c, framework: f)
        let units = r.units.map { u in
            AnnualReport.Unit(code: u.unitCode, name: u.unitName, rank: u.rank, rankChange: u.rankChange,
                              hasPrevious: u.rankChangeText != "—", totalPoints: u.totalPoints,
                              maxPoints: u.maxPoints, indexPercent: u.indexPercent, band: u.band, rating: u.rating,
                              fieldPercents: u.fieldPercentValues,
                              reviewFieldCodes: u.reviewFields, scoreTable: tables[u.unitId] ?? [])
        }
        return AnnualReport.Section(
            kindPluralVI: kindLabel, campaignName: c.name, appendixLetter: "A",
            fields: f.nodes.filter { $0.role == .scored }.map { .init(code: $0.code, title: $0.title, maxPoints: $0.maxPoints) },
            composition: f.composition.map { .init(name: $0.name, points: $0.points, isSurvey: $0.source == .survey) },
            surveyGroups: try await surveyGroups(c.id!), units: units,
            bandLabels: ResultsConfiguration.seed004.bands.bands.map(\.label))
    }

    /// Ballots counted per respondent group (closed batches, not void, not rejected).
    private func surveyGroups(_ campaignID: UUID) async throws -> [AnnualReport.SurveyGroup] {
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
        guard !groups.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        struct Row: Decodable { var group_code: String; var n: Int }
        let rows = try await sql.raw("""
            SELECT b.group_code, COUNT(DISTINCT b.ballot_no) AS n FROM survey_ballots b JOIN survey_batches t ON t.id = b.batch_id
            WHERE b.campaign_id = \(bind: campaignID) AND t.status = 'closed' AND b.voided = \(bind: false) AND b.review <> 'rejected'
            GROUP BY b.group_code
            """).all(decoding: Row.self)
        let counts = Dictionary(uniqueKeysWithValues: rows.map { ($0.group_code, $0.n) })
        // Organisational groups first, then citizens and businesses, as seed 004 lists them.
        let kinds = Dictionary(uniqueKeysWithValues: try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaignID).all()
            .map { ($0.formID, $0.kind) })
        return groups.sorted { (kinds[$0.formID] == SurveyKind.sipas.rawValue ? 1 : 0, $0.code) < (kinds[$1.formID] == SurveyKind.sipas.rawValue ? 1 : 0, $1.code) }
            .map { .init(name: $0.name, ballots: counts[$0.code] ?? 0) }
    }
}
