import Testing
@testable import ParIndexCore

@Suite struct VietnameseNumberTests {
    @Test(arguments: [
        ("71,5", 71.5), ("2.476", 2476), ("1.234,5", 1234.5), ("71.5", 71.5), ("-3", -3), (" 10 ", 10),
        ("0,25", 0.25), ("1.234.567", 1_234_567), ("14,50", 14.5), ("+2", 2), ("100", 100),
    ])
    func parsesVietnameseAndInternationalNotation(text: String, expected: Double) throws {
        #expect(try VietnameseNumber.parse(text) == expected)
    }

    @Test(arguments: ["", "abc", "1,2,3", "1.23.4", ",5", "5,", "1e5", "--1", "12a"])
    func rejectsMalformedNumbers(text: String) {
        #expect(throws: VietnameseNumber.ParseError.self) { try VietnameseNumber.parse(text) }
    }

    @Test func errorSpeaksVietnameseWithStableCode() {
        let e = VietnameseNumber.ParseError(text: "x")
        #expect(e.code == "number.invalid")
        #expect(e.messageVI.contains("không phải là số"))
    }

    @Test(arguments: [
        (71.5, "71,5"), (2476.0, "2.476"), (89.4512, "89,45"), (100.0, "100"), (0.0, "0"), (-12.5, "-12,5"),
        (1_234_567.891, "1.234.567,89"), (0.004, "0"),
    ])
    func formats(value: Double, expected: String) {
        #expect(VietnameseNumber.format(value) == expected)
    }

    @Test func formatsIntegersAndPercentages() {
        #expect(VietnameseNumber.format(2476) == "2.476")
        #expect(VietnameseNumber.format(-1000) == "-1.000")
        #expect(VietnameseNumber.percent(0.8945) == "89,45 %")
        #expect(VietnameseNumber.format(71.5, fractionDigits: 2, trimZeros: false) == "71,50")
    }

    @Test func roundTripsWhatItFormats() throws {
        for v in [0.25, 71.5, 2476, 12.75, 99.99, 1_000_000] {
            #expect(try VietnameseNumber.parse(VietnameseNumber.format(v)) == v)
        }
    }
}
