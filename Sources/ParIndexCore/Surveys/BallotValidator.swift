import Foundation

/// A row of a ballot file seen as raw UTF-8 cells, whether it came from CSV bytes, from
/// XLSX cells or from the keyed screen: one validation for all three.
protocol BallotFieldSource {
    var count: Int { get }
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8>
}

/// A ballot number as a hash key: pure digit strings (almost all) pack into an integer
/// with their length, so `007` and `7` stay different numbers.
enum BallotNumberKey: Hashable {
    case digits(UInt64)
    case text(String)

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) {
        if bytes.count <= 15 {
            var value: UInt64 = 0
            var allDigits = true
            for b in bytes {
                let d = b &- 48
                if d > 9 { allDigits = false; break }
                value = value &* 10 &+ UInt64(d)
            }
            if allDigits { self = .digits(value | UInt64(bytes.count) << 56); return }
        }
        self = .text(text)
    }
}

struct BallotPairKey: Hashable {
    var number: BallotNumberKey
    var unit: Int
}

/// Checks ballot rows one by one, collecting valid ballots and every error.
struct BallotValidator {
    let context: BallotImportContext
    let columns: BallotColumns
    private let questionCount: Int
    private let mode: SurveyTargetMode
    private let groupCodes: [String]
    private let allowedCodes: [String]
    private(set) var ballots: [ParsedBallot] = []
    private(set) var errors: [ImportRowError] = []
    /// True once ``BallotImportContext/errorLimit`` is reached; the caller stops feeding rows.
    private(set) var stopped = false
    private var firstLineOfNumber: [BallotNumberKey: Int] = [:]
    private var groupOfNumber: [BallotNumberKey: (line: Int, group: Int)] = [:]
    private var firstLineOfPair: [BallotPairKey: Int] = [:]

    init(context: BallotImportContext, columns: BallotColumns, expectedRows: Int = 0) {
        self.context = context
        self.columns = columns
        questionCount = context.questionnaire.questions.count
        mode = context.questionnaire.targetMode
        groupCodes = context.sortedGroupCodes
        allowedCodes = context.questionnaire.questions.map { q in
            context.questionnaire.choices(of: q).map(\.code).joined(separator: ", ")
        }
        if expectedRows > 0 {
            ballots.reserveCapacity(expectedRows)
            if mode == .single { firstLineOfNumber.reserveCapacity(expectedRows) }
            else { groupOfNumber.reserveCapacity(expectedRows); firstLineOfPair.reserveCapacity(expectedRows) }
        }
    }

    private mutating func report(_ line: Int, _ field: String?, _ message: String) {
        guard !stopped else { return }
        if errors.count >= context.errorLimit {
            stopped = true
            errors.append(ImportRowError(row: line, messageVI: "Đã dừng kiểm tra sau \(VietnameseNumber.format(context.errorLimit)) lỗi; hãy sửa các lỗi trên rồi nhập lại."))
            return
        }
        errors.append(ImportRowError(row: line, field: field, messageVI: message))
    }

    @inline(__always)
    private static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = b.baseAddress, !b.isEmpty else { return b }
        var s = 0, e = b.count
        while s < e, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
        while e > s, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
        return UnsafeBufferPointer(start: base + s, count: e - s)
    }

    private static func text(_ b: UnsafeBufferPointer<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    /// True when every cell is blank: spreadsheets leave such rows, and they are not ballots.
    static func isBlank<F: BallotFieldSource>(_ f: F) -> Bool {
        for i in 0..<f.count where !trimmed(f.bytes(i)).isEmpty { return false }
        return true
    }

    mutating func check<F: BallotFieldSource>(_ f: F, line: Int) {
        guard f.count == columns.count else {
            report(line, nil, ImportRowError.fieldCount(row: line, has: f.count, needs: columns.count).messageVI)
            return
        }
        let errorsBefore = errors.count
        let numberBytes = Self.trimmed(f.bytes(columns.number))
        let number = Self.text(numberBytes)
        if numberBytes.isEmpty { report(line, columns.names[columns.number], "Thiếu số phiếu.") }

        let groupBytes = Self.trimmed(f.bytes(columns.group))
        let group = context.groups.index(of: groupBytes)
        if group == nil {
            let valid = groupCodes.joined(separator: ", ")
            report(line, columns.names[columns.group], groupBytes.isEmpty
                   ? "Thiếu mã nhóm người trả lời; các mã hợp lệ: \(valid)."
                   : "Nhóm “\(Self.text(groupBytes))” không có trong kế hoạch khảo sát; các mã hợp lệ: \(valid).")
        }

        let unitBytes = Self.trimmed(f.bytes(columns.unit))
        let unit = context.units.index(of: unitBytes)
        if unit == nil {
            report(line, columns.names[columns.unit], unitBytes.isEmpty
                   ? "Thiếu mã đơn vị được đánh giá."
                   : "Mã đơn vị “\(Self.text(unitBytes))” không có trong danh sách đơn vị được đánh giá của đợt khảo sát.")
        }

        var answers = [UInt8](repeating: ParsedBallot.missing, count: questionCount)
        var firstID: Int32 = -1
        var allSame = true
        var answered = 0
        for q in 0..<questionCount {
            let cell = Self.trimmed(f.bytes(columns.questions[q]))
            if cell.isEmpty {
                if context.required[q] {
                    report(line, columns.names[columns.questions[q]], "Thiếu câu trả lời (câu hỏi bắt buộc).")
                }
                continue
            }
            guard let choice = context.choiceTables[q].index(of: cell) else {
                report(line, columns.names[columns.questions[q]],
                       "Mã lựa chọn “\(Self.text(cell))” không hợp lệ; các mã được phép: \(allowedCodes[q]).")
                continue
            }
            answers[q] = UInt8(truncatingIfNeeded: choice)
            let id = context.choiceCodeIDs[q][choice]
            if answered == 0 { firstID = id } else if id != firstID { allSame = false }
            answered += 1
        }

        if !numberBytes.isEmpty {
            checkDuplicates(BallotNumberKey(numberBytes, number), number: number, group: group, unit: unit, line: line)
        }
        guard errors.count == errorsBefore, let group, let unit else { return }
        var flags: BallotFlags = []
        if answered >= 3 && allSame { flags.insert(.straightLined) }
        if !context.existingKeys.isEmpty,
           context.existingKeys.contains(BallotImport.key(number: number, unit: context.unitCodes[unit], mode: mode)) {
            flags.insert(.duplicate)
        }
        ballots.append(ParsedBallot(line: line, number: number, group: groupCodes[group], unit: unit,
                                    answers: answers, flags: flags))
    }

    /// Single mode: a number appears once. Multiple mode: a number rates each unit once
    /// and belongs to one group. The first occurrence stands; later ones are the errors.
    private mutating func checkDuplicates(_ key: BallotNumberKey, number: String, group: Int?, unit: Int?, line: Int) {
        let field = columns.names[columns.number]
        switch mode {
        case .single:
            // One hash per row: the default subscript inserts `line` when the number is new.
            let first = Self.stored(&firstLineOfNumber[key, default: line])
            if first != line { report(line, field, "Số phiếu “\(number)” trùng với phiếu ở dòng \(first).") }
        case .multiple:
            if let group {
                let first = Self.stored(&groupOfNumber[key, default: (line, group)])
                if first.line != line, first.group != group {
                    report(line, columns.names[columns.group],
                           "Phiếu số “\(number)” ở dòng \(first.line) thuộc nhóm “\(groupCodes[first.group])”; một phiếu chỉ thuộc một nhóm.")
                }
            }
            if let unit {
                let first = Self.stored(&firstLineOfPair[BallotPairKey(number: key, unit: unit), default: line])
                if first != line {
                    report(line, field, "Phiếu số “\(number)” đã đánh giá đơn vị “\(context.unitCodes[unit])” ở dòng \(first).")
                }
            }
        }
    }

    @inline(__always) private static func stored<T>(_ value: inout T) -> T { value }

    /// Ends the import; an import with no ballot at all is refused rather than silently empty.
    consuming func finish(headerLine: Int) -> BallotImportResult {
        if ballots.isEmpty && errors.isEmpty {
            errors.append(ImportRowError(row: headerLine, messageVI: "Tệp không có phiếu nào (chỉ có dòng tiêu đề)."))
        }
        return BallotImportResult(ballots: ballots, errors: errors)
    }
}
