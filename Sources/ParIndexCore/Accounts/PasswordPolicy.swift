import Foundation

/// Password rules, one place for forms, API and CLI (change, admin reset with a chosen
/// password, user creation). Issue #20: the old rule (10 characters, not the username)
/// accepted `1234567890`, `password123` and `matkhau123`, the first guesses of any attacker.
public enum PasswordPolicy {
    public static let minimumLength = 10

    /// One reason a password is refused; `messageVI` is shown under the field.
    public enum Problem: Equatable, Sendable {
        case tooShort(minimum: Int)
        case onlyWhitespace
        case repeatedCharacter
        case sequence
        case containsUsername
        case containsFullName
        case common

        public var messageVI: String {
            switch self {
            case let .tooShort(m): "Mật khẩu phải có ít nhất \(m) ký tự (không tính khoảng trắng ở đầu và cuối)."
            case .onlyWhitespace: "Mật khẩu không được chỉ gồm khoảng trắng."
            case .repeatedCharacter: "Mật khẩu không được chỉ lặp lại một ký tự."
            case .sequence: "Mật khẩu không được là một dãy chữ số hoặc chữ cái liên tiếp (như 1234567890, abcdefghij)."
            case .containsUsername: "Mật khẩu không được chứa tên đăng nhập."
            case .containsFullName: "Mật khẩu không được chứa họ và tên."
            case .common: "Mật khẩu này quá phổ biến (nằm trong danh sách mật khẩu hay bị dò), vui lòng chọn mật khẩu khác."
            }
        }
    }

    /// Every rule `password` breaks; empty when it is acceptable.
    public static func problems(_ password: String, username: String, fullName: String? = nil) -> [Problem] {
        let trimmed = password.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [.onlyWhitespace] }
        var p: [Problem] = []
        if trimmed.unicodeScalars.count < minimumLength { p.append(.tooShort(minimum: minimumLength)) }
        let folded = fold(trimmed)
        if Set(folded).count == 1 { p.append(.repeatedCharacter) }
        else if isSequence(folded) { p.append(.sequence) }
        let user = fold(username)
        if user.count >= 3, folded.contains(user) { p.append(.containsUsername) }
        if let fullName {
            let name = fold(fullName).filter { !$0.isWhitespace }
            if name.count >= 3, folded.filter({ !$0.isWhitespace }).contains(name) { p.append(.containsFullName) }
        }
        if commonSet.contains(folded) { p.append(.common) }
        return p
    }

    /// A readable random password for bootstrap and admin resets (never one the policy refuses).
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        while true {
            let candidate = String((0..<14).map { _ in alphabet.randomElement(using: &rng)! })
            if problems(candidate, username: "").isEmpty { return candidate }
        }
    }

    /// Lower case without Vietnamese diacritics (`đ` → `d`), so `MậtKhẩu123` matches `matkhau123`.
    static func fold(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "đ", with: "d").lowercased()
    }

    /// Each character is the next (or each the previous) of the one before: `1234567890`
    /// (the keyboard's row, 0 after 9), `0987654321`, `abcdefghij`, `zyxwvutsrq`.
    static func isSequence(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard scalars.count >= 3 else { return false }
        let digits = scalars.allSatisfy { ("0"..."9").contains($0) }
        let letters = scalars.allSatisfy { ("a"..."z").contains($0) }
        guard digits || letters else { return false }
        let steps = zip(scalars, scalars.dropFirst()).map { pair -> Int in
            let d = Int(pair.1.value) - Int(pair.0.value)
            return digits ? (d + 10) % 10 : d
        }
        if digits { return steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == 9 } }
        return steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == -1 }
    }

    static let commonSet: Set<String> = Set(commonPasswords.map(fold))

    /// The most guessed passwords of at least 8 characters in public leak lists, plus the
    /// Vietnamese ones (`matkhau`, `anhyeuem`, office and place names) seen in local leaks.
    public static let commonPasswords: [String] = [
        "password", "password1", "password12", "password123", "password1234", "password12345", "passw0rd", "passw0rd123",
        "p@ssw0rd", "p@ssw0rd123", "p@ssword123", "password@123", "password1!", "passwordpassword", "pass123456",
        "pass12345678", "12345678", "123456789", "1234567890", "12345678910", "1234567891", "12345678901",
        "123456789123", "1234512345", "0123456789", "0987654321", "9876543210", "0000000001", "0123456789a",
        "123456789a", "1234567890a", "a123456789", "a1234567890", "123456789q", "12345678a", "12345678aa",
        "12345678aA", "12345678@", "123456789@", "1234567890@", "123456aA@", "aa12345678", "aa123456789",
        "aa@123456", "abc1234567", "abc123456789", "abc123abc123", "abcabc123123", "abcd123456", "abcd@1234",
        "abc@123456", "abcdef1234", "a1b2c3d4e5", "qwertyuiop", "qwertyuiop123", "qwerty123", "qwerty1234",
        "qwerty12345", "qwerty123456", "qwerty123!", "qwerty@123", "qwertyqwerty", "qwerqwerqwer", "qwert12345",
        "12345qwert", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4t5", "1qaz2wsx",
        "1qaz2wsx3edc", "1qazxsw23edc", "!qaz2wsx", "zaq12wsxcde3", "qazwsxedc", "qazwsxedc123", "123qweasdzxc",
        "qweasdzxc123", "asdfghjkl", "asdfghjkl1", "asdfghjkl123", "asdfasdfasdf", "zxcvbnm123", "zxcvbnm1234",
        "zxcvbnmasdfghjkl", "1111111111", "1122334455", "11223344556677", "123123123123", "1231231234",
        "147258369", "1472583690", "159357456", "7894561230", "123654789", "9638527410", "987654321",
        "iloveyou", "iloveyou12", "iloveyou123", "iloveyou1234", "princess12", "princess123", "sunshine123",
        "football123", "baseball123", "superman123", "trustno1234", "monkey12345", "dragon12345", "michael123",
        "michael1234", "jennifer123", "charlie123", "freedom123", "computer123", "internet123", "starwars123",
        "whatever123", "welcome123", "welcome1234", "letmein123", "changeme123", "secret1234", "default123",
        "hello12345", "helloworld", "helloworld123", "administrator", "admin12345", "admin123456", "admin@123",
        "admin@12345", "root123456", "test123456", "test12345678", "testtest123", "demo123456", "guest12345",
        "user123456", "oracle12345", "mysql123456", "postgres123", "system1234", "manager123", "master12345",
        "access1234", "shadow12345", "killer12345", "samsung123", "samsung1234", "nokia12345", "iphone12345",
        "google1234", "facebook123", "zalo123456", "minecraft123", "pokemon123", "naruto12345", "liverpool123",
        "chelsea1234", "arsenal1234", "manutd12345", "barcelona123", "realmadrid", "ronaldo123", "messi12345",
        // Vietnamese
        "matkhau", "matkhau1", "matkhau12", "matkhau123", "matkhau1234", "matkhau12345", "matkhau123456",
        "matkhau@123", "matkhaumoi", "matkhaumoi123", "matkhautamthoi", "doimatkhau", "doimatkhau123",
        "anhyeuem", "anhyeuem123", "anhyeuem1234", "emyeuanh", "emyeuanh123", "yeuem123456", "loveyou123",
        "xinchao123", "xinchao12345", "vietnam123", "vietnam1234", "vietnam2024", "vietnam2025", "vietnam2026",
        "vietnam@123", "hanoi12345", "hanoi123456", "saigon12345", "hochiminh123", "danang12345", "haiphong123",
        "haiduong123", "sohoa2024", "chuyendoiso", "chuyendoiso123", "caicachhanhchinh", "caicach123",
        "parindex", "parindex123", "parindex2026", "sonoivu123", "sonoivu@123", "ubnd123456", "ubndtinh123",
        "ubndhuyen123", "ubndxa123456", "congchuc123", "vienchuc123", "canbo123456", "quantri123", "quantri12345",
        "quantrivien", "nguoidung123", "taikhoan123", "dangnhap123", "tamthoi123", "nguyen12345", "nguyenvana",
    ]
}
