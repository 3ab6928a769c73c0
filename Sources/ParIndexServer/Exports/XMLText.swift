/// Text made safe for XML content and attributes (XLSX, DOCX, SVG): the five markup
/// characters escaped, and the control characters XML 1.0 forbids dropped rather than
/// written into a file that Word, Excel or LibreOffice would then refuse.
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
            case _ where ch.value < 0x20 && ch != "\n" && ch != "\t" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
