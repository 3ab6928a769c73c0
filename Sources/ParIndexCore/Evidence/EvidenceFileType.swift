import Foundation

/// The file types accepted as evidence (issue 5: PDF, DOCX, XLSX, ODT, images), recognised
/// by their content, not their name: a renamed `.exe` is refused whatever it is called.
public enum EvidenceFileType: String, Sendable, Codable, CaseIterable {
    case pdf, docx, xlsx, odt, ods, png, jpeg

    public var mimeType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .ods: "application/vnd.oasis.opendocument.spreadsheet"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    /// Extensions a file of this type may keep (`.jpeg` as well as `.jpg`).
    public var acceptedExtensions: Set<String> { self == .jpeg ? ["jpg", "jpeg"] : [rawValue] }

    public struct Rejected: DomainError, Equatable {
        public var filename: String
        public var code: String { "evidence.file_type" }
        public var messageVI: String {
            "Tệp “\(filename)” không phải là PDF, DOCX, XLSX, ODT, ODS, PNG hoặc JPEG (kiểm tra theo nội dung tệp)."
        }
    }

    /// Detects the type from the first bytes; office formats are ZIP containers told apart by
    /// their characteristic entries (`word/`, `xl/`) or the ODF `mimetype` entry.
    public static func detect(_ data: Data, filename: String) throws(Rejected) -> EvidenceFileType {
        let head = [UInt8](data.prefix(4096))
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let text = String(decoding: head, as: UTF8.self)
            if text.contains("mimetypeapplication/vnd.oasis.opendocument.text") { return .odt }
            if text.contains("mimetypeapplication/vnd.oasis.opendocument.spreadsheet") { return .ods }
            // OOXML: entry names appear in local headers and the central directory at the end.
            let tail = String(decoding: [UInt8](data.suffix(65_536)), as: UTF8.self)
            if tail.contains("word/document.xml") || text.contains("word/") { return .docx }
            if tail.contains("xl/workbook.xml") || text.contains("xl/") { return .xlsx }
        }
        throw Rejected(filename: filename)
    }
}

/// A display name safe to store and to send back in `Content-Disposition`: no directories,
/// no `..`, no control characters, bounded length. Files are stored under their SHA-256, so
/// this name never reaches the file system.
public enum SafeFilename {
    /// The display name of a file whose type was detected from its content, ending in that
    /// type's extension: a PDF uploaded as `bao-cao.html` is stored and served as
    /// `bao-cao.pdf`, so no browser or mail client opens it as a page (issue 20).
    public static func named(_ raw: String, as type: EvidenceFileType) -> String {
        let name = clean(raw, fallbackExtension: type.fileExtension)
        let ext = (name as NSString).pathExtension
        if type.acceptedExtensions.contains(ext.lowercased()) { return name }
        let base = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        return (base.isEmpty ? "tai-lieu" : base) + "." + type.fileExtension
    }


    public static func clean(_ raw: String, fallbackExtension: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(String.UnicodeScalarView(last.precomposedStringWithCanonicalMapping.unicodeScalars
            .filter { !CharacterSet.controlCharacters.contains($0) && !TextRules.isNoncharacter($0) }))
        name = name.replacingOccurrences(of: "..", with: ".").trimmingCharacters(in: CharacterSet(charactersIn: ". ").union(.whitespaces))
        if name.isEmpty { name = "tai-lieu.\(fallbackExtension)" }
        // Scalars, not Characters: one letter with 100.000 combining marks is one Character (issue #20).
        if name.unicodeScalars.count > 180 {
            name = String(String.UnicodeScalarView(name.unicodeScalars.prefix(170))) + "." + fallbackExtension
        }
        return name
    }
}
