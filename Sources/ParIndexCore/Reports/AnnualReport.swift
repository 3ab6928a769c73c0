import Foundation

/// The annual PAR index report a province writes (seed 004), as data: who issues it, the
/// sections per unit kind, and the summaries the text is made of. Renderers (DOCX, XLSX, CSV,
/// PDF) only lay it out; every sentence's facts come from here and are tested here.
public struct AnnualReport: Sendable, Hashable {
    /// `UBND TỈNH HẢI DƯƠNG`
    public var issuer: String
    /// `Hải Dương`
    public var place: String
    /// `…/BC-UBND`: the number is given when the document is registered.
    public var number: String
    public var date: Date
    public var year: Int
    public var sections: [Section]
    public var recipients: [String]
    public var signerTitle: String
    public var signerName: String

    public init(issuer: String, place: String, number: String, date: Date, year: Int, sections: [Section],
                recipients: [String], signerTitle: String, signerName: String) {
        self.issuer = issuer
        self.place = place
        self.number = number
        self.date = date
        self.year = year
        self.sections = sections
        self.recipients = recipients
        self.signerTitle = signerTitle
        self.signerName = signerName
    }

    /// `BÁO CÁO` + this line.
    public var titleVI: String {
        "Kết quả xác định Chỉ số cải cách hành chính năm \(year)" +
            (sections.isEmpty ? "" : " của " + sections.map(\.kindPluralVI).joined(separator: " và "))
    }

    /// `Hải Dương, ngày 15 tháng 3 năm 2023` (Decree 30/2020: no leading zeros for day < 10 and month < 3).
    public var placeAndDateVI: String {
        let c = VietnameseDate.calendar.dateComponents([.day, .month, .year], from: date)
        let day = c.day! < 10 ? "0\(c.day!)" : "\(c.day!)"
        let month = c.month! < 3 ? "0\(c.month!)" : "\(c.month!)"
        return "\(place), ngày \(day) tháng \(month) năm \(c.year!)"
    }

    public var totalUnits: Int { sections.reduce(0) { $0 + $1.units.count } }
    public var totalBallots: Int { sections.reduce(0) { $0 + $1.surveyGroups.reduce(0) { $0 + $1.ballots } } }

    /// One unit kind's campaign: its framework's fields, its units in rank order, its survey.
    public struct Section: Sendable, Hashable {
        /// `các sở, ban, ngành tỉnh`
        public var kindPluralVI: String
        public var campaignName: String
        /// Appendix tables are numbered A1, A2 … for the first section, B1 … for the second.
        public var appendixLetter: String
        public var fields: [Field]
        /// Evidence-based and survey-based parts of the maximum (seed 004: 71,5 + 18,5 + 10).
        public var composition: [Part]
        public var surveyGroups: [SurveyGroup]
        public var units: [Unit]
        /// Band labels from the best to the worst, so empty bands are reported too.
        public var bandLabels: [String]
        /// Each band's colour (`#rrggbb`) as the results rules give it.
        public var bandColours: [String: String]
        /// The results rules applied, in words (issue #12: the report says which rules were applied).
        public var rulesVI: [String]

        public init(kindPluralVI: String, campaignName: String, appendixLetter: String, fields: [Field], composition: [Part],
                    surveyGroups: [SurveyGroup], units: [Unit], bandLabels: [String], bandColours: [String: String] = [:],
                    rulesVI: [String] = []) {
            self.kindPluralVI = kindPluralVI
            self.campaignName = campaignName
            self.appendixLetter = appendixLetter
            self.fields = fields
            self.composition = composition
            self.surveyGroups = surveyGroups
            self.units = units.sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }
            self.bandLabels = bandLabels
            self.bandColours = bandColours
            self.rulesVI = rulesVI
        }

        public var maxPoints: Double { fields.reduce(0) { $0 + $1.maxPoints } }
    }

    public struct Field: Sendable, Hashable {
        public var code: String
        public var title: String
        public var maxPoints: Double
        public init(code: String, title: String, maxPoints: Double) {
            self.code = code
            self.title = title
            self.maxPoints = maxPoints
        }
    }

    public struct Part: Sendable, Hashable {
        public var name: String
        public var points: Double
        public var isSurvey: Bool
        public init(name: String, points: Double, isSurvey: Bool) {
            self.name = name
            self.points = points
            self.isSurvey = isSurvey
        }
    }

    public struct SurveyGroup: Sendable, Hashable {
        public var name: String
        public var ballots: Int
        public init(name: String, ballots: Int) {
            self.name = name
            self.ballots = ballots
        }
    }

    public struct Unit: Sendable, Hashable {
        public var code: String
        public var name: String
        public var rank: Int
        /// Places gained (positive) or lost since last year; nil for a unit new this year.
        public var rankChange: Int?
        /// Whether last year's ranking existed at all (so "new" can be told from "no comparison").
        public var hasPrevious: Bool
        public var totalPoints: Double
        public var maxPoints: Double
        public var indexPercent: Double
        public var band: String?
        public var rating: String
        /// Per field, in the section's field order; nil where every criterion was not applicable.
        public var fieldPercents: [Double?]
        public var reviewFieldCodes: [String]
        public var scoreTable: [ScoreRow]

        public init(code: String, name: String, rank: Int, rankChange: Int?, hasPrevious: Bool, totalPoints: Double,
                    maxPoints: Double, indexPercent: Double, band: String?, rating: String, fieldPercents: [Double?],
                    reviewFieldCodes: [String], scoreTable: [ScoreRow] = []) {
            self.code = code
            self.name = name
            self.rank = rank
            self.rankChange = rankChange
            self.hasPrevious = hasPrevious
            self.totalPoints = totalPoints
            self.maxPoints = maxPoints
            self.indexPercent = indexPercent
            self.band = band
            self.rating = rating
            self.fieldPercents = fieldPercents
            self.reviewFieldCodes = reviewFieldCodes
            self.scoreTable = scoreTable
        }
    }

    /// One line of a unit's score table (seed 004's tables A1–A18, B1–B12).
    public struct ScoreRow: Sendable, Hashable {
        public var code: String
        public var title: String
        public var depth: Int
        public var maxPoints: Double
        public var selfPoints: Double?
        public var finalPoints: Double?
        /// The appraisal's reason where it changed the claim.
        public var note: String?

        public init(code: String, title: String, depth: Int, maxPoints: Double, selfPoints: Double?, finalPoints: Double?,
                    note: String? = nil) {
            self.code = code
            self.title = title
            self.depth = depth
            self.maxPoints = maxPoints
            self.selfPoints = selfPoints
            self.finalPoints = finalPoints
            self.note = note
        }

        public var percent: Double? { finalPoints.map { maxPoints > 0 ? $0 / maxPoints * 100 : 0 } }
    }
}

// MARK: - What the report says

extension AnnualReport.Section {
    /// Units per band, in band order, every band listed (an empty band says "không có").
    public var unitsByBand: [(band: String, units: [String])] {
        var labels = bandLabels
        for u in units { if let b = u.band, !labels.contains(b) { labels.append(b) } }
        let unbanded = units.filter { $0.band == nil }.map(\.name)
        var out = labels.map { label in (band: label, units: units.filter { $0.band == label }.map(\.name)) }
        if !unbanded.isEmpty { out.append((band: "Chưa xếp nhóm", units: unbanded)) }
        return out
    }

    /// Head-of-unit ratings, from the best to the worst, every rating listed.
    public var unitsByRating: [(rating: String, units: [String])] {
        HeadRating.allCases.map { r in (rating: r.labelVI, units: units.filter { $0.rating == r.labelVI }.map(\.name)) }
    }

    /// Units that must hold a mandatory review, with the fields concerned (by title).
    public var reviews: [(unit: String, fields: [String])] {
        let titles = Dictionary(uniqueKeysWithValues: fields.map { ($0.code, "lĩnh vực \($0.code) (\($0.title))") })
        return units.filter { !$0.reviewFieldCodes.isEmpty }.map { u in (unit: u.name, fields: u.reviewFieldCodes.map { titles[$0] ?? $0 }) }
    }

    /// Units that rose or fell, by how many places (largest moves first); new units apart.
    public var rankMoves: (rose: [(unit: String, places: Int)], fell: [(unit: String, places: Int)], new: [String]) {
        let rose = units.compactMap { u in u.rankChange.flatMap { $0 > 0 ? (unit: u.name, places: $0) : nil } }
            .sorted { ($1.places, $0.unit) < ($0.places, $1.unit) }
        let fell = units.compactMap { u in u.rankChange.flatMap { $0 < 0 ? (unit: u.name, places: -$0) : nil } }
            .sorted { ($1.places, $0.unit) < ($0.places, $1.unit) }
        let new = units.filter { $0.hasPrevious && $0.rankChange == nil }.map(\.name)
        return (rose, fell, new)
    }

    /// The average percentage of each field over the units where it applied; nil if it applied nowhere.
    public var fieldAverages: [(field: AnnualReport.Field, percent: Double?)] {
        fields.enumerated().map { i, f in
            let values = units.compactMap { $0.fieldPercents.indices.contains(i) ? $0.fieldPercents[i] : nil }
            return (field: f, percent: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count))
        }
    }

    public var averageIndex: Double? {
        units.isEmpty ? nil : units.reduce(0) { $0 + $1.indexPercent } / Double(units.count)
    }
}
