import Foundation

/// Finds a code (option, unit, group) from the raw UTF-8 bytes of a cell without building a
/// String: ballot import looks up 25 million cells per million ballots.
///
/// One-byte codes (the usual `1`…`5`) use a direct 256-entry table; longer codes an
/// open-addressing hash table. ASCII case is ignored when no two codes differ only by case,
/// because keyers type `snv` for `SNV`.
struct ByteCodeTable: Sendable {
    let codes: [String]
    private let bytes: [UInt8]
    private let starts: [Int]
    private let direct: [Int32]
    private let slots: [Int32]
    private let mask: Int
    private let foldsCase: Bool

    init(_ codes: [String]) {
        self.codes = codes
        let folded = codes.map { Self.foldASCII(Array($0.utf8)) }
        foldsCase = Set(folded).count == Set(codes).count
        var bytes: [UInt8] = []
        var starts = [0]
        var direct = [Int32](repeating: -1, count: 256)
        var capacity = 8
        while capacity < codes.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (i, code) in codes.enumerated() {
            let key = foldsCase ? folded[i] : Array(code.utf8)
            bytes += key
            starts.append(bytes.count)
            if key.count == 1 {
                if direct[Int(key[0])] < 0 { direct[Int(key[0])] = Int32(i) }
                continue
            }
            var slot = Self.hash(key) & mask
            var duplicate = false
            while slots[slot] >= 0 {
                let j = Int(slots[slot])
                if Array(bytes[starts[j]..<starts[j + 1]]) == key { duplicate = true; break }
                slot = (slot + 1) & mask
            }
            // The first of two equal codes wins, as it would in a dictionary built in order.
            if !duplicate { slots[slot] = Int32(i) }
        }
        self.bytes = bytes
        self.starts = starts
        self.direct = direct
        self.slots = slots
        self.mask = mask
    }

    var count: Int { codes.count }

    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        if key.count == 1 {
            var b = key[0]
            if foldsCase && b &- 65 < 26 { b |= 0x20 }
            let i = direct[Int(b)]
            return i < 0 ? nil : Int(i)
        }
        if key.isEmpty { return nil }
        var slot = Self.hash(key, fold: foldsCase) & mask
        return bytes.withUnsafeBufferPointer { stored in
            while true {
                let i = Int(slots[slot])
                if i < 0 { return nil }
                let s = starts[i], e = starts[i + 1]
                if e - s == key.count {
                    var equal = true
                    for k in 0..<key.count {
                        var b = key[k]
                        if foldsCase && b &- 65 < 26 { b |= 0x20 }
                        if stored[s + k] != b { equal = false; break }
                    }
                    if equal { return i }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private static func foldASCII(_ b: [UInt8]) -> [UInt8] { b.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 } }

    /// FNV-1a: short keys, no need for a keyed hash (codes come from the campaign, not the file).
    private static func hash<C: Collection<UInt8>>(_ key: C, fold: Bool = false) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for var b in key {
            if fold && b &- 65 < 26 { b |= 0x20 }
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
