import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ParIndexCore
import ZIPFoundation

/// Reads the cells of an Office Open XML workbook (XLSX from Excel, LibreOffice, KoboToolbox)
/// as text, sheet by sheet, for imports: XLSForm questionnaires and ballot files.
///
/// Numbers come back as they are stored (`4`, `4.5`); dates are not interpreted because the
/// imports here take dates as `dd/mm/yyyy` text. Rows keep their spreadsheet line numbers
/// so errors point at the row a user sees.
struct XLSXReader {
    struct Row: Sendable, Equatable {
        /// 1-based row number in the sheet.
        var line: Int
        var cells: [String]
    }

    enum ReadError: DomainError, Equatable {
        case notXLSX
        case missingSheet(String)

        var code: String { "import.xlsx" }
        var messageVI: String {
            switch self {
            case .notXLSX: "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
            case let .missingSheet(name): "Bảng tính thiếu trang “\(name)”."
            }
        }
    }

    /// Sheet names in workbook order.
    let sheetNames: [String]
    private let archive: Archive
    private let sheetPaths: [String: String]
    private let sharedStrings: [String]

    /// XLSX files are ZIP archives: they start with `PK\u{3}\u{4}`.
    static func looksLikeXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    init(_ data: Data) throws(ReadError) {
        guard Self.looksLikeXLSX(data), let archive = try? Archive(data: data, accessMode: .read) else { throw .notXLSX }
        self.archive = archive
        guard let workbook = Self.entry("xl/workbook.xml", in: archive),
              let rels = Self.entry("xl/_rels/workbook.xml.rels", in: archive) else { throw .notXLSX }
        let sheets = XMLElements.collect(workbook, element: "sheet")
        let targets = Dictionary(XMLElements.collect(rels, element: "Relationship").compactMap { r -> (String, String)? in
            guard let id = r["Id"], let target = r["Target"] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (id, path)
        }, uniquingKeysWith: { a, _ in a })
        var paths: [String: String] = [:]
        var names: [String] = []
        for s in sheets {
            guard let name = s["name"], let rid = s["r:id"] ?? s["id"], let path = targets[rid] else { continue }
            names.append(name)
            paths[name] = path
        }
        self.sheetNames = names
        self.sheetPaths = paths
        self.sharedStrings = Self.entry("xl/sharedStrings.xml", in: archive).map(SharedStringsParser.parse) ?? []
    }

    /// The sheet's rows (empty rows skipped), cells padded to the widest row.
    func rows(of sheet: String) throws(ReadError) -> [Row] {
        guard let path = sheetPaths[sheet] ?? sheetPaths.first(where: { $0.key.lowercased() == sheet.lowercased() })?.value,
              let xml = Self.entry(path, in: archive) else { throw .missingSheet(sheet) }
        return SheetParser.parse(xml, sharedStrings: sharedStrings)
    }

    func hasSheet(_ name: String) -> Bool { sheetNames.contains { $0.lowercased() == name.lowercased() } }

    private static func entry(_ path: String, in archive: Archive) -> Data? {
        guard let e = archive[path] else { return nil }
        var out = Data()
        do { _ = try archive.extract(e, skipCRC32: true) { out.append($0) } } catch { return nil }
        return out
    }
}

/// Attributes of every element with a given name.
private final class XMLElements: NSObject, XMLParserDelegate {
    let name: String
    var found: [[String: String]] = []
    init(_ name: String) { self.name = name }

    static func collect(_ data: Data, element: String) -> [[String: String]] {
        let d = XMLElements(element)
        let p = XMLParser(data: data)
        p.delegate = d
        _ = p.parse()
        return d.found
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if elementName == name || elementName.hasSuffix(":" + name) { found.append(attributeDict) }
    }
}

/// `xl/sharedStrings.xml`: `<si>` items, each the concatenation of its `<t>` runs.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    static func parse(_ data: Data) -> [String] {
        let d = SharedStringsParser()
        let p = XMLParser(data: data)
        p.delegate = d
        _ = p.parse()
        return d.strings
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch elementName {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText && !inPhonetic { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch elementName {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}

/// One worksheet's `<row>`/`<c>` cells: shared strings (`t="s"`), inline strings, booleans, numbers.
private final class SheetParser: NSObject, XMLParserDelegate {
    let sharedStrings: [String]
    var rows: [XLSXReader.Row] = []
    var row: [Int: String] = [:]
    var rowLine = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var capturing = false

    init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    static func parse(_ data: Data, sharedStrings: [String]) -> [XLSXReader.Row] {
        let d = SheetParser(sharedStrings: sharedStrings)
        let p = XMLParser(data: data)
        p.delegate = d
        _ = p.parse()
        let width = d.rows.map(\.cells.count).max() ?? 0
        return d.rows.map { XLSXReader.Row(line: $0.line, cells: $0.cells + Array(repeating: "", count: width - $0.cells.count)) }
    }

    /// `AB12` → column 27 (0-based 27).
    static func column(_ ref: String) -> Int {
        var n = 0
        for u in ref.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 else { break }
            n = n * 26 + Int(u.value - 64)
        }
        return n - 1
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes a: [String: String] = [:]) {
        switch elementName {
        case "row":
            row = [:]
            rowLine = a["r"].flatMap(Int.init) ?? rowLine + 1
        case "c":
            cellColumn = a["r"].map(Self.column) ?? (row.keys.max().map { $0 + 1 } ?? 0)
            cellType = a["t"] ?? "n"
            value = ""
        case "v", "t":
            capturing = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch elementName {
        case "v", "t": capturing = false
        case "c":
            var text = value
            switch cellType {
            case "s": text = Int(value).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "n":
                // Spreadsheets store 4 as "4" but sometimes as "4.0000000000000009"; keep short forms.
                if let d = Double(value), d == d.rounded(), abs(d) < 1e15 { text = String(Int(d)) }
            default: break
            }
            if cellColumn >= 0 { row[cellColumn] = text }
        case "row":
            let width = (row.keys.max() ?? -1) + 1
            let cells = (0 ..< width).map { row[$0] ?? "" }
            if cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                rows.append(XLSXReader.Row(line: rowLine, cells: cells))
            }
        default: break
        }
    }
}
