import Foundation

/// Where a user-supplied `next` may send the browser after login: only a path on this site.
///
/// Issue #20: `next=/%09/evil.example` passed the old check (it starts with one `/`), and
/// browsers strip the tab and read `//evil.example` as another host. Instead of listing the
/// tricks, accept only an allow-list of characters and refuse every encoded character that a
/// browser could turn into a slash, a backslash or a control character.
public enum LocalRedirect {
    /// Characters a local target may contain, before percent-decoding.
    static let allowed: Set<Character> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-_.~?=&%+")

    /// `target` when it is a safe local path, else `fallback`.
    public static func sanitise(_ target: String?, fallback: String = "/") -> String {
        guard let target, isSafe(target) else { return fallback }
        return target
    }

    public static func isSafe(_ target: String) -> Bool {
        guard target.first == "/", target.count <= 2048 else { return false }
        guard target.allSatisfy({ allowed.contains($0) }) else { return false }
        // `//host` is another site; a `//` further on is never one of our paths either, and
        // refusing it keeps `/.//host` and the like out without reasoning about normalisation.
        if target.contains("//") { return false }
        // Every escape must be well formed and must not hide a control character, a slash or
        // a backslash (`%09`, `%2f%2f`, `%5c`), nor a nested escape (`%25`).
        let bytes = Array(target.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else { return false }
                let value = hi << 4 | lo
                if value < 0x20 || value == 0x7F || value == UInt8(ascii: "/") || value == UInt8(ascii: "\\")
                    || value == UInt8(ascii: "%") {
                    return false
                }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
