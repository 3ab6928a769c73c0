import Foundation
import ZIPFoundation

/// A small WordprocessingML (DOCX) writer: paragraphs of runs, tables, page breaks, on A4 with
/// the margins and the Times New Roman 14 of Vietnamese administrative documents (Decree
/// 30/2020/NĐ-CP, appendix I: top and bottom 20 mm, left 30 mm, right 15 mm). Word and
/// LibreOffice open it; LibreOffice turns it into the PDF.
struct DOCXWriter {
    enum Alignment: String { case left, center, right, both }

    struct Run {
        var text: String
        var bold = false
        var italic = false
        var underline = false
        /// Font size in points (half-points in the file).
        var size: Double?
    }

    struct Paragraph {
        var runs: [Run]
        var align: Alignment = .both
        /// Space after, in points.
        var after: Double = 6
        var firstLineIndent: Double = 0
        var keepNext = false

        init(_ runs: [Run], align: Alignment = .both, after: Double = 6, firstLineIndent: Double = 0, keepNext: Bool = false) {
            self.runs = runs
            self.align = align
            self.after = after
            self.firstLineIndent = firstLineIndent
            self.keepNext = keepNext
        }

        init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double? = nil, align: Alignment = .both,
             after: Double = 6, firstLineIndent: Double = 0) {
            self.init([Run(text: text, bold: bold, italic: italic, size: size)], align: align, after: after, firstLineIndent: firstLineIndent)
        }
    }

    /// A cell merged with the ones below it: the first says `restart`, each one under it `continue`.
    enum VerticalMerge: String { case restart, `continue` }

    struct Cell {
        var paragraphs: [Paragraph]
        /// Background colour, `RRGGBB`.
        var shade: String?
        /// Grid columns the cell spans (a grouped header over its columns).
        var span = 1
        var verticalMerge: VerticalMerge?
        init(_ paragraphs: [Paragraph], shade: String? = nil, span: Int = 1, verticalMerge: VerticalMerge? = nil) {
            self.paragraphs = paragraphs
            self.shade = shade
            self.span = span
            self.verticalMerge = verticalMerge
        }
        init(_ text: String, bold: Bool = false, align: Alignment = .left, size: Double = 11, shade: String? = nil,
             span: Int = 1, verticalMerge: VerticalMerge? = nil) {
            self.init([Paragraph([Run(text: text, bold: bold, size: size)], align: align, after: 0)], shade: shade,
                      span: span, verticalMerge: verticalMerge)
        }
    }

    struct Table {
        /// Column widths in millimetres.
        var widths: [Double]
        var rows: [[Cell]]
        var borders = true
        /// Rows repeated at the top of each page.
        var headerRows = 1
    }

    /// A vector picture (SVG), e.g. a chart, centred in its own paragraph. LibreOffice lays it
    /// out as vectors (its text stays text in the PDF).
    struct Picture {
        var svg: String
        var widthMM: Double
        var heightMM: Double
    }

    enum Block {
        case paragraph(Paragraph)
        case table(Table)
        case picture(Picture)
        case pageBreak
    }

    var blocks: [Block] = []

    mutating func add(_ p: Paragraph) { blocks.append(.paragraph(p)) }
    mutating func add(_ t: Table) { blocks.append(.table(t)) }
    mutating func pageBreak() { blocks.append(.pageBreak) }
    mutating func add(_ p: Picture) { blocks.append(.picture(p)) }

    private var pictures: [Picture] {
        blocks.compactMap { if case let .picture(p) = $0 { p } else { nil } }
    }

    func data() throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        try add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="svg" ContentType="image/svg+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>
        """)
        try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
        """)
        let images: String = pictures.indices.map { (i: Int) -> String in
            "<Relationship Id=\"rImg\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/picture\(i + 1).svg\"/>"
        }.joined()
        try add("word/_rels/document.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\(images)</Relationships>
        """)
        for (i, p) in pictures.enumerated() { try add("word/media/picture\(i + 1).svg", p.svg) }
        try add("word/styles.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>
        """)
        try add("word/document.xml", document)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    private var document: String {
        var body = ""
        var picture = 0
        for b in blocks {
            switch b {
            case let .paragraph(p): body += Self.xml(p)
            case let .table(t): body += Self.xml(t)
            case let .picture(p):
                picture += 1
                body += Self.xml(p, number: picture)
            case .pageBreak: body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
            }
        }
        // A4, margins 20 / 20 / 30 / 15 mm (1 mm = 56,7 twips).
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>
        """
    }

    private static func twips(mm: Double) -> Int { Int((mm * 56.7).rounded()) }

    /// An inline picture; sizes in EMU (1 mm = 36.000 EMU).
    private static func xml(_ p: Picture, number n: Int) -> String {
        let cx = Int(p.widthMM * 36_000), cy = Int(p.heightMM * 36_000)
        return "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:docPr id=\"\(n)\" name=\"Biểu đồ \(n)\"/>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"\(n)\" name=\"picture\(n).svg\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"rImg\(n)\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    }

    private static func xml(_ p: Paragraph) -> String {
        var ppr = "<w:jc w:val=\"\(p.align.rawValue)\"/><w:spacing w:after=\"\(Int(p.after * 20))\"/>"
        if p.firstLineIndent > 0 { ppr += "<w:ind w:firstLine=\"\(twips(mm: p.firstLineIndent))\"/>" }
        if p.keepNext { ppr = "<w:keepNext/>" + ppr }
        let runs: String = p.runs.map { (r: Run) -> String in
            var rpr = ""
            if r.bold { rpr += "<w:b/><w:bCs/>" }
            if r.italic { rpr += "<w:i/><w:iCs/>" }
            if r.underline { rpr += "<w:u w:val=\"single\"/>" }
            if let s = r.size { rpr += "<w:sz w:val=\"\(Int(s * 2))\"/><w:szCs w:val=\"\(Int(s * 2))\"/>" }
            // Line breaks inside a run become <w:br/>.
            let text: String = r.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { (line: Substring) -> String in "<w:t xml:space=\"preserve\">\(XMLText.escape(String(line)))</w:t>" }.joined(separator: "<w:br/>")
            return "<w:r><w:rPr>\(rpr)</w:rPr>\(text)</w:r>"
        }.joined()
        return "<w:p><w:pPr>\(ppr)</w:pPr>\(runs)</w:p>"
    }

    private static func xml(_ t: Table) -> String {
        let border = t.borders ? "single" : "nil"
        // Closures say `-> String`: SQLKit (imported elsewhere in this module) also offers
        // `joined()` on string-literal-built values, and the wrong overload writes its description.
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map { (side: String) -> String in "<w:\(side) w:val=\"\(border)\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" }.joined()
        let grid: String = t.widths.map { (w: Double) -> String in "<w:gridCol w:w=\"\(twips(mm: w))\"/>" }.joined()
        let rows: String = t.rows.enumerated().map { (i: Int, row: [Cell]) -> String in
            let trPr = i < t.headerRows && t.borders ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>"
            // A spanning cell takes the grid columns from its position to its span's end.
            var column = 0
            let cells: String = row.map { (c: Cell) -> String in
                let covered = column ..< column + max(c.span, 1)
                column = covered.upperBound
                let width = covered.reduce(0) { (sum: Int, j: Int) -> Int in sum + (j < t.widths.count ? twips(mm: t.widths[j]) : 1000) }
                let shade = c.shade.map { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\($0)\"/>" } ?? ""
                let span = c.span > 1 ? "<w:gridSpan w:val=\"\(c.span)\"/>" : ""
                let merge = c.verticalMerge.map { "<w:vMerge w:val=\"\($0.rawValue)\"/>" } ?? ""
                // Merged header cells sit in the middle of their block, as the printed forms have them.
                let align = c.span > 1 || c.verticalMerge != nil ? "<w:vAlign w:val=\"center\"/>" : ""
                let paragraphs: String = c.paragraphs.isEmpty ? "<w:p/>" : c.paragraphs.map { (p: Paragraph) -> String in xml(p) }.joined()
                return "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>\(span)\(merge)\(shade)\(align)</w:tcPr>\(paragraphs)</w:tc>"
            }.joined()
            return "<w:tr>\(trPr)\(cells)</w:tr>"
        }.joined()
        return "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>\(borders)</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>\(grid)</w:tblGrid>\(rows)</w:tbl><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>"
    }

}
