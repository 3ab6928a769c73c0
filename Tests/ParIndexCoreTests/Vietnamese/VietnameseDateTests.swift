import Foundation
import Testing
@testable import ParIndexCore

@Suite struct VietnameseDateTests {
    @Test func parsesAndFormatsInVietnamTime() throws {
        let d = try VietnameseDate.parse("10/01/2023")
        #expect(VietnameseDate.format(d) == "10/01/2023")
        // Midnight in Hà Nội is 17:00 UTC the day before.
        #expect(d.timeIntervalSince1970 == 1_673_283_600)
        #expect(VietnameseDate.format(try VietnameseDate.parse("5/1/2023")) == "05/01/2023")
        #expect(VietnameseDate.format(try VietnameseDate.parse("2024-12-05")) == "05/12/2024")
    }

    @Test(arguments: ["31/02/2023", "00/01/2023", "12/13/2023", "hôm qua", "1/1", ""])
    func rejectsImpossibleDates(text: String) {
        #expect(throws: VietnameseDate.ParseError.self) { try VietnameseDate.parse(text) }
    }
}
