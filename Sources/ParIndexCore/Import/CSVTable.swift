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

    public enum ReadError: DomainError, Equatable {
        case utf16
        case notUTF8(byteOffset: Int)
        case empty
        case unterminatedQuote(line: Int)

        public var code: String {
            switch self {
            case .utf16, .notUTF8: "import.encoding"
            case .empty: "import.empty"
            case .unterminatedQuote: "import.malformed_csv"
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
            }
        }
    }

    /// Decodes `data` as UTF-8 (a BOM is allowed and dropped) and parses it.
    public static func read(_ data: Data) throws(ReadError) -> CSVTable {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw .utf16 }
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
                        records: Array(records.dropFirst()))
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
    public func column(_ names: [String]) -> Int? {
        let wanted = Set(names.map(Self.headerKey))
        return header.firstIndex { wanted.contains(Self.headerKey($0)) }
    }

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

    /// `Dòng 4, cột “Mã cấp trên”: …`
    public var displayVI: String {
        "Dòng \(row)" + (field.map { ", cột “\($0)”" } ?? "") + ": " + messageVI
    }
}
