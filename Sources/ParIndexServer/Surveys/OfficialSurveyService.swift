import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Official survey results as an input (issue #12 item 2): a coordinator imports the figures a
/// ministry or a survey contractor published, per unit and survey criterion, instead of keying
/// ballots nobody has. All or nothing, audited, frozen by publication; a criterion takes its
/// points from ballots or from official results, never both.
struct OfficialSurveyService: ContextService {
    let context: ServiceContext

    init(context: ServiceContext) { self.context = context }

    func list(_ campaignID: UUID) async throws -> [OfficialSurveyResultDTO] {
        let c = try await CampaignService(context: context).find(campaignID)
        try await context.requirePermission(.surveysRead, onCampaign: c)
        return try await OfficialSurveyResultModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$unit).all()
            .sortedVietnamese(by: { $0.unit.name })
            .map { m in
                OfficialSurveyResultDTO(unitCode: m.unit.code, unitName: m.unit.name, leafCode: m.leafCode, points: m.points,
                                        pointsDisplay: VietnameseNumber.format(m.points),
                                        indexPercent: m.indexPercent, documentNumber: m.documentNumber,
                                        documentDate: (try? CalendarDay(iso: m.documentDate))?.description ?? m.documentDate,
                                        source: m.sourceVI)
            }
    }

    /// Reads the file (CSV, or an XLSX's first sheet) against the campaign's survey criteria
    /// and units; the criteria it names get exactly its rows (earlier rows for them are replaced).
    func importResults(_ campaignID: UUID, _ data: Data, dryRun: Bool) async throws -> OfficialSurveyImportDTO {
        let c = try await CampaignService(context: context).find(campaignID)
        try await context.requirePermission(.surveysManage, onCampaign: c)
        let framework = try await FrameworkCache.shared.framework(c.framework)
        var surveyLeaves: [String: Double] = [:]
        for leaf in framework.leaves { if case .survey? = leaf.method { surveyLeaves[leaf.code] = leaf.maxPoints } }
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaignID).with(\.$unit).all().map(\.unit)
        let byCode = Dictionary(units.map { ($0.code, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let ballots = Set(try await SurveyTallyService.points(campaign: c, on: db).values.flatMap(\.keys))
        let importContext = OfficialSurveyContext(surveyLeaves: surveyLeaves, allLeaves: Set(framework.leaves.map(\.code)),
                                                  unitCodes: Set(byCode.keys), ballotLeaves: ballots)
        let rows = try ImportFile.read(data, csv: { try OfficialSurveyImport.parse($0, context: importContext) },
                                       sheet: { try OfficialSurveyImport.parse(rows: $0, context: importContext) })
        let criteria = Set(rows.map(\.leafCode))
        let summary = OfficialSurveyImportDTO(dryRun: dryRun, rows: rows.count, units: Set(rows.map(\.unitCode)).count,
                                              criteria: criteria.sorted())
        if dryRun {
            try await PublicationLock.requireWritable(campaignID, .survey, on: db)
            return summary
        }
        let context = context, now = context.clock.now()
        try await db.writeTransaction { db in
            // Published results freeze their survey data; checked inside the write (issue #19).
            try await PublicationLock.requireWritable(campaignID, .survey, on: db)
            try await OfficialSurveyResultModel.query(on: db).filter(\.$campaign.$id == campaignID)
                .filter(\.$leafCode ~~ Array(criteria)).delete()
            for r in rows {
                let m = OfficialSurveyResultModel()
                m.$campaign.id = campaignID
                m.$unit.id = byCode[r.unitCode]!
                m.leafCode = r.leafCode
                m.points = r.points
                m.indexPercent = r.indexPercent
                m.documentNumber = r.documentNumber
                m.documentDate = r.documentDate.iso
                m.importedBy = context.actor.name
                m.importedAt = now
                try await m.create(on: db)
            }
            try await context.audit(on: db, "survey.official_results.import", entity: "campaign", entityID: campaignID.uuidString,
                                    unitID: c.$ownerUnit.id, after: ["rows": String(rows.count), "criteria": criteria.sorted().joined(separator: ", "),
                                                                     "documents": Set(rows.map(\.documentNumber)).sorted().joined(separator: ", ")])
        }
        return summary
    }

    /// Per unit and criterion, the official points and where they come from (for results and score sheets).
    static func points(campaignID: UUID, on db: any Database) async throws -> [UUID: [String: (points: Double, source: String)]] {
        var out: [UUID: [String: (points: Double, source: String)]] = [:]
        for m in try await OfficialSurveyResultModel.query(on: db).filter(\.$campaign.$id == campaignID).all() {
            out[m.$unit.id, default: [:]][m.leafCode] = (m.points, m.sourceVI)
        }
        return out
    }
}

struct OfficialSurveyResultDTO: Content {
    var unitCode: String
    var unitName: String
    var leafCode: String
    var points: Double
    var pointsDisplay: String
    var indexPercent: Double?
    var documentNumber: String
    var documentDate: String
    var source: String
}

struct OfficialSurveyImportDTO: Content {
    var dryRun: Bool
    var rows: Int
    var units: Int
    var criteria: [String]
}
