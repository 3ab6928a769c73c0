import Fluent
import Foundation
import ParIndexCore

/// One unit's official result on one survey criterion of a campaign (issue #12 item 2): what
/// the Ministry of Home Affairs or a survey contractor published, with the document it came in.
/// A criterion with official results takes its points from them, never also from ballots.
final class OfficialSurveyResultModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    static let schema = "official_survey_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: CampaignModel
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "leaf_code") var leafCode: String
    @Field(key: "points") var points: Double
    @OptionalField(key: "index_percent") var indexPercent: Double?
    @Field(key: "document_number") var documentNumber: String
    /// `yyyy-mm-dd`.
    @Field(key: "document_date") var documentDate: String
    @Field(key: "imported_by") var importedBy: String
    @Field(key: "imported_at") var importedAt: Date

    init() {}

    var sourceVI: String {
        let date = (try? CalendarDay(iso: documentDate)).map(\.description) ?? documentDate
        return OfficialSurveyResult.sourceVI(documentNumber: documentNumber, date: date)
    }
}
