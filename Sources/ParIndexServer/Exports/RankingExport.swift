import Foundation
import ParIndexCore
import Vapor

/// A campaign's ranking as a spreadsheet: one row per unit, numbers as numbers (XLSX), or
/// CSV in Vietnamese notation. Published rankings are public; live ones need `results.read`.
enum RankingExport {
    /// From the results' numbers; the texts (rank change, "chưa nộp") are made here, at render time.
    /// A unit left out of the ranking has no rank (issue #19: it is listed as "chưa nộp").
    static func rows(_ r: PublishedResults) -> (header: [String], units: [[XLSXWriter.Cell]], csv: [[CSVWriter.Cell]]) {
        let header = ["Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Điểm tối đa", "Chỉ số (%)", "Nhóm", "Thay đổi hạng",
                      "Mức độ hoàn thành nhiệm vụ của người đứng đầu"] + r.fields.map { "LV \($0.code) (%)" } + ["Lĩnh vực phải kiểm điểm", "Ghi chú"]
        var cells: [[XLSXWriter.Cell]] = []
        var csv: [[CSVWriter.Cell]] = []
        for u in ResultsView(r).units {
            let note = u.submissionNote ?? ""
            cells.append([u.rank.map { XLSXWriter.Cell.number(Double($0)) } ?? .text("—"), .text(u.unitCode), .text(u.unitName), .number(u.totalPoints),
                          .number(u.maxPoints), .number((u.indexPercent * 100).rounded() / 100), .text(u.band ?? ""), .text(u.rankChangeText),
                          .text(u.rating)]
                         + u.fieldPercentValues.map { p in p.map { .number(($0 * 100).rounded() / 100) } ?? .text("—") }
                         + [.text(u.reviewFields.joined(separator: ", ")), .text(note)])
            csv.append([u.rank.map { CSVWriter.Cell.integer($0) } ?? .text("—"), .text(u.unitCode), .text(u.unitName), .number(u.totalPoints), .number(u.maxPoints),
                        .number(u.indexPercent), .text(u.band ?? ""), .text(u.rankChangeText), .text(u.rating)]
                       + u.fieldPercentValues.map(CSVWriter.Cell.numberOrDash) + [.text(u.reviewFields.joined(separator: ", ")), .text(note)])
        }
        return (header, cells, csv)
    }

    /// `format` is `xlsx` or `csv`; nil when the caller wants the page or JSON instead.
    static func response(_ r: PublishedResults, format: String?) throws -> Response? {
        guard let format, ["xlsx", "csv"].contains(format) else { return nil }
        let (header, cells, csv) = rows(r)
        let name = "xep-hang-\(r.campaignName.folded)\(r.version.map { "-v\($0)" } ?? "")"
        if format == "csv" {
            return Download.response(CSVWriter.data(header: header, rows: csv), filename: name + ".csv", contentType: Download.csv)
        }
        let title = "\(r.campaignName)" + (r.version.map { " — công bố phiên bản \($0)" + (r.publishedAt.map { " lúc \(VietnameseDate.formatDateTime($0))" } ?? "") } ?? " — kết quả tạm tính")
        let sheet = XLSXWriter.Sheet(name: "Xếp hạng", columnWidths: [7, 12, 42, 9, 10, 10, 22, 14, 34] + r.fields.map { _ in 9 } + [18, 22],
                                     rows: [[.line(title)], []] + [header.map { .bold($0) }] + cells)
        return Download.response(try XLSXWriter(sheets: [sheet]).data(), filename: name + ".xlsx", contentType: Download.xlsx)
    }
}

private extension String {
    /// `Chỉ số CCHC năm 2022 của các sở` → `chi-so-cchc-nam-2022-cua-cac-so`, for file names.
    var folded: String {
        VietnameseText.fold(self).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }
}
