import Foundation
import Testing
@testable import ParIndexCore

/// A regime's outline as the coordinator types it (issue #14 item 1).
@Suite("Statistics: outline text")
struct ReportOutlineTextTests {
    let forms: Set<String> = ["tthc-ket-qua-giai-quyet", "so-hoa-ho-so", "tthc-thuoc-tham-quyen", "dich-vu-cong-truc-tuyen", "phan-anh-kien-nghi"]

    @Test func theDefaultOutlineReadsBackFromItsText() throws {
        let text = ReportOutlineText.render(.parDefault)
        #expect(text.hasPrefix("I | Kết quả thực hiện công tác cải cách hành chính\n  chi_dao | Công tác chỉ đạo, điều hành cải cách hành chính\n"))
        #expect(try ReportOutlineText.parse(text, knownForms: forms) == .parDefault)
        // The seven PAR areas and the three parts of the assessment each get their own text.
        #expect(ReportOutline.parDefault.leaves.map(\.code) == ["chi_dao", "the_che", "tthc", "to_chuc", "cong_vu", "tai_chinh", "chinh_phu_so",
                                                                 "uu_diem", "han_che", "nguyen_nhan", "III", "IV"])
        #expect(ReportOutline.parDefault.formCodes.count == 5)
        // Printed as reports number them, whatever the codes.
        let numbers = ReportOutline.parDefault.flattened.map { "\($0.number) \($0.section.code)" }
        #expect(numbers.prefix(3) == ["I. I", "1. chi_dao", "2. the_che"] && numbers.last == "IV. IV")
        #expect(RomanNumeral.format(9) == "IX" && RomanNumeral.format(14) == "XIV" && ReportOutline.number(3, depth: 2) == "c)")
    }

    @Test func aCommuneOutlineWithCommentsAndItsOwnSections() throws {
        let o = try ReportOutlineText.parse("""
        # Đề cương 6 tháng của xã
        I | Kết quả
          1 | Tuyên truyền CCHC
          2 | Thủ tục hành chính | tthc-thuoc-tham-quyen, tthc-ket-qua-giai-quyet

        II | Phương hướng
        """, knownForms: forms)
        #expect(o.sections.map(\.code) == ["I", "II"])
        #expect(o.sections[0].children.map(\.title) == ["Tuyên truyền CCHC", "Thủ tục hành chính"])
        #expect(o.sections[0].children[1].formCodes == ["tthc-thuoc-tham-quyen", "tthc-ket-qua-giai-quyet"])
        #expect(o.leaves.map(\.code) == ["1", "2", "II"])
        let json = try JSONEncoder().encode(o)
        #expect(try JSONDecoder().decode(ReportOutline.self, from: json) == o)
    }

    @Test func everyProblemComesWithItsLine() {
        let e = #expect(throws: FormValidationError.self) {
            try ReportOutlineText.parse("""
            I | Kết quả
                a | Quá sâu
            I | Trùng mã
            mục hai | Có dấu cách trong mã
            III
            IV | Có biểu lạ | bieu-la
              1 | Một
                b | Hai
                  i | Ba
            """, knownForms: forms)
        }
        #expect(e?.errors.map(\.messageVI) == [
            "Dòng 2: Mục thụt vào sâu hơn một cấp so với mục trên nó (mỗi cấp thụt 2 dấu cách).",
            "Dòng 3: Mã mục 'I' bị trùng (đã dùng ở dòng 1).",
            "Dòng 4: Giá trị \"mục hai\" của 'mã' không hợp lệ; cần chữ không dấu, số, “_”, “.” hoặc “-” (tối đa 40 ký tự).",
            "Dòng 5: Mỗi mục ghi “mã | tên mục”, có thể thêm “| các biểu mẫu”; dòng này có 1 phần.",
            "Dòng 6: Giá trị \"bieu-la\" của 'biểu mẫu' không hợp lệ; cần mã một biểu mẫu của chế độ báo cáo (dich-vu-cong-truc-tuyen, phan-anh-kien-nghi, so-hoa-ho-so, tthc-ket-qua-giai-quyet, tthc-thuoc-tham-quyen).",
            "Dòng 9: Đề cương có tối đa 3 cấp mục.",
        ])
        #expect(throws: FormValidationError.self) { try ReportOutlineText.parse("# chỉ có ghi chú\n", knownForms: forms) }
    }
}
