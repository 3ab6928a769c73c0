import Foundation

/// Finds the first byte that makes a buffer invalid UTF-8, without building a String:
/// ballot files run to tens of megabytes and are almost all ASCII, so eight bytes are
/// checked at a time until a non-ASCII byte shows up.
enum UTF8Check {
    /// Offset of the first invalid byte, or nil when `bytes` is valid UTF-8
    /// (overlong forms, surrogates and code points above U+10FFFF are invalid).
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let n = bytes.count
        var i = 0
        while i < n {
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < n else { return nil }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            func cont(_ k: Int) -> Bool { i + k < n && base[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard cont(1) else { return i }
                i += 2
            case 0xE0...0xEF:
                guard cont(1), cont(2) else { return i }
                let b1 = base[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return i }   // overlong
                if b0 == 0xED && b1 > 0x9F { return i }   // surrogate
                i += 3
            case 0xF0...0xF4:
                guard cont(1), cont(2), cont(3) else { return i }
                let b1 = base[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return i }   // overlong
                if b0 == 0xF4 && b1 > 0x8F { return i }   // above U+10FFFF
                i += 4
            default:
                return i
            }
        }
        return nil
    }
}
