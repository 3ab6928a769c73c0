import Testing
@testable import ParIndexCore

@Suite struct VietnameseTextTests {
    @Test func foldsAccentsCaseAndD() {
        #expect(VietnameseText.fold("Sơn Hàm") == "son ham")
        #expect(VietnameseText.fold("ĐƯỜNG  Dương") == "duong duong")
        #expect(VietnameseText.fold("Ứng Hòe") == "ung hoe")
    }

    @Test(arguments: [("Xã Sơn Hàm", "son ham", true), ("Sở Giáo dục và Đào tạo", "DAO TAO", true),
                      ("UBND huyện Tứ Kỳ", "tu ky", true), ("Thị trấn Phố Châu", "son ham", false),
                      ("Hải Dương", "DUONG", true), ("Hải Dương", "", true)])
    func matchesAccentInsensitively(text: String, query: String, expected: Bool) {
        #expect(VietnameseText.matches(text, query: query) == expected)
    }

    @Test func sortsInVietnameseAlphabeticalOrder() {
        let names = ["Yên", "Đông", "Anh", "Ân", "Ăn", "Dương", "Bình", "Ơn", "Ôn", "On", "Ưng", "Ung", "Ba", "Bà", "Bá", "Bả", "Bã", "Bạ"]
        let sorted = names.sorted(by: VietnameseText.areInIncreasingOrder)
        #expect(sorted == ["Anh", "Ăn", "Ân", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bình", "Dương", "Đông",
                           "On", "Ôn", "Ơn", "Ung", "Ưng", "Yên"])
    }

    @Test func sortKeyStringSortsLikeTheKey() {
        let names = ["Đông Xuyên", "Dương Quang", "Zê", "An Lâm", "Ân Thi", "Ba Vì", "Bà Rịa", "Cẩm Điền", "Cẩm Giàng", "Cam Lộ"]
        let byKey = names.sorted(by: VietnameseText.areInIncreasingOrder)
        let byString = names.sorted { VietnameseText.sortKeyString($0) < VietnameseText.sortKeyString($1) }
        #expect(byKey == byString)
        #expect(VietnameseText.sortKeyString("Đông").allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func sortedVietnameseUsesTheKey() {
        struct U { var name: String }
        let sorted = [U(name: "Đà Nẵng"), U(name: "Cần Thơ"), U(name: "Dak Lak")].sortedVietnamese(by: \.name).map(\.name)
        #expect(sorted == ["Cần Thơ", "Dak Lak", "Đà Nẵng"])
    }
}
