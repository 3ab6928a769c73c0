import Foundation
import ZIPFoundation

/// Small workbooks built in memory: the readers' test files, the fuzz seeds and the
/// decompression bombs of issue #20. A library of its own so that the tests and the fuzz tool
/// share one copy; nothing the server ships links it.
public enum Workbooks {
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { s = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + s; n = (n - 1) / 26 }
        return s
    }

    /// Sheet XML with inline strings (numbers as numbers).
    public static func sheetXML(_ rows: [[String]]) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() {
            xml += #"<row r="\#(r + 1)">"#
            for (c, cell) in row.enumerated() where !cell.isEmpty {
                let ref = "\(column(c))\(r + 1)"
                if Double(cell) != nil { xml += #"<c r="\#(ref)"><v>\#(cell)</v></c>"# }
                else { xml += #"<c r="\#(ref)" t="inlineStr"><is><t>\#(escape(cell))</t></is></c>"# }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// A workbook whose sheets are given as raw XML (or a streamed provider for big ones).
    public static func workbook(_ sheets: [(name: String, xml: String)]) throws -> Data {
        try workbook(sheets.map { s -> (name: String, size: Int64, provider: (Int64, Int) throws -> Data) in
            let bytes = Data(s.xml.utf8)
            return (s.name, Int64(bytes.count), { pos, size in bytes.subdata(in: Int(pos) ..< Int(pos) + size) })
        })
    }

    public static func workbook(_ sheets: [(name: String, size: Int64, provider: (Int64, Int) throws -> Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let d = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate,
                                 provider: { pos, size in d.subdata(in: Int(pos) ..< Int(pos) + size) })
        }
        let ns = "http://schemas.openxmlformats.org"
        try add("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="\#(ns)/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"# + sheets.indices.map { #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }.joined() + "</Types>")
        try add("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\#(ns)/package/2006/relationships"><Relationship Id="rId1" Type="\#(ns)/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)
        try add("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\#(ns)/spreadsheetml/2006/main" xmlns:r="\#(ns)/officeDocument/2006/relationships"><sheets>"# + sheets.enumerated().map { i, s in #"<sheet name="\#(escape(s.name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"# }.joined() + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\#(ns)/package/2006/relationships">"# + sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Type="\#(ns)/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"# }.joined() + "</Relationships>")
        for (i, s) in sheets.enumerated() {
            try archive.addEntry(with: "xl/worksheets/sheet\(i + 1).xml", type: .file, uncompressedSize: s.size,
                                 compressionMethod: .deflate, provider: s.provider)
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// A ZIP of stored (uncompressed) entries written directly: ZIPFoundation rewrites its
    /// whole central directory on every added entry, which makes 10.000 entries quadratic.
    public static func storedZIP(_ entries: [(path: String, data: Data)]) -> Data {
        var out = [UInt8](), directory = [UInt8]()
        func u16(_ v: Int, _ to: inout [UInt8]) { to += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ to: inout [UInt8]) { for k in 0 ..< 4 { to.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        for e in entries {
            let name = Array(e.path.utf8), crc = e.data.crc32(checksum: 0), size = UInt32(e.data.count)
            let offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(size, &out); u32(size, &out); u16(name.count, &out); u16(0, &out)
            out += name; out += e.data
            u32(0x0201_4B50, &directory); u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(0, &directory)
            u16(0, &directory); u16(0x21, &directory); u32(crc, &directory); u32(size, &directory); u32(size, &directory)
            u16(name.count, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory)
            u32(0, &directory); u32(offset, &directory); directory += name
        }
        let start = UInt32(out.count)
        out += directory
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(directory.count), &out); u32(start, &out); u16(0, &out)
        return Data(out)
    }

    /// Sets the uncompressed size an entry declares (local header and central directory):
    /// a header that lies.
    public static func declare(_ size: UInt32, for path: String, in data: Data) -> Data {
        var bytes = [UInt8](data)
        let name = Array(path.utf8)
        func le32(_ at: Int) { for k in 0 ..< 4 { bytes[at + k] = UInt8(truncatingIfNeeded: size >> (8 * k)) } }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var i = 0
        while i + 46 < bytes.count {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x03, bytes[i + 3] == 0x04,
               Array(bytes[(i + 30) ..< min(i + 30 + u16(i + 26), bytes.count)]) == name { le32(i + 22) }
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x01, bytes[i + 3] == 0x02,
               Array(bytes[(i + 46) ..< min(i + 46 + u16(i + 28), bytes.count)]) == name { le32(i + 24) }
            i += 1
        }
        return Data(bytes)
    }

    /// A provider repeating `unit` (after `head`, before `tail`) up to `size` bytes.
    public static func repeating(head: String, unit: String, tail: String, count: Int) -> (Int64, (Int64, Int) throws -> Data) {
        let h = Array(head.utf8), u = Array(unit.utf8), t = Array(tail.utf8)
        let size = Int64(h.count + u.count * count + t.count)
        return (size, { pos, len in
            var out = [UInt8](); out.reserveCapacity(len)
            var p = Int(pos)
            while out.count < len {
                if p < h.count { out.append(h[p]) }
                else if p < h.count + u.count * count { out.append(u[(p - h.count) % u.count]) }
                else { out.append(t[p - h.count - u.count * count]) }
                p += 1
            }
            return Data(out)
        })
    }

    public enum Bomb: String, CaseIterable, Sendable {
        /// A 200 MB sheet of one repeated row, deflated to a few hundred KB.
        case hugeSheet = "huge-sheet"
        /// A 50 MB sheet whose headers declare 1 KB.
        case lyingHeader = "lying-header"
        /// 10.000 entries.
        case manyEntries = "many-entries"
        /// One cell in column XFD on each of 1.000.000 rows (a couple of KB compressed).
        case wideRows = "wide-rows"
        /// The same on 200 rows: under the ratio check, caught by the cell limit.
        case wideRowsSmall = "wide-rows-small"

        public static let head = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        public static let tail = "</sheetData></worksheet>"

        public func make() throws -> Data {
            switch self {
            case .hugeSheet:
                let (size, p) = Workbooks.repeating(head: Self.head, unit: #"<row><c t="inlineStr"><is><t>so_phieu</t></is></c><c><v>1</v></c></row>"#,
                                                    tail: Self.tail, count: 200 * 1_048_576 / 70)
                return try Workbooks.workbook([("Sheet1", size, p)])
            case .lyingHeader:
                let (size, p) = Workbooks.repeating(head: Self.head, unit: #"<row><c t="inlineStr"><is><t>so_phieu</t></is></c><c><v>1</v></c></row>"#,
                                                    tail: Self.tail, count: 50 * 1_048_576 / 70)
                let honest = try Workbooks.workbook([("Sheet1", size, p)])
                return Workbooks.declare(1_000, for: "xl/worksheets/sheet1.xml", in: honest)
            case .manyEntries:
                let sheet = Data(Workbooks.sheetXML([["so_phieu"], ["1"]]).utf8)
                return Workbooks.storedZIP([("xl/worksheets/sheet1.xml", sheet)]
                                           + (0 ..< 10_000).map { ("xl/media/pad\($0).xml", Data("<a/>".utf8)) })
            case .wideRows, .wideRowsSmall:
                let (size, p) = Workbooks.repeating(head: Self.head, unit: #"<row><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>"#,
                                                    tail: Self.tail, count: self == .wideRows ? 1_000_000 : 200)
                return try Workbooks.workbook([("Sheet1", size, p)])
            }
        }
    }

    /// The XLSX seeds of the fuzz corpus: a ballot file and an XLSForm, as the server reads them.
    public static func writeSeeds(to dir: URL) throws {
        let out = dir.appendingPathComponent("xlsx")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let codes = (1...5).flatMap { p in ["tc", "tt", "cc", "kq", "pa"].map { "\($0)\(p)" } }.sorted()
        let header = ["so_phieu", "nhom", "don_vi"] + codes
        let ballots = [header, ["1", "CD", "SNV"] + codes.map { _ in "4" }, ["2", "DN", "STC"] + codes.map { _ in "5" }]
        try workbook([("Phiếu", sheetXML(ballots))]).write(to: out.appendingPathComponent("ballots.xlsx"))
        let survey = [["type", "name", "label", "required"], ["text", "so_phieu", "Số phiếu", "yes"],
                      ["select_one nhom", "nhom", "Nhóm", "yes"], ["select_one don_vi", "don_vi", "Đơn vị", "yes"],
                      ["select_one muc_do", "q1", "Câu 1", "yes"], ["select_one muc_do", "q2", "Câu 2", ""]]
        let choices = [["list_name", "name", "label", "score"], ["muc_do", "1", "Rất không hài lòng", "1"],
                       ["muc_do", "5", "Rất hài lòng", "5"], ["nhom", "CD", "Công dân", ""], ["don_vi", "SNV", "Sở Nội vụ", ""]]
        let settings = [["form_id", "form_title", "version", "source"], ["thu-nghiem", "Phiếu thử", "1", "sipas"]]
        try workbook([("survey", sheetXML(survey)), ("choices", sheetXML(choices)), ("settings", sheetXML(settings))])
            .write(to: out.appendingPathComponent("xlsform.xlsx"))
    }
}
