/// Vietnamese administrative document numbers (Nghị định 30/2020/NĐ-CP): `54/KH-UBND`,
/// `3396/QĐ-UBND`, legal documents with their year `52/2017/QĐ-UBND`, official letters
/// `508/UBND-VP`, joint documents `324/SNV-STC`, and `06/QĐ-TTg`.
public struct DocumentNumber: Sendable, Equatable, CustomStringConvertible {
    public var sequence: Int
    /// The number as written (`02` stays `02`).
    public var sequenceText: String
    public var year: Int?
    /// The part after the number (and year): `KH-UBND`, `UBND-VP`.
    public var symbol: String

    public var description: String {
        sequenceText + (year.map { "/\($0)" } ?? "") + "/" + symbol
    }

    public struct ParseError: DomainError, Equatable {
        public var text: String
        public var code: String { "evidence.document_number" }
        public var messageVI: String {
            "Số văn bản “\(text)” không đúng dạng (ví dụ: 54/KH-UBND, 3396/QĐ-UBND, 52/2017/QĐ-UBND)."
        }
    }

    public static func parse(_ raw: String) throws(ParseError) -> DocumentNumber {
        let text = TextRules.normalise(raw)
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), let seq = Int(parts[0]), seq > 0, parts[0].count <= 6 else {
            throw ParseError(text: raw)
        }
        var year: Int?
        if parts.count == 3 {
            guard let y = Int(parts[1]), (1945...2200).contains(y) else { throw ParseError(text: raw) }
            year = y
        }
        let symbol = parts.last!
        let pieces = symbol.split(separator: "-", omittingEmptySubsequences: false)
        // Each piece is an abbreviation: upper-case letters (Vietnamese included), digits, `&`,
        // and the lower-case letters of a few standard ones (`TTg`, `BNV`…).
        let ok = pieces.count >= 2 && pieces.count <= 4 && pieces.allSatisfy { p in
            // Scalars of the NFC text: a Character may carry any number of combining marks (issue #20).
            !p.isEmpty && p.unicodeScalars.count <= 12 && p.first!.isUppercase
                && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "&" }
        }
        guard ok else { throw ParseError(text: raw) }
        return DocumentNumber(sequence: seq, sequenceText: parts[0], year: year, symbol: symbol)
    }
}

import Foundation
