import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, well-mixed generator whose output depends
/// on nothing but its seed. The demo must produce the same province on every machine and
/// every run, which neither `SystemRandomNumberGenerator` nor `Hasher` (seeded per process)
/// can promise.
struct DemoRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Seeds from a label such as `entries/2022/SNV`, so that each unit's data is a function
    /// of its code and year only: adding a unit or reordering the code never changes the others.
    init(_ label: String) {
        // FNV-1a over the UTF-8 bytes: stable across platforms and Swift versions.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = h
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Uniform in the range. Our own arithmetic rather than `Int.random(in:using:)`, whose
    /// algorithm the standard library does not promise to keep.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    /// Fisher–Yates with this generator (for the same reason as `int(in:)`).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(in: 0...i)) }
        return a
    }
}
