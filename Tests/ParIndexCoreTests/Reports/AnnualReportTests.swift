import Foundation
import Testing
@testable import ParIndexCore

@Suite struct AnnualReportTests {
    static func unit(_ code: String, rank: Int, change: Int?, index: Double, band: String?, rating: HeadRating,
                     fields: [Double?], review: [String] = [], hasPrevious: Bool = true) -> AnnualReport.Unit {
        .init(code: code, name: "Đơn vị \(code)", rank: rank, rankChange: change, hasPrevious: hasPrevious, totalPoints: index,
              maxPoints: 100, indexPercent: index, band: band, rating: rating.labelVI, fieldPercents: fields, reviewFieldCodes: review)
    }

    static let section = AnnualReport.Section(
        kindPluralVI: "các sở, ban, ngành tỉnh", campaignName: "Chỉ số CCHC năm 2022", appendixLetter: "A",
        fields: [.init(code: "1", title: "Chỉ đạo điều hành", maxPoints: 60), .init(code: "2", title: "Thể chế", maxPoints: 40)],
        composition: [.init(name: "Tài liệu kiểm chứng", points: 71.5, isSurvey: false), .init(name: "SIPAS", points: 28.5, isSurvey: true)],
        surveyGroups: [.init(name: "Đại biểu HĐND tỉnh", ballots: 20), .init(name: "Người dân, doanh nghiệp", ballots: 640)],
        units: [
            unit("C", rank: 3, change: -2, index: 78, band: "Dưới 80%", rating: .completed, fields: [70, 74], review: ["2"]),
            unit("A", rank: 1, change: 2, index: 93, band: "Từ 90%", rating: .excellent, fields: [95, 90]),
            unit("B", rank: 2, change: nil, index: 85, band: "80 – 90%", rating: .good, fields: [80, nil]),
            unit("D", rank: 2, change: 0, index: 85, band: "80 – 90%", rating: .good, fields: [86, 88]),
        ],
        bandLabels: ["Từ 90%", "80 – 90%", "70 – 80%", "Dưới 80%"])

    @Test func unitsAreInRankOrderWithTiesByName() {
        #expect(Self.section.units.map(\.code) == ["A", "B", "D", "C"])
    }

    @Test func everyBandAndEveryRatingIsListedEvenWhenEmpty() {
        let bands = Self.section.unitsByBand
        #expect(bands.map(\.band) == ["Từ 90%", "80 – 90%", "70 – 80%", "Dưới 80%"])
        #expect(bands[1].units == ["Đơn vị B", "Đơn vị D"])
        #expect(bands[2].units.isEmpty)
        let ratings = Self.section.unitsByRating
        #expect(ratings.map(\.rating) == HeadRating.allCases.map(\.labelVI))
        #expect(ratings.last?.units.isEmpty == true)
    }

    @Test func reviewsRankMovesAndAverages() {
        #expect(Self.section.reviews.map(\.unit) == ["Đơn vị C"])
        #expect(Self.section.reviews.first?.fields == ["lĩnh vực 2 (Thể chế)"])
        let moves = Self.section.rankMoves
        #expect(moves.rose.map(\.unit) == ["Đơn vị A"] && moves.rose.first?.places == 2)
        #expect(moves.fell.map(\.places) == [2])
        #expect(moves.new == ["Đơn vị B"], "a unit without last year's rank is new")
        let averages = Self.section.fieldAverages
        #expect(averages[0].percent == 331.0 / 4)
        #expect(averages[1].percent == 252.0 / 3, "a field not applicable is left out of its average")
        #expect(Self.section.maxPoints == 100)
    }

    @Test func titleDateAndTotals() {
        let report = AnnualReport(issuer: "UBND TỈNH HẢI DƯƠNG", place: "Hải Dương", number: "…/BC-UBND",
                                  date: VietnameseDate.calendar.date(from: DateComponents(year: 2023, month: 3, day: 5))!, year: 2022,
                                  sections: [Self.section], recipients: ["Bộ Nội vụ"], signerTitle: "CHỦ TỊCH", signerName: "")
        #expect(report.placeAndDateVI == "Hải Dương, ngày 05 tháng 3 năm 2023")
        #expect(report.titleVI == "Kết quả xác định Chỉ số cải cách hành chính năm 2022 của các sở, ban, ngành tỉnh")
        #expect(report.totalUnits == 4 && report.totalBallots == 660)
    }

    @Test func aCampaignWithNoUnitsSaysSoInsteadOfFailing() {
        var empty = Self.section
        empty.units = []
        #expect(empty.unitsByBand.allSatisfy { $0.units.isEmpty })
        #expect(empty.averageIndex == nil)
        #expect(empty.fieldAverages.allSatisfy { $0.percent == nil })
    }
}
