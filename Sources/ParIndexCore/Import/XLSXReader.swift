import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the cells of an Office Open XML workbook (XLSX from Excel, LibreOffice, KoboToolbox)
/// as text, sheet by sheet, for imports: XLSForm questionnaires and ballot files.
///
/// Numbers come back as they are stored (`4`, `4.5`); dates are not interpreted because the
/// imports here take dates as `dd/mm/yyyy` text. Rows keep their spreadsheet line numbers
/// so errors point at the row a user sees.
///
/// The file is hostile until proven otherwise (issue #20): every number read from it is
/// bounded, nothing traps, and ``XLSXLimits`` caps what inflating and parsing may cost.
public struct XLSXReader {
    public struct Row: Sendable, Equatable {
        /// 1-based row number in the sheet.
        public var line: Int
        public var cells: [String]
        /// The columns whose cell is stored as a number: its text is `82.125` with a decimal
        /// point, never a Vietnamese `82,125`, and must not be read with thousands groups.
        public var numericColumns: Set<Int>

        public init(line: Int, cells: [String], numericColumns: Set<Int> = []) {
            self.line = line
            self.cells = cells
            self.numericColumns = numericColumns
        }
    }

    public enum ReadError: DomainError, Equatable {
        case notXLSX
        case missingSheet(String)
        case tooManyEntries(limit: Int)
        case tooLarge(declared: UInt64, limit: UInt64)
        case compressionRatio(entry: String, limit: UInt64)
        /// An entry inflated past what its header declared or past the workbook's budget.
        case inflatedTooLarge(entry: String)
        /// XML with a document type (entity declarations): never in OOXML, the vehicle of entity bombs.
        case documentType(entry: String)
        /// Not UTF-8: FoundationXML traps on element names that are not (found by `scripts/fuzz`).
        case notUTF8(entry: String)
        case cellReference(sheet: String, reference: String)
        case rowNumber(sheet: String, text: String)
        case sharedString(sheet: String, cell: String, index: String)
        case tooManyCells(sheet: String, limit: Int)

        public var code: String {
            switch self {
            case .tooManyEntries, .tooLarge, .compressionRatio, .inflatedTooLarge, .tooManyCells: "import.xlsx_too_large"
            default: "import.xlsx"
            }
        }

        public var messageVI: String {
            func n(_ v: Int) -> String { VietnameseNumber.format(v) }
            func mb(_ v: UInt64) -> String { VietnameseNumber.format(Double(v) / 1_048_576, fractionDigits: 1) + " MB" }
            switch self {
            case .notXLSX:
                return "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
            case let .missingSheet(name):
                return "Bảng tính thiếu trang “\(name)”."
            case let .tooManyEntries(limit):
                return "Tệp .xlsx có quá nhiều thành phần (tối đa \(n(limit))); đây không phải bảng tính thông thường."
            case let .tooLarge(declared, limit):
                return "Tệp .xlsx khi giải nén quá lớn (\(mb(declared)), tối đa \(mb(limit))). Hãy chia thành nhiều tệp nhỏ hơn."
            case let .compressionRatio(entry, limit):
                return "Thành phần “\(entry)” của tệp .xlsx bị nén bất thường (hơn \(n(Int(limit))) lần); tệp bị từ chối vì có thể là “bom giải nén”."
            case let .inflatedTooLarge(entry):
                return "Thành phần “\(entry)” của tệp .xlsx giải nén ra lớn hơn kích thước khai báo hoặc giới hạn cho phép; tệp bị từ chối."
            case let .notUTF8(entry):
                return "Thành phần “\(entry)” của tệp .xlsx không phải văn bản XML mã UTF-8 hợp lệ; tệp bị hỏng hoặc không do Excel tạo ra."
            case let .documentType(entry):
                return "Thành phần “\(entry)” của tệp .xlsx có khai báo DOCTYPE, không có trong bảng tính Excel; tệp bị từ chối."
            case let .cellReference(sheet, reference):
                return "Trang “\(sheet)”: địa chỉ ô “\(reference)” không hợp lệ (cột từ A đến XFD, tức tối đa 16.384 cột; dòng từ 1 đến 1.048.576)."
            case let .rowNumber(sheet, text):
                return "Trang “\(sheet)”: số dòng “\(text)” không hợp lệ (phải từ 1 đến 1.048.576)."
            case let .sharedString(sheet, cell, index):
                return "Trang “\(sheet)”, ô \(cell): chỉ số chuỗi dùng chung “\(index)” không tồn tại trong tệp."
            case let .tooManyCells(sheet, limit):
                return "Trang “\(sheet)” có quá nhiều ô (tối đa \(n(limit)) ô, kể cả ô trống để các dòng đủ cột). Hãy chia thành nhiều tệp hoặc xóa các cột thừa."
            }
        }
    }

    /// Sheet names in workbook order.
    public let sheetNames: [String]
    private let archive: Archive
    private let sheetPaths: [String: String]
    private let sharedStrings: [String]
    private let limits: XLSXLimits
    /// Bytes inflated so far, shared by every entry read (the budget is per workbook).
    private let inflated: InflateBudget

    /// XLSX files are ZIP archives: they start with `PK\u{3}\u{4}`.
    public static func looksLikeXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public init(_ data: Data, limits: XLSXLimits = .default) throws(ReadError) {
        guard Self.looksLikeXLSX(data) else { throw .notXLSX }
        switch data.withUnsafeBytes({ ZIPDirectory.check($0, maxEntries: limits.maxEntries) }) {
        case .valid: break
        case .tooManyEntries: throw .tooManyEntries(limit: limits.maxEntries)
        case .malformed: throw .notXLSX
        }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read, pathEncoding: nil) } catch { throw .notXLSX }
        self.archive = archive
        self.limits = limits
        // The directory is checked before anything is inflated.
        var count = 0
        var declared: UInt64 = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxEntries else { throw .tooManyEntries(limit: limits.maxEntries) }
            let size = entry.uncompressedSize
            declared = declared.addingReportingOverflow(size).overflow ? .max : declared + size
            guard declared <= limits.maxTotalUncompressedBytes else {
                throw .tooLarge(declared: declared, limit: limits.maxTotalUncompressedBytes)
            }
            if size > limits.ratioCheckMinimumBytes,
               entry.compressedSize == 0 || size / max(entry.compressedSize, 1) > limits.maxCompressionRatio {
                throw .compressionRatio(entry: entry.path, limit: limits.maxCompressionRatio)
            }
        }
        inflated = InflateBudget(limit: limits.maxTotalUncompressedBytes)
        guard let workbook = try Self.entry("xl/workbook.xml", in: archive, budget: inflated),
              let rels = try Self.entry("xl/_rels/workbook.xml.rels", in: archive, budget: inflated) else { throw .notXLSX }
        let sheets = XMLElements.collect(workbook, element: "sheet")
        let targets = Dictionary(XMLElements.collect(rels, element: "Relationship").compactMap { r -> (String, String)? in
            guard let id = r["Id"], let target = r["Target"] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (id, path)
        }, uniquingKeysWith: { a, _ in a })
        var paths: [String: String] = [:]
        var names: [String] = []
        for s in sheets {
            guard let name = s["name"], let rid = s["r:id"] ?? s["id"], let path = targets[rid], paths[name] == nil else { continue }
            names.append(name)
            paths[name] = path
        }
        self.sheetNames = names
        self.sheetPaths = paths
        self.sharedStrings = try Self.entry("xl/sharedStrings.xml", in: archive, budget: inflated).map(SharedStringsParser.parse) ?? []
    }

    /// The sheet's rows (empty rows skipped), cells padded to the widest row.
    public func rows(of sheet: String) throws(ReadError) -> [Row] {
        guard let path = sheetPaths[sheet] ?? sheetPaths.first(where: { $0.key.lowercased() == sheet.lowercased() })?.value,
              let xml = try Self.entry(path, in: archive, budget: inflated) else { throw .missingSheet(sheet) }
        let name = sheetPaths[sheet] == nil ? sheetNames.first { $0.lowercased() == sheet.lowercased() } ?? sheet : sheet
        return try SheetParser.parse(xml, sheet: name, sharedStrings: sharedStrings, limits: limits)
    }

    public func hasSheet(_ name: String) -> Bool { sheetNames.contains { $0.lowercased() == name.lowercased() } }

    private struct Overrun: Error {}

    /// Inflates one entry, counting bytes as they come: a header may declare 1 KB for an
    /// entry that inflates to gigabytes.
    private static func entry(_ path: String, in archive: Archive, budget: InflateBudget) throws(ReadError) -> Data? {
        guard let e = archive[path] else { return nil }
        let declared = e.uncompressedSize
        var out = Data()
        var overrun = false
        do {
            _ = try archive.extract(e, skipCRC32: true) { chunk in
                let size = UInt64(chunk.count)
                guard UInt64(out.count) + size <= declared, budget.take(size) else { overrun = true; throw Overrun() }
                out.append(chunk)
            }
        } catch {
            if overrun { throw .inflatedTooLarge(entry: path) }
            return nil
        }
        // OOXML parts never declare a document type; a DTD is how XML entity bombs are built.
        if out.range(of: Data("<!DOCTYPE".utf8)) != nil || out.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .documentType(entry: path)
        }
        if out.withUnsafeBytes({ UTF8Check.firstInvalidOffset($0) }) != nil { throw .notUTF8(entry: path) }
        return out
    }
}

/// The ZIP directory checked before ZIPFoundation reads it: ZIPFoundation's in-memory archive
/// traps when it is asked to read at an offset past the end of the data (found by
/// `scripts/fuzz`, issue #20), and a directory's offsets are whatever the file says. Every
/// offset ZIPFoundation will seek to — the central directory, each local header and data
/// descriptor, each entry's data — must lie inside the file. ZIP64 is refused: a workbook
/// under ``XLSXLimits`` never needs it.
enum ZIPDirectory {
    enum Check: Equatable { case valid, tooManyEntries, malformed }

    static func check(_ raw: UnsafeRawBufferPointer, maxEntries: Int) -> Check {
        let b = raw.bindMemory(to: UInt8.self)
        let n = b.count
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }
        func signature(_ i: Int, _ s: Int) -> Bool { i >= 0 && i + 4 <= n && u32(i) == s }
        guard n >= 22 else { return .malformed }
        // As ZIPFoundation does: the end record is the last signature found scanning back from the end.
        var eocd = n - 22
        while eocd >= 0 && !signature(eocd, 0x0605_4B50) { eocd -= 1 }
        guard eocd >= 0 else { return .malformed }
        if signature(eocd - 20, 0x0706_4B50) || signature(eocd - 76, 0x0606_4B50) { return .malformed }
        let total = u16(eocd + 10)
        guard total <= maxEntries else { return .tooManyEntries }
        var at = u32(eocd + 16)
        for _ in 0 ..< total {
            guard at + 46 <= n else { return .malformed }
            // A wrong signature ends ZIPFoundation's iteration cleanly.
            guard u32(at) == 0x0201_4B50 else { return .valid }
            let flags = u16(at + 8), method = u16(at + 10)
            let compressed = u32(at + 20), uncompressed = u32(at + 24)
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            let local = u32(at + 42)
            guard at + 46 + nameLength + extraLength + commentLength <= n else { return .malformed }
            // ZIP64 extended information (header 0x0001) changes every size and offset.
            var e = at + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                if u16(e) == 0x0001 { return .malformed }
                e += 4 + u16(e + 2)
            }
            guard local + 30 <= n, u32(local) == 0x0403_4B50 else { return .malformed }
            let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
            guard dataStart <= n else { return .malformed }
            if flags & 0x08 != 0 {
                let descriptor = dataStart + (method == 0 ? uncompressed : compressed)
                guard descriptor <= n else { return .malformed }
            }
            at += 46 + nameLength + extraLength + commentLength
        }
        return .valid
    }
}

/// The workbook's inflate budget, shared by the entries read from one reader.
private final class InflateBudget: @unchecked Sendable {
    private var remaining: UInt64
    init(limit: UInt64) { remaining = limit }
    func take(_ n: UInt64) -> Bool {
        guard n <= remaining else { return false }
        remaining -= n
        return true
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

/// A cell reference such as `AB12`, bounded to Excel's grid.
struct CellReference: Equatable {
    /// 0-based column.
    var column: Int
    /// 1-based row, when the reference has one.
    var row: Int?

    /// `AB12` → column 27 (0-based), row 12. Nil for anything else than 1–3 letters `A`…`XFD`
    /// (any case) and an optional row 1…`maxRows`: the issue's `ZZZZZZZZZZZZZZ1` overflowed here.
    static func parse(_ ref: String, maxColumns: Int = 16_384, maxRows: Int = 1_048_576) -> CellReference? {
        var column = 0, letters = 0
        var row = 0, digits = 0
        for u in ref.utf8 {
            switch u {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((u | 0x20) - UInt8(ascii: "a") + 1)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(u - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
        }
        guard letters > 0, column <= maxColumns else { return nil }
        if digits > 0 && !(1...maxRows).contains(row) { return nil }
        return CellReference(column: column - 1, row: digits > 0 ? row : nil)
    }
}

/// One worksheet's `<row>`/`<c>` cells: shared strings (`t="s"`), inline strings, booleans, numbers.
private final class SheetParser: NSObject, XMLParserDelegate {
    let sheet: String
    let sharedStrings: [String]
    let limits: XLSXLimits
    var rows: [XLSXReader.Row] = []
    var row: [Int: String] = [:]
    var numeric: Set<Int> = []
    var rowLine = 0
    var cellColumn = 0
    var cellReference = ""
    var cellType = ""
    var value = ""
    var capturing = false
    var cells = 0
    /// Cells of the rows built so far, empty ones included.
    var padded = 0
    var failure: XLSXReader.ReadError?

    init(sheet: String, sharedStrings: [String], limits: XLSXLimits) {
        self.sheet = sheet
        self.sharedStrings = sharedStrings
        self.limits = limits
    }

    static func parse(_ data: Data, sheet: String, sharedStrings: [String],
                      limits: XLSXLimits) throws(XLSXReader.ReadError) -> [XLSXReader.Row] {
        let d = SheetParser(sheet: sheet, sharedStrings: sharedStrings, limits: limits)
        let p = XMLParser(data: data)
        p.delegate = d
        _ = p.parse()
        if let failure = d.failure { throw failure }
        let width = d.rows.map(\.cells.count).max() ?? 0
        // Padding every row to the widest one is where a single far-right cell turned a
        // small sheet into billions of cells (issue #20).
        guard d.rows.count.multipliedReportingOverflow(by: width).partialValue <= limits.maxCellsPerSheet,
              !d.rows.count.multipliedReportingOverflow(by: width).overflow else {
            throw .tooManyCells(sheet: sheet, limit: limits.maxCellsPerSheet)
        }
        return d.rows.map {
            XLSXReader.Row(line: $0.line, cells: $0.cells + Array(repeating: "", count: width - $0.cells.count), numericColumns: $0.numericColumns)
        }
    }

    private func fail(_ error: XLSXReader.ReadError, _ parser: XMLParser) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes a: [String: String] = [:]) {
        guard failure == nil else { return }
        switch elementName {
        case "row":
            row = [:]
            numeric = []
            if let r = a["r"] {
                guard r.utf8.count <= 7, let n = Int(r), (1...limits.maxRows).contains(n) else {
                    return fail(.rowNumber(sheet: sheet, text: String(r.prefix(40))), parser)
                }
                rowLine = n
            } else {
                guard rowLine < limits.maxRows else { return fail(.rowNumber(sheet: sheet, text: "\(rowLine + 1)"), parser) }
                rowLine += 1
            }
        case "c":
            if let r = a["r"] {
                guard let ref = CellReference.parse(r, maxColumns: limits.maxColumns, maxRows: limits.maxRows) else {
                    return fail(.cellReference(sheet: sheet, reference: String(r.prefix(40))), parser)
                }
                cellColumn = ref.column
                cellReference = r
            } else {
                cellColumn = row.keys.max().map { $0 + 1 } ?? 0
                guard cellColumn < limits.maxColumns else {
                    return fail(.cellReference(sheet: sheet, reference: "dòng \(rowLine), cột \(cellColumn + 1)"), parser)
                }
                cellReference = "dòng \(rowLine), cột \(cellColumn + 1)"
            }
            cellType = a["t"] ?? "n"
            value = ""
        case "v", "t":
            capturing = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing && failure == nil { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil else { return }
        switch elementName {
        case "v", "t": capturing = false
        case "c":
            var text = value
            switch cellType {
            case "s":
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard let i = Int(trimmed), sharedStrings.indices.contains(i) else {
                    return fail(.sharedString(sheet: sheet, cell: cellReference, index: String(trimmed.prefix(40))), parser)
                }
                text = sharedStrings[i]
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "n":
                // Spreadsheets store 4 as "4" but sometimes as "4.0000000000000009"; keep short forms.
                if let d = Double(value), d.isFinite, d == d.rounded(), abs(d) < 1e15 { text = String(Int(d)) }
            default: break
            }
            // Styled empty cells (Excel writes them for formatted ranges) widen nothing.
            guard !text.isEmpty else { return }
            if cellType == "n" { numeric.insert(cellColumn) }
            if row.updateValue(text, forKey: cellColumn) == nil {
                cells += 1
                if cells > limits.maxCellsPerSheet { return fail(.tooManyCells(sheet: sheet, limit: limits.maxCellsPerSheet), parser) }
            }
        case "row":
            let width = (row.keys.max() ?? -1) + 1
            guard width > 0, row.values.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
            padded += width
            guard padded <= limits.maxCellsPerSheet else { return fail(.tooManyCells(sheet: sheet, limit: limits.maxCellsPerSheet), parser) }
            let cells = (0 ..< width).map { row[$0] ?? "" }
            rows.append(XLSXReader.Row(line: rowLine, cells: cells, numericColumns: numeric))
        default: break
        }
    }
}
