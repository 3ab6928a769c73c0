import Foundation
import Testing
@testable import ParIndexCore

@Suite struct PasswordPolicyTests {
    @Test(arguments: [
        "password123", "matkhau123", "MatKhau123", "Mật Khẩu 123".replacingOccurrences(of: " ", with: ""),
        "12345678910", "qwertyuiop", "123456789a", "anhyeuem123", "Password123", "vietnam2026",
    ])
    func commonPasswordsAreRefused(password: String) {
        #expect(PasswordPolicy.problems(password, username: "baocao").contains(.common), "\(password)")
    }

    @Test(arguments: ["1234567890", "abcdefghij", "0987654321", "ABCDEFGHIJKL", "zyxwvutsrq", "4567890123"])
    func sequencesAreRefused(password: String) {
        #expect(PasswordPolicy.problems(password, username: "baocao").contains(.sequence), "\(password)")
    }

    @Test(arguments: ["aaaaaaaaaa", "1111111111111", "ĐĐĐĐĐĐĐĐĐĐ", "!!!!!!!!!!!!"])
    func oneRepeatedCharacterIsRefused(password: String) {
        #expect(PasswordPolicy.problems(password, username: "baocao").contains(.repeatedCharacter), "\(password)")
    }

    @Test func lengthCountsUnicodeScalarsAfterTrimming() {
        #expect(PasswordPolicy.problems("   ngắn-quá  ", username: "x") == [.tooShort(minimum: 10)])
        #expect(PasswordPolicy.problems("          ", username: "x") == [.onlyWhitespace])
        #expect(PasswordPolicy.problems("", username: "x") == [.onlyWhitespace])
        #expect(PasswordPolicy.problems("Sông Hồng chảy", username: "x").isEmpty)
        // "ắ" as one precomposed scalar or as a + two combining marks: length in scalars.
        #expect(PasswordPolicy.problems("tr\u{1EAF}ng-9xk", username: "x") == [.tooShort(minimum: 10)])
    }

    @Test func theUsernameAndFullNameMayNotBeInside() {
        #expect(PasswordPolicy.problems("baocao.snv-2026!", username: "baocao.snv").contains(.containsUsername))
        #expect(PasswordPolicy.problems("xx-BAOCAO.SNV-xx", username: "baocao.snv").contains(.containsUsername))
        #expect(PasswordPolicy.problems("nguyenvana@So9", username: "baocao", fullName: "Nguyễn Văn A").contains(.containsFullName))
        #expect(PasswordPolicy.problems("Nguyễn Văn A 2026", username: "baocao", fullName: "Nguyễn Văn A").contains(.containsFullName))
        #expect(PasswordPolicy.problems("Dưa hấu mùa hè 7", username: "baocao", fullName: "Nguyễn Văn A").isEmpty)
    }

    @Test func messagesAreVietnamese() {
        let problems = PasswordPolicy.problems("matkhau123", username: "matkhau")
        #expect(problems.contains(.containsUsername))
        #expect(problems.map(\.messageVI).contains("Mật khẩu không được chứa tên đăng nhập."))
        #expect(PasswordPolicy.Problem.tooShort(minimum: 10).messageVI.contains("ít nhất 10 ký tự"))
    }

    @Test func theListIsSubstantialAndGeneratedPasswordsPass() {
        #expect(PasswordPolicy.commonPasswords.count >= 200)
        for _ in 0..<200 { #expect(PasswordPolicy.problems(PasswordPolicy.generate(), username: "admin").isEmpty) }
    }
}
