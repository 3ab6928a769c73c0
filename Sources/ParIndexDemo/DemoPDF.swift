import Foundation

/// A one-page PDF 1.4 built byte by byte: small (about 1,5 kB), valid (correct cross-reference
/// offsets, so viewers open it without "repairing"), and the same bytes for the same text,
/// so the content-addressed evidence store holds the same files on every run.
///
/// The page uses Helvetica, one of the 14 standard fonts every viewer has; its encoding has
/// no Vietnamese letters, so the page shows the text without diacritics, while the full
/// Vietnamese title is kept in the document information (`/Title`, UTF-16) and in a comment
/// line near the top of the file, where viewers and `grep` find it.
enum DemoPDF {
    static func make(title: String, lines: [String]) -> Data {
        var out: [UInt8] = []
        var offsets: [Int] = []
        func write(_ s: String) { out.append(contentsOf: Array(s.utf8)) }
        func object(_ body: String) {
            offsets.append(out.count)
            write("\(offsets.count) 0 obj\n\(body)\nendobj\n")
        }

        var content = "BT\n/F1 11 Tf\n14 TL\n56 790 Td\n"
        for line in lines { content += "(\(escape(ascii(line)))) '\n" }
        content += "ET\n"

        // Header, then a binary-marker comment (tells transfer tools the file is binary), then the title.
        write("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n% \(title)\n")
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
        object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        object("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        object("<< /Title \(utf16Hex(title)) /Producer (ParIndex - du lieu mau) >>")
        let xref = out.count
        write("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n")
        for o in offsets { write(String(format: "%010d 00000 n \n", o)) }
        write("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 6 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return Data(out)
    }

    /// Vietnamese without diacritics (`Kế hoạch` → `Ke hoach`, `Đ` → `D`), printable ASCII only.
    static func ascii(_ s: String) -> String {
        let base = s.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
        let scalars = base.decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { !(0x0300...0x036F).contains($0.value) }
            .map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(scalars)
    }

    /// A PDF literal string must escape its delimiters and the backslash.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
            .replacingOccurrences(of: ")", with: "\\)")
    }

    /// A text string in UTF-16BE with its byte-order mark, as PDF requires for non-Latin-1 text.
    static func utf16Hex(_ s: String) -> String {
        "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    /// Splits a long line at spaces so that it fits the page (Helvetica 11 pt, ~90 characters).
    static func wrap(_ s: String, width: Int = 88) -> [String] {
        var lines: [String] = [], current = ""
        for word in s.split(separator: " ") {
            if !current.isEmpty && current.count + word.count + 1 > width { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
