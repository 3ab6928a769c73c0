import Foundation
import ParIndexCore

/// A unit's periodic report as a DOCX in the layout of Decree 30/2020/NĐ-CP (appendix I), as
/// the annual report is laid out (``AnnualReportDocument``): the issuing body under its
/// superior, the number, the national motto, place and date, "BÁO CÁO" and its title, the
/// narrative by outline section with the forms' tables generated from the data in the section
/// that carries them, the recipients and the signature; the violations that remain, with the
/// unit's explanations, as an annex. The PDF is this DOCX through LibreOffice.
struct PeriodicReportDocument {
    let paper: ReportPaper
    let submission: SubmissionDTO
    let forms: [FilledForm]
    let outline: ReportOutline

    typealias P = DOCXWriter.Paragraph
    typealias R = DOCXWriter.Run

    /// "Kết quả thực hiện công tác cải cách hành chính năm 2023": the outline's first section
    /// and the period, as the seeds' reports are titled.
    var title: String {
        let label = paper.periodLabel
        let period = label.prefix(1).lowercased() + label.dropFirst()
        let head = outline.sections.first?.title ?? "Kết quả thực hiện công tác cải cách hành chính"
        return "\(head) \(period)"
    }

    func docx() throws -> Data {
        var w = DOCXWriter()
        var left: [P] = []
        if let parent = paper.parentIssuer { left.append(P(parent, size: 13, align: .center, after: 0)) }
        left.append(P([R(text: paper.issuer, bold: true, underline: true, size: 13)], align: .center, after: 6))
        left.append(P("Số: \(paper.number)", size: 13, align: .center, after: 0))
        w.add(DOCXWriter.Table(widths: [68, 97], rows: [[
            .init(left),
            .init([P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12.5, align: .center, after: 0),
                   P([R(text: "Độc lập - Tự do - Hạnh phúc", bold: true, underline: true, size: 14)], align: .center, after: 6),
                   P(paper.placeAndDate, italic: true, size: 14, align: .center, after: 0)]),
        ]], borders: false, headerRows: 0))
        w.add(P("BÁO CÁO", bold: true, size: 14, align: .center, after: 0))
        w.add(P(title, bold: true, size: 14, align: .center, after: 12))

        func heading(_ text: String) { w.add(P([R(text: text, bold: true)], after: 6, keepNext: true)) }
        func narrative(_ text: String) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if lines.isEmpty { w.add(P([R(text: "(Đơn vị chưa viết nội dung phần này.)", italic: true)], firstLineIndent: 10)); return }
            for l in lines { w.add(P(l, firstLineIndent: 10)) }
        }
        let byCode = Dictionary(uniqueKeysWithValues: forms.map { ($0.code, $0) })
        var placed: Set<String> = []
        let text = Dictionary(submission.narrative.map { ($0.code, $0.text) }, uniquingKeysWith: { a, _ in a })
        // Numbered as printed (I., 1., a)); a unit writes under the sections without sub-sections,
        // and each section's forms follow its text.
        for (section, depth, number) in outline.flattened {
            heading(depth == 0 ? "\(number) \(section.title.uppercased())" : "\(number) \(section.title)")
            let written = text[section.code] ?? ""
            if section.children.isEmpty || !written.isEmpty { narrative(written) }
            tables(section.formCodes, &w, byCode, &placed)
        }
        // Forms of the regime that no outline section names still belong in the report.
        let rest = forms.map(\.code).filter { !placed.contains($0) }
        if !rest.isEmpty {
            heading("SỐ LIỆU KHÁC")
            tables(rest, &w, byCode, &placed)
        }
        let recipients = [P([R(text: "Nơi nhận:", bold: true, italic: true, size: 12)], align: .left, after: 0),
                          P("- \(paper.receivingUnitName);", size: 11, align: .left, after: 0),
                          P("- Lưu: VT.", size: 11, align: .left, after: 0)]
        w.add(DOCXWriter.Table(widths: [85, 80], rows: [[
            .init(recipients),
            .init([P(paper.signerTitle, bold: true, size: 14, align: .center, after: 60), P("", align: .center, after: 0)]),
        ]], borders: false, headerRows: 0))
        annex(&w)
        return try w.data()
    }

    private func tables(_ codes: [String], _ w: inout DOCXWriter, _ byCode: [String: FilledForm], _ placed: inout Set<String>) {
        for code in codes {
            guard let f = byCode[code], !placed.contains(code) else { continue }
            placed.insert(code)
            w.add(P([R(text: "Biểu: \(f.title)", bold: true, italic: true, size: 12)], align: .left, after: 0, keepNext: true))
            if !f.form.form.unitOfCount.isEmpty {
                w.add(P([R(text: "Đơn vị tính: \(f.form.form.unitOfCount)", italic: true, size: 11)], align: .right, after: 2, keepNext: true))
            }
            w.add(Self.table(f))
        }
    }

    /// The form's table with its grouped headers spanned and merged as printed, the column
    /// numbers, then the rows (the total row in bold).
    static func table(_ f: FilledForm) -> DOCXWriter.Table {
        let columns = f.columns
        let header = FormHeaderLayout(columns)
        let fixed = columns.reduce(0.0) { $0 + ($1.source == .rowNumber ? 9 : $1.source == .rowLabel ? 32 : 0) }
        let valueCount = max(columns.filter { $0.source == .value }.count, 1)
        let widths = columns.map { c -> Double in
            c.source == .rowNumber ? 9 : c.source == .rowLabel ? 32 : (165 - fixed) / Double(valueCount)
        }
        let size = columns.count > 8 ? 8.0 : 10.0
        var rows: [[DOCXWriter.Cell]] = []
        for r in 0 ..< header.depth {
            var row: [DOCXWriter.Cell] = []
            var x = 0
            while x < columns.count {
                guard let hit = header.cell(at: r, x) else { x += 1; continue }
                let c = hit.cell, starts = hit.starts
                row.append(.init(starts ? c.text : "", bold: true, align: .center, size: size, shade: "D9E2F3", span: c.columns,
                                 verticalMerge: c.rows > 1 ? (starts ? .restart : .continue) : nil))
                x += c.columns
            }
            rows.append(row)
        }
        rows.append(columns.map { DOCXWriter.Cell("(\($0.number))", align: .center, size: size, shade: "F2F2F2") })
        for (r, row) in f.form.rows.enumerated() {
            rows.append(columns.indices.map { c -> DOCXWriter.Cell in
                switch f.value(row: r, column: c) {
                case let .text(t): .init(t, bold: row.isTotal, align: columns[c].source == .rowNumber ? .center : .left, size: size)
                case let .number(v): .init(StatNumberFormat.value(v, type: columns[c].type), bold: row.isTotal, align: .right, size: size)
                case .none: .init("", size: size)
                }
            })
        }
        return DOCXWriter.Table(widths: widths, rows: rows, headerRows: header.depth + 1)
    }

    /// Violations still standing when the file is made, with the unit's explanation of each.
    private func annex(_ w: inout DOCXWriter) {
        let standing = submission.forms.flatMap { f in f.violations.map { (form: f.title, v: $0) } }
        guard !standing.isEmpty else { return }
        w.pageBreak()
        w.add(P("PHỤ LỤC", bold: true, align: .center, after: 0))
        w.add(P("CÁC SỐ LIỆU CHƯA KHỚP VÀ GIẢI TRÌNH CỦA ĐƠN VỊ", bold: true, align: .center, after: 0))
        w.add(P("(Kèm theo Báo cáo của \(paper.unitName), \(paper.periodLabel.prefix(1).lowercased() + paper.periodLabel.dropFirst()))",
                italic: true, size: 13, align: .center, after: 12))
        var rows: [[DOCXWriter.Cell]] = [["STT", "Biểu", "Nội dung kiểm tra", "Mức độ", "Giải trình của đơn vị"]
            .map { .init($0, bold: true, align: .center, size: 11, shade: "D9E2F3") }]
        for (i, x) in standing.enumerated() {
            // The engine's message usually states its figures already; they are added only where it does not.
            let check = x.v.figures.isEmpty || x.v.message.contains(x.v.figures) ? x.v.message : "\(x.v.message) (\(x.v.figures))"
            rows.append([.init(String(i + 1), align: .center, size: 11), .init(x.form, size: 11), .init(check, size: 11),
                         .init(x.v.importanceLabel, align: .center, size: 11),
                         .init(x.v.explanation ?? (x.v.blocks ? "Chưa giải trình." : "—"), size: 11)])
        }
        w.add(DOCXWriter.Table(widths: [11, 34, 60, 20, 40], rows: rows))
    }
}
