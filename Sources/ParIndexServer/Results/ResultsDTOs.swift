import Foundation
import ParIndexCore
import Vapor

/// A campaign's results as numbers at full precision: what publication freezes (stored as JSON
/// in ``ResultSnapshotModel``) and what the live pages compute. Issue #19: the snapshot used to
/// keep display strings that were parsed back later, and the score sheets and the annual
/// report's tables were recomputed from live data, so published numbers could move. Now it
/// holds everything the public sees — the ranking, every unit's score sheet with its
/// explanation, the survey figures and the annual report's inputs — and display strings are
/// made when a page or file is rendered (``ResultsView``, ``VietnameseNumber``).
package struct PublishedResults: Codable, Sendable {
    /// The JSON shape: 2 since issue #19 (numbers only); snapshots without it are the first
    /// shape, read by ``LegacyPublishedResults``.
    static let currentShape = 2

    struct Field: Codable, Sendable { var code: String; var title: String; var maxPoints: Double }

    struct UnitRow: Codable, Sendable {
        var unitId: UUID
        var unitCode: String
        var unitName: String
        /// 1-based; 0 for a unit left out of the ranking (not submitted, policy `exclude`).
        var rank: Int
        var ranked: Bool
        var submitted: Bool
        var appraised: Bool
        var hasSurveyPoints: Bool
        var previousRank: Int?
        /// Places gained since the previous campaign (negative: lost); nil for a new or unranked unit.
        var rankChange: Int?
        var totalPoints: Double
        /// The unit's own claim before appraisal (self-scored inputs and survey points).
        var claimedPoints: Double
        var maxPoints: Double
        var indexPercent: Double
        var band: String?
        var rating: String
        /// Per field, in ``PublishedResults/fields`` order; nil where nothing applied.
        var fieldPercents: [Double?]
        var claimedFieldPercents: [Double?]
        var reviewFields: [String]
        var flaggedAgain: Bool
        /// Which rule produced the index, rank, band, rating and review flag (issue #12 item 3).
        var why: [String]?

        var indexDisplay: String { VietnameseNumber.format(indexPercent) + " %" }
    }

    /// One node of a unit's score sheet as published.
    struct SheetRow: Codable, Sendable {
        var code: String
        var title: String
        var depth: Int
        var maxPoints: Double
        /// What the unit claimed; nil for survey criteria and not-applicable nodes.
        var selfPoints: Double?
        var points: Double
        var notApplicable: Bool
        var percent: Double?
        /// The engine's sentence: the rule applied to the input, or the sum of the children.
        var explanation: String
        /// The appraisal's reason (latest stage).
        var note: String?
        var evidence: [Evidence]
        /// Issue #12 item 3 (nil in snapshots published before it): the rule in the framework's
        /// words, the claim as typed, and every appraisal step after it in order.
        var rule: String?
        var claim: String?
        var trail: [String]?
    }

    struct Evidence: Codable, Sendable { var id: UUID; var documentNumber: String; var title: String }
    struct Sheet: Codable, Sendable { var unitId: UUID; var rows: [SheetRow] }
    struct SurveyGroup: Codable, Sendable { var name: String; var ballots: Int }
    /// A band as published: its threshold (nil for the floor) and its colour.
    struct Band: Codable, Sendable { var label: String; var minPercent: Double?; var colour: String }
    struct Part: Codable, Sendable { var name: String; var points: Double; var isSurvey: Bool }

    /// What the annual report's section needs besides the ranking and the sheets.
    struct ReportInputs: Codable, Sendable {
        var unitKind: UnitKind
        var scoredFields: [Field]
        var composition: [Part]
        var surveyGroups: [SurveyGroup]
    }

    var shape: Int = PublishedResults.currentShape
    var campaignId: UUID
    var campaignName: String
    var frameworkTitle: String
    var computedAt: Date
    var unsubmittedPolicy: UnsubmittedPolicy
    /// The previous campaign had a published ranking to compare with.
    var hasPrevious: Bool
    var fields: [Field]
    /// In ranking order, unranked units last.
    var units: [UnitRow]
    /// nil only in snapshots of the first shape.
    var sheets: [Sheet]?
    var report: ReportInputs?
    /// From the snapshot's row (not its JSON): set on read.
    package var version: Int?
    package var publishedAt: Date?
    var reason: String?
    /// The results rules applied, in words (issue #12), and the bands with their colours;
    /// nil in snapshots published before them (seed 004's rules applied).
    var rules: [String]?
    var bands: [Band]?

    func sheet(_ unitID: UUID) -> Sheet? { sheets?.first { $0.unitId == unitID } }
}

/// The first snapshot shape (before issue #19): display strings beside some numbers. Read once,
/// by parsing its strings back, when an old snapshot is opened; nothing is recomputed.
extension PublishedResults {
    /// The bands the snapshot was published with; seed 004's for one published before issue #12.
    var publishedBands: [Band] {
        bands ?? ResultsConfiguration.seed004.bands.bands.map {
            Band(label: $0.label, minPercent: $0.minPercent.isFinite ? $0.minPercent : nil, colour: SVGChart.colour(forPercent: $0.minPercent))
        }
    }

    /// The rules the snapshot was published with, in words.
    var publishedRules: [String] { rules ?? ResultsConfiguration.seed004.descriptionVI }
}

struct LegacyPublishedResults: Decodable {
    struct Field: Decodable { var code: String; var title: String; var maxDisplay: String }
    struct UnitRow: Decodable {
        var unitId: UUID
        var unitCode: String
        var unitName: String
        var rank: Int
        var rankChange: Int?
        var rankChangeText: String
        var totalPoints: Double
        var claimedDisplay: String?
        var claimedFieldPercents: [String]?
        var maxDisplay: String
        var indexPercent: Double
        var band: String?
        var rating: String
        var fieldPercents: [String]
        var reviewFields: [String]
        var flaggedAgain: Bool
    }
    var campaignId: UUID
    var campaignName: String
    var frameworkTitle: String
    var computedAt: Date
    var fields: [Field]
    var units: [UnitRow]

    /// `"84,94 %"` → 84.94, `"—"` → nil.
    static func number(_ text: String) -> Double? {
        try? VietnameseNumber.parse(text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces))
    }

    var current: PublishedResults {
        PublishedResults(
            campaignId: campaignId, campaignName: campaignName, frameworkTitle: frameworkTitle, computedAt: computedAt,
            unsubmittedPolicy: .exclude, hasPrevious: units.contains { $0.rankChangeText != "—" },
            fields: fields.map { .init(code: $0.code, title: $0.title, maxPoints: Self.number($0.maxDisplay) ?? 0) },
            units: units.map { u in
                PublishedResults.UnitRow(
                    unitId: u.unitId, unitCode: u.unitCode, unitName: u.unitName, rank: u.rank, ranked: true, submitted: true,
                    appraised: false, hasSurveyPoints: false, previousRank: u.rankChange.map { u.rank + $0 }, rankChange: u.rankChange,
                    totalPoints: u.totalPoints, claimedPoints: u.claimedDisplay.flatMap(Self.number) ?? u.totalPoints,
                    maxPoints: Self.number(u.maxDisplay) ?? 0, indexPercent: u.indexPercent, band: u.band, rating: u.rating,
                    fieldPercents: u.fieldPercents.map(Self.number), claimedFieldPercents: (u.claimedFieldPercents ?? []).map(Self.number),
                    reviewFields: u.reviewFields, flaggedAgain: u.flaggedAgain)
            },
            sheets: nil, report: nil)
    }
}

/// Results as a page or the API shows them: the snapshot's numbers and, beside them, the
/// display strings made now by the one Vietnamese formatter.
struct ResultsView: Content {
    struct Field: Content { var code: String; var title: String; var maxPoints: Double; var maxDisplay: String }
    struct UnitRow: Content {
        var unitId: UUID
        var unitCode: String
        var unitName: String
        /// nil for a unit left out of the ranking.
        var rank: Int?
        var rankDisplay: String
        var ranked: Bool
        var submitted: Bool
        /// "chưa nộp" (left out) or "chưa nộp — tính 0 điểm" (policy `zero`); nil for a submitted unit.
        var submissionNote: String?
        var rankChange: Int?
        /// "tăng 3 bậc", "giảm 2 bậc", "không đổi", "mới" for a unit new this year, "—" without comparison.
        var rankChangeText: String
        var totalPoints: Double
        var totalDisplay: String
        var claimedPoints: Double
        var claimedDisplay: String
        var claimedFieldPercents: [String]
        var maxPoints: Double
        var maxDisplay: String
        var indexPercent: Double
        var indexDisplay: String
        var band: String?
        var rating: String
        var fieldPercents: [String]
        var fieldPercentValues: [Double?]
        var reviewFields: [String]
        var flaggedAgain: Bool
    }
    var campaignId: UUID
    var campaignName: String
    var frameworkTitle: String
    var computedAt: Date
    package var version: Int?
    package var publishedAt: String?
    var reason: String?
    var unsubmittedPolicy: String
    var fields: [Field]
    var units: [UnitRow]
    /// Which results rules produced the bands, ratings and review flags (issue #12).
    var rules: [String]

    static func percent(_ v: Double?) -> String { v.map { VietnameseNumber.format($0) + " %" } ?? "—" }

    static func rankChangeText(_ u: PublishedResults.UnitRow, hasPrevious: Bool) -> String {
        guard u.ranked else { return "—" }
        guard hasPrevious else { return "—" }
        guard let c = u.rankChange else { return "mới" }
        return c > 0 ? "tăng \(c) bậc" : c < 0 ? "giảm \(-c) bậc" : "không đổi"
    }

    init(_ r: PublishedResults) {
        campaignId = r.campaignId
        campaignName = r.campaignName
        frameworkTitle = r.frameworkTitle
        computedAt = r.computedAt
        version = r.version
        publishedAt = r.publishedAt.map(VietnameseDate.formatDateTime)
        reason = r.reason
        unsubmittedPolicy = r.unsubmittedPolicy.rawValue
        rules = r.publishedRules
        fields = r.fields.map { .init(code: $0.code, title: $0.title, maxPoints: $0.maxPoints, maxDisplay: VietnameseNumber.format($0.maxPoints)) }
        units = r.units.map { u in
            UnitRow(unitId: u.unitId, unitCode: u.unitCode, unitName: u.unitName, rank: u.ranked ? u.rank : nil,
                    rankDisplay: u.ranked ? String(u.rank) : "—", ranked: u.ranked, submitted: u.submitted,
                    submissionNote: u.submitted ? nil : u.ranked ? "chưa nộp — tính 0 điểm" : "chưa nộp",
                    rankChange: u.rankChange, rankChangeText: Self.rankChangeText(u, hasPrevious: r.hasPrevious),
                    totalPoints: u.totalPoints, totalDisplay: VietnameseNumber.format(u.totalPoints),
                    claimedPoints: u.claimedPoints, claimedDisplay: VietnameseNumber.format(u.claimedPoints),
                    claimedFieldPercents: u.claimedFieldPercents.map(Self.percent),
                    maxPoints: u.maxPoints, maxDisplay: VietnameseNumber.format(u.maxPoints),
                    indexPercent: u.indexPercent, indexDisplay: Self.percent(u.indexPercent), band: u.band, rating: u.rating,
                    fieldPercents: u.fieldPercents.map(Self.percent), fieldPercentValues: u.fieldPercents,
                    reviewFields: u.reviewFields, flaggedAgain: u.flaggedAgain)
        }
    }
}

/// One published version as listed for coordinators.
struct ResultsVersionDTO: Content {
    package var version: Int
    package var publishedAt: String
    package var publishedBy: String
    var reason: String
    var units: Int
    var ranked: Int
}

/// The confirmation step of a publication: what would go out, and the token to echo back.
struct PublicationPreviewDTO: Content {
    var campaignId: UUID
    package var version: Int
    var unsubmittedPolicy: String
    var unitCount: Int
    var submittedCount: Int
    var appraisedCount: Int
    var notSubmittedCount: Int
    var withoutSurveyPointsCount: Int
    var submitted: [String]
    var appraised: [String]
    var notSubmitted: [String]
    var withoutSurveyPoints: [String]
    var rankChanges: [PublicationPreview.RankChange]
    /// Send back as `confirmation` in `POST …/publish`.
    var confirmation: String
    /// Why a publication now would be refused (outside the window, no open correction…), if it would.
    var refusal: Refusal?
    /// A correction is open (a republication closes it).
    var correctionOpen: Bool

    struct Refusal: Content { var code: String; var message: String }

    init(campaignID: UUID, _ p: PublicationPreview, refusal: (any DomainError)?, correctionOpen: Bool) {
        campaignId = campaignID
        version = p.version
        unsubmittedPolicy = p.policy.rawValue
        unitCount = p.unitCount
        submittedCount = p.submitted.count
        appraisedCount = p.appraised.count
        notSubmittedCount = p.notSubmitted.count
        withoutSurveyPointsCount = p.withoutSurveyPoints.count
        submitted = p.submitted
        appraised = p.appraised
        notSubmitted = p.notSubmitted
        withoutSurveyPoints = p.withoutSurveyPoints
        rankChanges = p.rankChanges
        confirmation = p.confirmation
        self.refusal = refusal.map { .init(code: $0.code, message: $0.messageVI) }
        self.correctionOpen = correctionOpen
    }
}

extension PublicationPreview.RankChange: Content {}
