import Foundation

/// Splits CSV bytes into records without building Strings, following ``CSVTable``'s rules
/// (a quote opens a quoted field only at the start of a field, `""` is a quote inside it,
/// CRLF, LF or CR end a record, a record's line is the line where it starts).
///
/// Unquoted fields are spans of the file itself; quoted fields, rare in ballot files, are
/// copied unescaped into `scratch`, and their span is stored as `~start` to tell them apart.
struct BallotCSVScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    private(set) var position: Int
    private(set) var line = 1
    private(set) var spans: [Int] = []
    private(set) var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.end = end
        position = start
        // Excel with Vietnamese settings writes `;` because `,` is the decimal separator.
        var i = start, semicolon = false, comma = false
        while i < end, base[i] != 0x0A, base[i] != 0x0D {
            if base[i] == 0x3B { semicolon = true } else if base[i] == 0x2C { comma = true }
            i += 1
        }
        delimiter = semicolon && !comma ? 0x3B : 0x2C
        spans.reserveCapacity(64)
    }

    var atEnd: Bool { position >= end }
    var fieldCount: Int { spans.count / 2 }

    /// Reads the next record; returns the line it starts on.
    mutating func nextRecord() throws(CSVTable.ReadError) -> Int {
        spans.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        let recordLine = line
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        while true {
            if position < end && base[position] == quote {
                let start = scratch.count
                position += 1
                while true {
                    guard position < end else { throw .unterminatedQuote(line: recordLine) }
                    let c = base[position]
                    if c == quote {
                        if position + 1 < end && base[position + 1] == quote {
                            scratch.append(quote)
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    if c == lf { line += 1 }
                    scratch.append(c)
                    position += 1
                }
                // Text after the closing quote belongs to the field, as in CSVTable.
                while position < end {
                    let c = base[position]
                    if c == delimiter || c == lf || c == cr { break }
                    scratch.append(c)
                    position += 1
                }
                spans.append(~start)
                spans.append(scratch.count)
            } else {
                let start = position
                while position < end {
                    let c = base[position]
                    if c == delimiter || c == lf || c == cr { break }
                    position += 1
                }
                spans.append(start)
                spans.append(position)
            }
            guard position < end else { return recordLine }
            let c = base[position]
            position += 1
            if c == delimiter { continue }
            if c == cr && position < end && base[position] == lf { position += 1 }
            line += 1
            return recordLine
        }
    }

    /// The current record's fields, valid while the scanner is not advanced.
    func withFields<R>(_ body: (CSVFields) -> R) -> R {
        scratch.withUnsafeBufferPointer { s in
            spans.withUnsafeBufferPointer { sp in
                body(CSVFields(base: base, scratch: s.baseAddress, spans: sp))
            }
        }
    }
}

struct CSVFields: BallotFieldSource {
    let base: UnsafePointer<UInt8>
    let scratch: UnsafePointer<UInt8>?
    let spans: UnsafeBufferPointer<Int>

    var count: Int { spans.count / 2 }

    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let s = spans[2 * i], e = spans[2 * i + 1]
        if s >= 0 { return UnsafeBufferPointer(start: base + s, count: e - s) }
        let start = ~s
        guard e > start, let scratch else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: scratch + start, count: e - start)
    }

    func strings() -> [String] { (0..<count).map { String(decoding: bytes($0), as: UTF8.self) } }
}

/// Cells already split (XLSX rows, the keyed screen), laid out as one UTF-8 buffer.
struct StringFields {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    init(_ cells: [String]) {
        for cell in cells {
            bytes.append(contentsOf: cell.utf8)
            ends.append(bytes.count)
        }
    }

    func withFields<R>(_ body: (StringFieldsView) -> R) -> R {
        bytes.withUnsafeBufferPointer { b in ends.withUnsafeBufferPointer { e in body(StringFieldsView(base: b.baseAddress, ends: e)) } }
    }
}

struct StringFieldsView: BallotFieldSource {
    let base: UnsafePointer<UInt8>?
    let ends: UnsafeBufferPointer<Int>

    var count: Int { ends.count }

    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let s = i == 0 ? 0 : ends[i - 1], e = ends[i]
        guard e > s, let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + s, count: e - s)
    }
}
