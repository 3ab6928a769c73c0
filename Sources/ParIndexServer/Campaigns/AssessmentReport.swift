import Foundation
import ParIndexCore
import Vapor

/// The self-assessment report a unit files (seed 004 section I.4.1: the unit files its self-scoring
/// report with the evidence; the summary table of self-scores, the explanations, and the items
/// without full evidence — seed 004 section V.2.1 names thin evidence as the main weakness), as XLSX or CSV.
enum AssessmentReport {
    static let header = ["Mã", "Tiêu chí", "Điểm tối đa", "Tự đánh giá", "Điểm tự chấm", "Tài liệu kiểm chứng", "Giải trình"]

    static func rows(_ g: AssessmentGridDTO) -> [[XLSXWriter.Cell]] {
        g.rows.map { r in
            [.text(r.code), r.isLeaf ? .text(r.title) : .bold(r.title), .number(r.maxPoints),
             .text(r.isLeaf ? r.inputDisplay : ""),
             r.points.map { .number($0) } ?? .empty,
             .text(r.evidence.map(\.documentNumber).joined(separator: "; ")), .text(r.explanation)]
        }
    }

    /// Leaves that claim points without evidence, with the unit's explanation (or its absence).
    static func missingEvidence(_ g: AssessmentGridDTO) -> [AssessmentRowDTO] {
        g.rows.filter { $0.selfScored && ($0.points ?? 0) > 0 && $0.evidence.isEmpty }
    }

    static func xlsx(_ g: AssessmentGridDTO) throws -> Data {
        let title: [[XLSXWriter.Cell]] = [
            [.bold("BÁO CÁO TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")],
            [.line("Đơn vị: \(g.unitName)")], [.line("Đợt đánh giá: \(g.campaignName)")],
            [.line("Trạng thái: \(g.statusLabel); đã chấm \(g.filled)/\(g.total) tiêu chí; tổng điểm tự chấm \(g.claimedDisplay)")],
            [], header.map { .bold($0) },
        ]
        let missing = missingEvidence(g)
        let second: [[XLSXWriter.Cell]] = [[.bold("Mã"), .bold("Tiêu chí"), .bold("Điểm tự chấm"), .bold("Giải trình")]]
            + missing.map { [.text($0.code), .text($0.title), .number($0.points ?? 0),
                             .text($0.explanation.isEmpty ? "(chưa có giải trình)" : $0.explanation)] }
        return try XLSXWriter(sheets: [
            .init(name: "Tổng hợp", columnWidths: [9, 60, 10, 24, 10, 24, 40], rows: title + rows(g)),
            .init(name: "Thiếu tài liệu", columnWidths: [9, 60, 12, 60], rows: second),
        ]).data()
    }

    static func csv(_ g: AssessmentGridDTO) -> Data {
        CSVWriter.data(header: header, rows: g.rows.map { r in
            [.text(r.code), .text(r.title), .number(r.maxPoints), .text(r.isLeaf ? r.inputDisplay : ""),
             r.points.map { .number($0) } ?? .empty, .text(r.evidence.map(\.documentNumber).joined(separator: "; ")),
             .text(r.explanation)]
        })
    }

    static func response(_ g: AssessmentGridDTO, format: String?) throws -> Response {
        let csv = format == "csv"
        let data = csv ? Self.csv(g) : try xlsx(g)
        return Download.response(data, filename: "tu-danh-gia-\(g.unitCode).\(csv ? "csv" : "xlsx")",
                                 contentType: csv ? Download.csv : Download.xlsx)
    }
}
