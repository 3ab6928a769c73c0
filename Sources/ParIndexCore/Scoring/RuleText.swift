import Foundation

/// Vietnamese rule texts shown to units next to each criterion, in the wording
/// of real frameworks ("Có ban hành: điểm tối đa; Không: 0").
extension ScoringMethod {
    public var nameVI: String {
        switch self {
        case .yesNo: "Có / Không"
        case .levels: "Chọn mức"
        case .ratio: "Tỷ lệ × điểm tối đa"
        case .ratioBands: "Tỷ lệ theo ngưỡng"
        case .normalizedRatio: "Tỷ lệ chuẩn hóa"
        case .occurrences(let r): r.mode == .deduct ? "Trừ điểm theo số lần" : "Cộng điểm theo số lần"
        case .manual: "Chấm điểm trực tiếp"
        case .survey: "Điều tra xã hội học"
        case .formula: "Công thức"
        }
    }

    public func ruleTextVI(maxPoints max: Double) -> String {
        let m = viNumber(max)
        switch self {
        case .yesNo:
            return "Có: \(m) điểm; Không: 0 điểm."
        case .levels(let levels):
            return levels.map { "\($0.label): \(viNumber($0.points)) điểm" }.joined(separator: "; ") + "."
        case .ratio(let zero):
            return "Điểm = (tử số ÷ mẫu số) × \(m); tỷ lệ trên 100% tính \(m) điểm. \(zero.textVI(max: max))"
        case .ratioBands(let bands, let zero):
            return Self.bandsText(bands) + " \(zero.textVI(max: max))"
        case .normalizedRatio:
            return "Điểm = (giá trị của đơn vị ÷ giá trị cao nhất trong các đơn vị được đánh giá) × \(m); "
                + "nếu giá trị cao nhất bằng 0 thì các đơn vị đều được 0 điểm."
        case .occurrences(let r):
            let cap = viNumber(r.cap ?? max)
            return r.mode == .deduct
                ? "Điểm tối đa \(m); mỗi trường hợp trừ \(viNumber(r.pointsPerOccurrence)) điểm, trừ tối đa \(cap) điểm, không thấp hơn 0."
                : "Mỗi trường hợp cộng \(viNumber(r.pointsPerOccurrence)) điểm, tối đa \(cap) điểm."
        case .manual(let step):
            return "Chấm từ 0 đến \(m) điểm, theo bước \(viNumber(step)) điểm."
        case .survey:
            return "Điểm lấy từ kết quả điều tra xã hội học (tối đa \(m) điểm); đơn vị không tự chấm."
        case .formula(let f):
            let inputs = f.inputs.map { "\($0.name) = \($0.label)" }.joined(separator: "; ")
            return "Điểm = \(f.source), tối đa \(m) điểm, không âm. Trong đó: \(inputs)."
        }
    }

    private static func bandsText(_ bands: [RatioBand]) -> String {
        let sorted = bands.sorted { $0.minPercent > $1.minPercent }
        var parts: [String] = []
        for (i, band) in sorted.enumerated() {
            let from = viNumber(band.minPercent)
            let range = i == 0 ? "từ \(from)% trở lên" : "từ \(from)% đến dưới \(viNumber(sorted[i - 1].minPercent))%"
            parts.append("Đạt \(range): \(viNumber(band.points)) điểm")
        }
        if let lowest = sorted.last, lowest.minPercent > 0 { parts.append("Dưới \(viNumber(lowest.minPercent))%: 0 điểm") }
        return parts.joined(separator: "; ") + "."
    }
}

extension ZeroDenominatorRule {
    func textVI(max: Double) -> String {
        switch self {
        case .fullPoints: "Không phát sinh (mẫu số bằng 0): \(viNumber(max)) điểm."
        case .zeroPoints: "Không phát sinh (mẫu số bằng 0): 0 điểm."
        case .notApplicable: "Không phát sinh (mẫu số bằng 0): không áp dụng."
        }
    }
}

extension AppliedRule {
    /// What applied, e.g. "Tỷ lệ 85,5% (từ 80% trở lên): 0,5 điểm".
    public func textVI(points: Double) -> String {
        let p = viNumber(points)
        switch self {
        case .notApplicable: return "Không áp dụng đối với đơn vị."
        case .missing: return "Chưa có dữ liệu: 0 điểm."
        case .invalid: return "Dữ liệu không hợp lệ: 0 điểm."
        case .yes: return "Có: \(p) điểm."
        case .no: return "Không: 0 điểm."
        case .level(let l): return "Mức \"\(l.label)\": \(p) điểm."
        case .ratio(let r): return "Tỷ lệ \(viNumber(r * 100))%: \(p) điểm."
        case .zeroDenominator: return "Không phát sinh (mẫu số bằng 0): \(p) điểm."
        case .band(let band, let r):
            guard let band else { return "Tỷ lệ \(viNumber(r * 100))%, dưới mọi ngưỡng: 0 điểm." }
            return "Tỷ lệ \(viNumber(r * 100))% (từ \(viNumber(band.minPercent))% trở lên): \(p) điểm."
        case .normalized(let v, let best):
            return best > 0
                ? "Giá trị \(viNumber(v)) ÷ giá trị cao nhất \(viNumber(best)): \(p) điểm."
                : "Giá trị cao nhất trong các đơn vị bằng 0: \(p) điểm."
        case .occurrences(let c, let amount): return "\(c) trường hợp, tính \(viNumber(amount)) điểm: \(p) điểm."
        case .points(let v): return v == points ? "Điểm nhập: \(p) điểm." : "Điểm nhập \(viNumber(v)), giới hạn còn \(p) điểm."
        case .formula(let v): return v == points ? "Công thức cho \(p) điểm." : "Công thức cho \(viNumber(v)), giới hạn còn \(p) điểm."
        }
    }
}

/// Vietnamese notation for points and percentages in rule texts (two decimals, trimmed).
func viNumber(_ value: Double) -> String { VietnameseNumber.format(value) }
