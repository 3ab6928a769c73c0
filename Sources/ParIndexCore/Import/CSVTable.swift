import Foundation

/// A CSV file read strictly, for imports that must report every problem with its row.
///
/// Hand-written rather than taken from a CSV package because imports need three things
/// the packages here do not give together: the spreadsheet line number where each record
/// starts (quoted fields may span lines), a clear refusal of non-UTF-8 files (Excel in
/// Vietnam often saves Windows-1258 or UTF-16), and `;` as a delimiter (Excel uses it
/// when the decimal separator is a comma, as in Vietnamese settings).
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        /// 1-based line in the file where the record starts (the header is line 1).
        public var line: Int
        public var fields: [String]
    }

    public var header: [String]
    public var records: [Record]
    /// Line of the header (blank lines above it are skipped).
    public var headerLine: Int = 1

    public enum ReadError: DomainError, Equatable {
        case utf16
        case notUTF8(byteOffset: Int)
        case empty
        case unterminatedQuote(line: Int)
        /// A workbook (ZIP: `.xlsx`, `.ods`) or an Excel 97–2003 file where CSV is expected.
        case spreadsheet(SpreadsheetKind)

        public enum SpreadsheetKind: String, Sendable, Equatable {
            case xlsx, xls, ods
        }

        public var code: String {
            switch self {
            case .utf16, .notUTF8: "import.encoding"
            case .empty: "import.empty"
            case .unterminatedQuote: "import.malformed_csv"
            case .spreadsheet: "import.not_csv"
            }
        }

        public var messageVI: String {
            switch self {
            case .utf16:
                "Tệp được mã hóa UTF-16. Vui lòng lưu lại dưới dạng “CSV UTF-8 (phân tách bằng dấu phẩy)”."
            case let .notUTF8(offset):
                "Tệp không phải mã UTF-8 (byte thứ \(offset + 1) không hợp lệ; có thể là Windows-1258 hoặc TCVN3). Vui lòng lưu lại dưới dạng “CSV UTF-8”."
            case .empty:
                "Tệp không có dữ liệu (thiếu dòng tiêu đề)."
            case let .unterminatedQuote(line):
                "Dòng \(line): dấu ngoặc kép mở nhưng không đóng."
            case .spreadsheet(.xlsx):
                "Tệp là bảng tính Excel (.xlsx), không phải CSV: hãy mở tệp bằng Excel, chọn Lưu thành (Save As) “CSV UTF-8 (phân tách bằng dấu phẩy)” rồi tải tệp .csv lên."
            case .spreadsheet(.xls):
                "Tệp là bảng tính Excel 97–2003 (.xls), không phải CSV: hãy mở tệp bằng Excel, chọn Lưu thành (Save As) “CSV UTF-8 (phân tách bằng dấu phẩy)” rồi tải tệp .csv lên."
            case .spreadsheet(.ods):
                "Tệp là bảng tính OpenDocument (.ods), không phải CSV: hãy mở tệp bằng LibreOffice, chọn Lưu thành “Văn bản CSV” với bảng mã UTF-8 rồi tải tệp .csv lên."
            }
        }
    }

    /// Decodes `data` as UTF-8 (a BOM is allowed and dropped) and parses it.
    public static func read(_ data: Data) throws(ReadError) -> CSVTable {
        let bytes = [UInt8](data)
        if let error = bytes.withUnsafeBytes({ sniff($0) }) { throw error }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .notUTF8(byteOffset: firstInvalidUTF8Offset(body) + (body.count == bytes.count ? 0 : 3))
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(ReadError) -> CSVTable {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: Character = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        var records = try split(text, delimiter: delimiter)
        // Spreadsheets leave trailing empty lines; they are not records.
        records.removeAll { $0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let head = records.first else { throw .empty }
        return CSVTable(header: head.fields.map { $0.trimmingCharacters(in: .whitespaces) },
                        records: Array(records.dropFirst()), headerLine: head.line)
    }

    private static func split(_ text: String, delimiter: Character) throws(ReadError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let ch = next() {
            if inQuotes {
                if ch == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                    } else { inQuotes = false }
                } else {
                    if ch == "\n" || ch == "\r\n" { line += 1 }
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case "\"" where field.isEmpty: inQuotes = true
            case delimiter: fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field); field = ""
                records.append(Record(line: recordLine, fields: fields)); fields = []
                line += 1; recordLine = line
            default: field.append(ch)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }

    /// What a file that is not UTF-8 text usually is, told from its first bytes: a
    /// spreadsheet saved as-is (users pick the `.xlsx` next to the `.csv`), or UTF-16 — with a
    /// BOM, or without one, which shows as a NUL byte beside almost every ASCII byte
    /// ("Unicode Text" from Excel, some exports from older Vietnamese systems).
    static func sniff(_ raw: UnsafeRawBufferPointer) -> ReadError? {
        let b = raw.assumingMemoryBound(to: UInt8.self)
        func starts(_ prefix: [UInt8]) -> Bool { b.count >= prefix.count && zip(b, prefix).allSatisfy { $0 == $1 } }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // OpenDocument puts its uncompressed `mimetype` entry first.
            let head = b.prefix(100)
            let ods = Array("opendocument.spreadsheet".utf8)
            if head.count >= ods.count, (0...(head.count - ods.count)).contains(where: { i in
                head[head.startIndex + i ..< head.startIndex + i + ods.count].elementsEqual(ods)
            }) { return .spreadsheet(.ods) }
            return .spreadsheet(.xlsx)
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .spreadsheet(.xls) }
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) { return .utf16 }
        let sample = b.prefix(1_024)
        guard sample.count >= 4 else { return nil }
        var evenNUL = 0, oddNUL = 0
        for (i, byte) in sample.enumerated() where byte == 0 {
            if i % 2 == 0 { evenNUL += 1 } else { oddNUL += 1 }
        }
        // Text in UTF-16 has a NUL in one half of nearly every ASCII pair; UTF-8 text never has one.
        let pairs = sample.count / 2
        // Vietnamese text is mostly ASCII letters, so a fifth of the pairs is plenty.
        let high = max(evenNUL, oddNUL), low = min(evenNUL, oddNUL)
        if high * 5 >= pairs && low * 4 <= high { return .utf16 }
        return nil
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let len = b < 0x80 ? 1 : b >> 5 == 0x6 ? 2 : b >> 4 == 0xE ? 3 : b >> 3 == 0x1E ? 4 : 0
            guard len > 0, i + len <= bytes.count,
                  bytes[i + 1 ..< i + len].allSatisfy({ $0 >> 6 == 0x2 }) else { return i }
            i += len
        }
        return i
    }

    /// Index of the column whose header folds to one of `names` (accents, case, spaces and
    /// underscores ignored), so `Mã đơn vị`, `ma_don_vi` and `MA DON VI` are one column.
    public func column(_ names: [String]) -> Int? { Self.column(names, in: header) }

    /// The same lookup in any row (a candidate header further down the file).
    public static func column(_ names: [String], in row: [String]) -> Int? {
        let wanted = Set(names.map(headerKey))
        return row.firstIndex { wanted.contains(headerKey($0.trimmingCharacters(in: .whitespaces))) }
    }

    /// How many rows below the first are searched for the real header when the first row
    /// is not it (a title such as “DANH SÁCH ĐƠN VỊ” above the table).
    public static let headerSearchRows = 10

    static func headerKey(_ s: String) -> String {
        VietnameseText.fold(s).replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
    }
}

/// One problem in an import, with the row a spreadsheet user will look for.
public struct ImportRowError: Sendable, Equatable, Codable, Hashable {
    public var row: Int
    public var field: String?
    public var messageVI: String

    public init(row: Int, field: String? = nil, messageVI: String) {
        self.row = row
        self.field = field
        self.messageVI = messageVI
    }

    /// `Dòng 4, cột “Mã cấp trên”: …`; a note about the whole file (row 0, no field) as is.
    public var displayVI: String {
        if row <= 0 && field == nil { return messageVI }
        return "Dòng \(row)" + (field.map { ", cột “\($0)”" } ?? "") + ": " + messageVI
    }

    /// A record whose field count differs from the header's: `Thiếu 2 cột so với dòng tiêu đề (có 4, cần 6).`
    public static func fieldCount(row: Int, has: Int, needs: Int) -> ImportRowError {
        let n = VietnameseNumber.format(abs(needs - has))
        let what = has < needs ? "Thiếu \(n) cột" : "Thừa \(n) cột"
        return ImportRowError(row: row, messageVI: "\(what) so với dòng tiêu đề (có \(VietnameseNumber.format(has)), cần \(VietnameseNumber.format(needs))).")
    }

    /// The header is not the first row: names the line where it is.
    public static func headerBelowTitle(headerLine: Int, firstLine: Int) -> ImportRowError {
        let above = headerLine - 1 > firstLine ? "các dòng \(firstLine)–\(headerLine - 1)" : "dòng \(firstLine)"
        return ImportRowError(row: firstLine, messageVI: "Dòng tiêu đề cột phải là dòng đầu tiên của tệp, nhưng tiêu đề cột nằm ở dòng \(headerLine) (\(above) có vẻ là tên bảng). Hãy xóa \(above) rồi nhập lại.")
    }
}
