import Foundation
import ParIndexCore

/// Lays the annual report out as the documents people file: DOCX in the layout of Vietnamese
/// administrative documents (Decree 30/2020/NĐ-CP), XLSX with the ranking and one sheet per
/// unit, CSV of the results. The PDF is the DOCX through LibreOffice (``PDFConverter``).
struct AnnualReportDocument {
    let report: AnnualReport
    let isDraft: Bool

    private func n(_ v: Double?) -> String { v.map { VietnameseNumber.format($0) } ?? "—" }
    private func pct(_ v: Double?) -> String { v.map { VietnameseNumber.format($0) + "%" } ?? "—" }

    // MARK: DOCX

    func docx() throws -> Data {
        typealias P = DOCXWriter.Paragraph
        typealias R = DOCXWriter.Run
        var w = DOCXWriter()
        // Heading block: issuing body and number on the left, the national motto and the place
        // and date on the right.
        w.add(DOCXWriter.Table(widths: [62, 103], rows: [[
            .init([P(report.issuer, bold: true, size: 13, align: .center, after: 2), P("Số: \(report.number)", size: 13, align: .center, after: 0)]),
            .init([P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12.5, align: .center, after: 0),
                   P([R(text: "Độc lập - Tự do - Hạnh phúc", bold: true, underline: true, size: 14)], align: .center, after: 6),
                   P(report.placeAndDateVI, italic: true, size: 14, align: .center, after: 0)]),
        ]], borders: false, headerRows: 0))
        w.add(P("BÁO CÁO", bold: true, size: 14, align: .center, after: 0))
        w.add(P(report.titleVI, bold: true, size: 14, align: .center, after: isDraft ? 0 : 12))
        if isDraft { w.add(P("(Dự thảo — kết quả chưa công bố)", italic: true, align: .center, after: 12)) }

        func heading(_ text: String) { w.add(P([R(text: text, bold: true)], after: 6, keepNext: true)) }
        func body(_ text: String) { w.add(P(text, firstLineIndent: 10)) }
        func bullet(_ text: String) { w.add(P("- " + text, firstLineIndent: 10)) }

        heading("I. CÁC CƠ QUAN, ĐƠN VỊ ĐƯỢC ĐÁNH GIÁ")
        body("Năm \(report.year), Chỉ số cải cách hành chính được xác định đối với \(report.totalUnits) cơ quan, đơn vị"
             + (report.sections.isEmpty ? "." : ", gồm: " + report.sections.map { "\($0.units.count) \($0.kindPluralVI.replacingOccurrences(of: "các ", with: ""))" }.joined(separator: "; ") + "."))
        heading("II. PHƯƠNG PHÁP ĐÁNH GIÁ")
        for s in report.sections {
            body("Đối với \(s.kindPluralVI): thang điểm \(n(s.maxPoints)) điểm, gồm \(s.fields.count) lĩnh vực. "
                 + s.composition.map { "\($0.name): \(n($0.points)) điểm" }.joined(separator: "; ") + ".")
            w.add(DOCXWriter.Table(widths: [20, 120, 25], rows: [[.init("Lĩnh vực", bold: true, align: .center), .init("Nội dung", bold: true, align: .center),
                                                                  .init("Điểm tối đa", bold: true, align: .center)]]
                + s.fields.map { [.init($0.code, align: .center), .init($0.title), .init(n($0.maxPoints), align: .right)] }))
        }
        heading("III. ĐIỀU TRA XÃ HỘI HỌC")
        body("Tổng số phiếu điều tra là \(VietnameseNumber.format(report.totalBallots)) phiếu.")
        for s in report.sections where !s.surveyGroups.isEmpty {
            body("Điều tra về công tác cải cách hành chính đối với \(s.kindPluralVI): \(VietnameseNumber.format(s.surveyGroups.reduce(0) { $0 + $1.ballots })) phiếu, gồm:")
            for g in s.surveyGroups { bullet("\(g.name): \(VietnameseNumber.format(g.ballots)) phiếu;") }
        }
        heading("IV. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
        for (i, s) in report.sections.enumerated() {
            w.add(P([R(text: "\(i + 1). Chỉ số cải cách hành chính của \(s.kindPluralVI)", bold: true)], keepNext: true))
            if s.units.isEmpty { body("Đợt đánh giá chưa có đơn vị nào."); continue }
            body("Chỉ số trung bình đạt \(pct(s.averageIndex)). Kết quả được xác định theo các nhóm:")
            for b in s.unitsByBand {
                bullet("Nhóm \(b.band.lowercased()): " + Self.listing(b.units, lead: "gồm: "))
            }
            var rows: [[DOCXWriter.Cell]] = [["Hạng", "Cơ quan, đơn vị", "Điểm", "Chỉ số", "Thay đổi hạng"].map { .init($0, bold: true, align: .center) }]
            for u in s.units {
                rows.append([.init(String(u.rank), align: .center), .init(u.name), .init("\(n(u.totalPoints))/\(n(u.maxPoints))", align: .right),
                             .init(pct(u.indexPercent), align: .right), .init(rankText(u), align: .center)])
            }
            w.add(DOCXWriter.Table(widths: [14, 85, 25, 20, 22], rows: rows))
            // The same ranking and the bands as charts, for readers of the printed report.
            let ranking = SVGChart.ranking(title: "Chỉ số CCHC của \(s.kindPluralVI) (%)", items: s.units.map { (label: $0.name, percent: $0.indexPercent) })
            w.add(DOCXWriter.Picture(svg: ranking, widthMM: 160, heightMM: 160 * Double(28 + s.units.count * 22 + 24) / 750))
            let bands = s.unitsByBand.map { b in
                (label: b.band, count: b.units.count,
                 colour: s.bandColours[b.band] ?? SVGChart.colour(forPercent: 0))
            }
            w.add(DOCXWriter.Picture(svg: SVGChart.distribution(title: "Số đơn vị theo nhóm", bands: bands),
                                     widthMM: 120, heightMM: 120 * 180 / Double(160 * max(bands.count, 1) + 20)))
            // Which rules made the bands, ratings and review flags (issue #12).
            for line in s.rulesVI { w.add(P([R(text: line, italic: true, size: 12)], firstLineIndent: 10)) }
        }
        heading("V. ĐÁNH GIÁ TRÁCH NHIỆM CỦA NGƯỜI ĐỨNG ĐẦU")
        for (i, s) in report.sections.enumerated() {
            w.add(P([R(text: "\(i + 1). Đối với người đứng đầu \(s.kindPluralVI)", bold: true)], keepNext: true))
            for r in s.unitsByRating {
                bullet("Nhóm \(r.rating.lowercased()): " + Self.listing(r.units, lead: ""))
            }
        }
        heading("VI. CÁC ĐƠN VỊ PHẢI TỔ CHỨC KIỂM ĐIỂM")
        let reviews = report.sections.flatMap(\.reviews)
        if reviews.isEmpty { body("Không có đơn vị nào có lĩnh vực đạt dưới ngưỡng phải kiểm điểm.") }
        for r in reviews { bullet("\(r.unit): \(r.fields.joined(separator: "; ")).") }
        heading("VII. THAY ĐỔI THỨ HẠNG SO VỚI NĂM TRƯỚC")
        for s in report.sections {
            let moves = s.rankMoves
            if !s.units.contains(where: \.hasPrevious) { body("Đối với \(s.kindPluralVI): chưa có kết quả năm trước để so sánh."); continue }
            body("Đối với \(s.kindPluralVI):")
            bullet("Tăng bậc: " + (moves.rose.isEmpty ? "không có." : moves.rose.map { "\($0.unit) (tăng \($0.places) bậc)" }.joined(separator: "; ") + "."))
            bullet("Giảm bậc: " + (moves.fell.isEmpty ? "không có." : moves.fell.map { "\($0.unit) (giảm \($0.places) bậc)" }.joined(separator: "; ") + "."))
            if !moves.new.isEmpty { bullet("Đơn vị mới đánh giá năm nay: \(moves.new.joined(separator: "; ")).") }
        }
        heading("VIII. CHỈ SỐ TRUNG BÌNH THEO LĨNH VỰC")
        for s in report.sections {
            body("Đối với \(s.kindPluralVI):")
            w.add(DOCXWriter.Table(widths: [20, 105, 20, 20], rows: [["Lĩnh vực", "Nội dung", "Tối đa", "Trung bình"].map { .init($0, bold: true, align: .center) }]
                + s.fieldAverages.map { [.init($0.field.code, align: .center), .init($0.field.title), .init(n($0.field.maxPoints), align: .right),
                                         .init(pct($0.percent), align: .right)] }))
        }
        // Recipients and signature.
        w.add(DOCXWriter.Table(widths: [85, 80], rows: [[
            .init([P([R(text: "Nơi nhận:", bold: true, italic: true, size: 12)], align: .left, after: 0)]
                  + report.recipients.map { P("- \($0)", size: 11, align: .left, after: 0) }),
            .init([P(report.signerTitle, bold: true, size: 14, align: .center, after: 60), P(report.signerName, bold: true, align: .center, after: 0)]),
        ]], borders: false, headerRows: 0))

        // Appendix: one score table per unit.
        for s in report.sections {
            for (i, u) in s.units.enumerated() {
                w.pageBreak()
                w.add(P("Biểu số \(s.appendixLetter)\(i + 1)", bold: true, align: .right, after: 0))
                w.add(P("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM \(report.year)", bold: true, align: .center, after: 0))
                w.add(P(u.name.uppercased(), bold: true, align: .center, after: 0))
                w.add(P("Xếp hạng \(u.rank)/\(s.units.count) · \(n(u.totalPoints))/\(n(u.maxPoints)) điểm · chỉ số \(pct(u.indexPercent)) · \(u.rating)",
                        italic: true, size: 12, align: .center, after: 6))
                var rows: [[DOCXWriter.Cell]] = [["Mã", "Lĩnh vực, tiêu chí", "Tối đa", "Tự chấm", "Kết quả", "Tỷ lệ", "Ghi chú"]
                    .map { .init($0, bold: true, align: .center, size: 10, shade: "D9E2F3") }]
                for r in u.scoreTable {
                    let bold = r.depth == 0
                    rows.append([.init(r.code, bold: bold, size: 10), .init(r.title, bold: bold, size: 10), .init(n(r.maxPoints), bold: bold, align: .right, size: 10),
                                 .init(n(r.selfPoints), bold: bold, align: .right, size: 10), .init(n(r.finalPoints), bold: bold, align: .right, size: 10),
                                 .init(pct(r.percent), bold: bold, align: .right, size: 10), .init(r.note ?? "", size: 9)])
                }
                w.add(DOCXWriter.Table(widths: [13, 70, 14, 15, 15, 15, 23], rows: rows))
            }
        }
        return try w.data()
    }

    /// `có 03 đơn vị (gồm: A; B; C).` or `không có đơn vị nào.`, as the report writes counts.
    static func listing(_ units: [String], lead: String) -> String {
        guard !units.isEmpty else { return "không có đơn vị nào." }
        let count = units.count < 10 ? "0\(units.count)" : "\(units.count)"
        return "có \(count) đơn vị (\(lead)\(units.joined(separator: "; ")))."
    }

    private func rankText(_ u: AnnualReport.Unit) -> String {
        guard u.hasPrevious else { return "—" }
        guard let c = u.rankChange else { return "mới" }
        return c > 0 ? "tăng \(c)" : c < 0 ? "giảm \(-c)" : "không đổi"
    }

    // MARK: XLSX and CSV

    /// The ranking of every section on the first sheet, then one sheet per unit (numbers as numbers).
    func xlsx() throws -> Data {
        var ranking: [[XLSXWriter.Cell]] = [[.line("\(report.titleVI)\(isDraft ? " (dự thảo)" : "")")], []]
        for s in report.sections {
            ranking.append([.bold(s.campaignName)])
            ranking.append((["Hạng", "Mã", "Đơn vị", "Điểm", "Tối đa", "Chỉ số (%)", "Nhóm", "Người đứng đầu", "Thay đổi hạng"]
                            + s.fields.map { "LV \($0.code) (%)" }).map { .bold($0) })
            for u in s.units {
                ranking.append([.number(Double(u.rank)), .text(u.code), .text(u.name), .number(u.totalPoints), .number(u.maxPoints),
                                .number((u.indexPercent * 100).rounded() / 100), .text(u.band ?? ""), .text(u.rating), .text(rankText(u))]
                               + u.fieldPercents.map { $0.map { .number(($0 * 100).rounded() / 100) } ?? .text("—") })
            }
            if s.units.isEmpty { ranking.append([.text("Chưa có đơn vị nào.")]) }
            ranking.append([])
        }
        var sheets = [XLSXWriter.Sheet(name: "Xếp hạng", columnWidths: [7, 10, 42, 9, 9, 10, 22, 30, 12] + Array(repeating: 9, count: 9), rows: ranking)]
        for s in report.sections {
            for (i, u) in s.units.enumerated() {
                var rows: [[XLSXWriter.Cell]] = [[.line("Biểu số \(s.appendixLetter)\(i + 1): \(u.name) — hạng \(u.rank), chỉ số \(pct(u.indexPercent))")], []]
                rows.append(["Mã", "Lĩnh vực, tiêu chí", "Tối đa", "Tự chấm", "Kết quả", "Tỷ lệ (%)", "Ghi chú"].map { .bold($0) })
                for r in u.scoreTable {
                    rows.append([.text(r.code), r.depth == 0 ? .bold(r.title) : .text(r.title), .number(r.maxPoints),
                                 r.selfPoints.map { .number($0) } ?? .text("—"), r.finalPoints.map { .number($0) } ?? .text("—"),
                                 r.percent.map { .number(($0 * 100).rounded() / 100) } ?? .text("—"), .text(r.note ?? "")])
                }
                sheets.append(.init(name: String("\(s.appendixLetter)\(i + 1) \(u.code)".prefix(31)), columnWidths: [9, 70, 9, 9, 9, 10, 40], rows: rows))
            }
        }
        return try XLSXWriter(sheets: sheets).data()
    }

    func csv() -> Data {
        let header = ["Đợt đánh giá", "Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Tối đa", "Chỉ số (%)", "Nhóm", "Người đứng đầu", "Thay đổi hạng",
                      "Lĩnh vực phải kiểm điểm"]
        var rows: [[CSVWriter.Cell]] = []
        for s in report.sections {
            for u in s.units {
                rows.append([.text(s.campaignName), .integer(u.rank), .text(u.code), .text(u.name), .number(u.totalPoints), .number(u.maxPoints),
                             .number(u.indexPercent), .text(u.band ?? ""), .text(u.rating), .text(rankText(u)),
                             .text(u.reviewFieldCodes.joined(separator: ", "))])
            }
        }
        return CSVWriter.data(header: header, rows: rows)
    }
}
