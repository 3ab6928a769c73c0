import Foundation
import Testing
@testable import ParIndexCore

/// Issue #20: limits counted grapheme clusters, and invisible or file-breaking characters were accepted.
@Suite struct TextRulesTests {
    static let bomb = "a" + String(repeating: "\u{0301}", count: 100_000)
    /// Swift refuses `\u{FDD0}` in a literal.
    static let fdd0 = String(Character(Unicode.Scalar(0xFDD0)!))

    @Test(arguments: [
        // (text, kind, expected message or nil)
        ("Sở Nội vụ", TextRules.Kind.name, nil),
        ("  Sở Nội vụ  ", .name, nil),
        ("Thị\ttrấn", .multiline, nil),
        ("Dòng 1\r\nDòng 2", .multiline, nil),
        ("Trích dẫn \u{202E}abc\u{202C}", .multiline, nil),
        ("", .name, "Tên thử không được để trống."),
        ("   ", .name, "Tên thử không được để trống."),
        ("Sở\u{0}Nội vụ", .name, "Tên thử chứa ký tự điều khiển U+0000 ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\u{0}Nội vụ", .multiline, "Tên thử chứa ký tự điều khiển U+0000 ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\u{7F}", .multiline, "Tên thử chứa ký tự điều khiển U+007F ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\u{85}x", .name, "Tên thử chứa ký tự điều khiển U+0085 ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\tNội vụ", .name, "Tên thử chứa dấu tab (U+0009) ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\nNội vụ", .code, "Tên thử chứa dấu xuống dòng (U+000A) ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở\u{2028}Nội vụ", .name, "Tên thử chứa dấu xuống dòng (U+2028) ở vị trí thứ 3; hãy xoá ký tự này."),
        ("Sở Nội vụ\u{FFFF}", .name, "Tên thử chứa ký tự không hợp lệ U+FFFF ở vị trí thứ 10; hãy xoá ký tự này."),
        ("\u{FFFE}", .multiline, "Tên thử chứa ký tự không hợp lệ U+FFFE ở vị trí thứ 1; hãy xoá ký tự này."),
        ("x" + TextRulesTests.fdd0, .name, "Tên thử chứa ký tự không hợp lệ U+FDD0 ở vị trí thứ 2; hãy xoá ký tự này."),
        ("x\u{10FFFF}", .name, "Tên thử chứa ký tự không hợp lệ U+10FFFF ở vị trí thứ 2; hãy xoá ký tự này."),
        ("x\u{1FFFE}", .name, "Tên thử chứa ký tự không hợp lệ U+1FFFE ở vị trí thứ 2; hãy xoá ký tự này."),
        ("Sở \u{202E}ụv iộN", .name, "Tên thử chứa ký tự điều khiển hướng chữ U+202E ở vị trí thứ 4; hãy xoá ký tự này."),
        ("\u{202A}x", .code, "Tên thử chứa ký tự điều khiển hướng chữ U+202A ở vị trí thứ 1; hãy xoá ký tự này."),
        ("x\u{2066}y\u{2069}", .name, "Tên thử chứa ký tự điều khiển hướng chữ U+2066 ở vị trí thứ 2; hãy xoá ký tự này."),
        (bomb, .name, "Tên thử dài quá 255 ký tự (hiện có 100.000 ký tự)."),
        (String(repeating: "ệ", count: 256), .name, "Tên thử dài quá 255 ký tự (hiện có 256 ký tự)."),
    ] as [(String, TextRules.Kind, String?)])
    func refusesWhatBreaksLimitsAndFiles(text: String, kind: TextRules.Kind, expected: String?) {
        #expect(TextRules.check(text, kind, fieldVI: "Tên thử", maxLength: 255).messageVI == expected)
    }

    @Test func theBombIsOneCharacterButOneHundredThousandScalars() {
        // What made the old `count > 255` pass: one grapheme cluster.
        #expect(Self.bomb.count == 1)
        #expect(!TextRules.check(Self.bomb, .name, fieldVI: "Tên", maxLength: 255).isValid)
    }

    @Test func normalisesToNFCSoVietnameseLettersCountOnce() {
        // "Việt" typed with combining marks (NFD, 6 scalars) is stored and counted as NFC (4 scalars).
        let decomposed = "Việt".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count == 6)
        let checked = TextRules.check(" \(decomposed) ", .name, fieldVI: "Tên", maxLength: 4)
        #expect(checked.isValid)
        #expect(checked.value.unicodeScalars.count == 4)
        #expect(checked.value == "Việt".precomposedStringWithCanonicalMapping)
        #expect(Array(checked.value.utf8) == Array("Vi\u{1EC7}t".utf8))
    }

    @Test func optionalFieldsMayBeEmptyAndLimitsAreInclusive() {
        #expect(TextRules.check("  ", .name, fieldVI: "Tên viết tắt", maxLength: 10, required: false) == .init(value: "", messageVI: nil))
        #expect(TextRules.check(String(repeating: "a", count: 10), .name, fieldVI: "X", maxLength: 10).isValid)
        #expect(TextRules.check(String(repeating: "a", count: 4001), .multiline, fieldVI: "Nội dung giải trình", maxLength: 4000).messageVI
                == "Nội dung giải trình dài quá 4.000 ký tự (hiện có 4.001 ký tự).")
    }

    @Test func documentNumbersAndFilenamesCountScalarsToo() throws {
        let marks = String(repeating: "\u{0301}", count: 100_000)
        #expect(throws: DocumentNumber.ParseError.self) { try DocumentNumber.parse("54/K\(marks)H-UBND") }
        #expect(try DocumentNumber.parse("54/KH-UBND".decomposedStringWithCanonicalMapping).symbol == "KH-UBND")
        let name = SafeFilename.clean("a\(marks).pdf", fallbackExtension: "pdf")
        #expect(name.unicodeScalars.count == 174)
        #expect(name.hasSuffix(".pdf"))
        #expect(SafeFilename.clean("Kế hoạch\u{FFFF}\u{202E}.pdf", fallbackExtension: "pdf") == "Kế hoạch.pdf")
    }
}
