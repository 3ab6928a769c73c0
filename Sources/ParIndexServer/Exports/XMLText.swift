/// Text made safe for XML content and attributes (XLSX, DOCX, SVG): the five markup
/// characters escaped, and the characters XML 1.0 forbids (§2.2 Char: controls other than
/// TAB/LF/CR, U+FFFE, U+FFFF) dropped rather than written into a file that Word, Excel or
/// LibreOffice would then refuse. Names are now refused at input (TextRules), but data stored
/// before that must not make an export unreadable (issue #20: one U+FFFF broke XLSX, DOCX, PDF).
enum XMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case _ where !isXMLChar(ch): continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// XML 1.0 `Char`; Swift strings hold no lone surrogates, so only these ranges can fail.
    static func isXMLChar(_ ch: Unicode.Scalar) -> Bool {
        switch ch.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00...0x1F: false
        case 0xFFFE, 0xFFFF: false
        default: true
        }
    }
}
