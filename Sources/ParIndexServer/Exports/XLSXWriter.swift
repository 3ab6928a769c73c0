import Foundation
import ZIPFoundation

/// A minimal Office Open XML spreadsheet writer: sheets of text and number cells, a bold
/// header row, column widths, and for the official forms (issue #14: Thông tư 01/2020/TT-VPCP's
/// layouts) merged header cells, bordered table cells and a landscape page. Enough for the
/// reports people file (they open in LibreOffice and Excel); strings are written inline so no
/// shared-string table is needed.
struct XLSXWriter {
    enum Cell: Sendable {
        case text(String)
        case number(Double)
        case bold(String)
        /// Text that may run across empty neighbours (titles), not wrapped.
        case line(String)
        /// A table's header cell: bold, centred, wrapped, bordered.
        case header(String)
        /// A form's title line: bold and centred (over the cells it is merged with).
        case title(String)
        /// Italic and centred: the period under a title, "(Ký, ghi rõ họ tên)", place and date.
        case note(String)
        /// A table's body cell: bordered text or number; `bold` for a total row.
        case boxed(String, bold: Bool = false)
        case boxedNumber(Double, bold: Bool = false)
        case empty
    }

    struct Sheet: Sendable {
        var name: String
        var columnWidths: [Double]
        var rows: [[Cell]]
        /// Merged ranges, `A5:C5` (the first cell holds the text).
        var merges: [String] = []
        /// A4 landscape, fitted to one page wide (a form of 13 columns is printed on one sheet).
        var landscape = false
        /// Heights in points by 0-based row, for header rows whose wrapped labels need the room.
        var rowHeights: [Int: Double] = [:]

        init(name: String, columnWidths: [Double], rows: [[Cell]], merges: [String] = [], landscape: Bool = false,
             rowHeights: [Int: Double] = [:]) {
            self.name = name
            self.columnWidths = columnWidths
            self.rows = rows
            self.merges = merges
            self.landscape = landscape
            self.rowHeights = rowHeights
        }
    }

    var sheets: [Sheet]

    func data() throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        try add("[Content_Types].xml", contentTypes)
        try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """)
        try add("xl/workbook.xml", workbook)
        try add("xl/_rels/workbook.xml.rels", workbookRels)
        try add("xl/styles.xml", styles)
        for (i, sheet) in sheets.enumerated() { try add("xl/worksheets/sheet\(i + 1).xml", xml(sheet)) }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    private var contentTypes: String {
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
        """
    }

    private var workbook: String {
        let list = sheets.enumerated().map { i, s in
            "<sheet name=\"\(XMLText.escape(String(s.name.prefix(31))))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(list)</sheets></workbook>
        """
    }

    private var workbookRels: String {
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)<Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """
    }

    /// Style 0: normal; 1: bold; 2: wrapped text; 3: number with two decimals; 4: header (bold,
    /// centred, wrapped, bordered); 5: title (bold, centred); 6: note (italic, centred); 7: bordered
    /// text; 8: bordered whole number (`2.363` in a Vietnamese locale); 9: bordered bold text; 10:
    /// bordered bold whole number; 11 and 12: bordered number with decimals (`83,9`), plain and bold.
    private var styles: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="0.##"/><numFmt numFmtId="165" formatCode="#,##0.0#"/></numFmts><fonts count="3"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font><font><i/><sz val="11"/><name val="Arial"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="13"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf><xf numFmtId="3" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf><xf numFmtId="3" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf><xf numFmtId="165" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf></cellXfs></styleSheet>
        """
    }

    /// One worksheet part (internal so tests can check that text is never written as a formula).
    func xml(_ sheet: Sheet) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        if sheet.landscape { out += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>" }
        if !sheet.columnWidths.isEmpty {
            out += "<cols>" + sheet.columnWidths.enumerated().map {
                "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\"/>"
            }.joined() + "</cols>"
        }
        out += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            out += sheet.rowHeights[r].map { "<row r=\"\(r + 1)\" ht=\"\($0)\" customHeight=\"1\">" } ?? "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = Self.column(c) + String(r + 1)
                switch cell {
                case .empty: continue
                case let .number(v): out += "<c r=\"\(ref)\" s=\"3\"><v>\(v)</v></c>"
                case let .text(t): out += "<c r=\"\(ref)\" s=\"2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(t))</t></is></c>"
                case let .line(t): out += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(t))</t></is></c>"
                case let .bold(t): out += "<c r=\"\(ref)\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(t))</t></is></c>"
                case let .header(t): out += Self.inline(ref, style: 4, t)
                case let .title(t): out += Self.inline(ref, style: 5, t)
                case let .note(t): out += Self.inline(ref, style: 6, t)
                case let .boxed(t, bold): out += Self.inline(ref, style: bold ? 9 : 7, t)
                case let .boxedNumber(v, bold):
                    let whole = v == v.rounded()
                    out += "<c r=\"\(ref)\" s=\"\(whole ? (bold ? 10 : 8) : (bold ? 12 : 11))\"><v>\(v)</v></c>"
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !sheet.merges.isEmpty {
            out += "<mergeCells count=\"\(sheet.merges.count)\">" + sheet.merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        if sheet.landscape {
            out += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        }
        return out + "</worksheet>"
    }

    private static func inline(_ ref: String, style: Int, _ text: String) -> String {
        "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(text))</t></is></c>"
    }

    /// `B3:D3` for a block of cells (0-based row and column).
    static func range(row: Int, column: Int, rows: Int = 1, columns: Int = 1) -> String {
        Self.column(column) + String(row + 1) + ":" + Self.column(column + columns - 1) + String(row + rows)
    }

    static func column(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let m = (n - 1) % 26; s = String(UnicodeScalar(65 + m)!) + s; n = (n - 1) / 26 }
        return s
    }

}
