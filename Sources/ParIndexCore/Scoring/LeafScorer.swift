import Foundation

/// Scores one leaf. Lenient by design: an unusable input yields 0 points (or a
/// value clamped into [0, max]) plus an issue, so results can always be
/// computed and the explanation shows what was wrong. Entry forms use
/// ``LeafScorer/validate(_:maxPoints:allowsNotApplicable:input:)`` to refuse such input up front.
public enum LeafScorer {
    /// - Parameter best: for a normalised ratio, the highest value among the campaign's units.
    public static func score(_ method: ScoringMethod, maxPoints: Double, allowsNotApplicable: Bool,
                             input: LeafInput?, best: Double = 0) -> LeafScore {
        guard let input else { return .invalid(.missingInput) }
        if case .notApplicable = input {
            return allowsNotApplicable ? .notApplicable : .invalid(.notApplicableNotAllowed)
        }
        var result = raw(method, max: maxPoints, input: input, best: best)
        if result.points > maxPoints { result.points = maxPoints }
        if result.points < 0 || result.points.isNaN { result.points = 0 }
        return result
    }

    /// Strict check for an input about to be saved: throws instead of clamping.
    public static func validate(_ method: ScoringMethod, maxPoints: Double, allowsNotApplicable: Bool,
                                input: LeafInput) throws(ScoringError) {
        if case .notApplicable = input {
            if allowsNotApplicable { return }
            throw .notApplicableNotAllowed
        }
        let result = raw(method, max: maxPoints, input: input, best: 1)
        if let issue = result.issue, issue != .missingInput { throw issue }
        if case .manual(let step) = method, case .points(let p) = input, !isMultiple(p, of: step) {
            throw .pointsOffStep(p, step: step)
        }
    }

    private static func raw(_ method: ScoringMethod, max: Double, input: LeafInput, best: Double) -> LeafScore {
        switch method {
        case .yesNo:
            guard case .yesNo(let yes) = input else { return .invalid(.wrongInputKind(method: method.kind)) }
            return yes ? LeafScore(points: max, applied: .yes) : LeafScore(points: 0, applied: .no)
        case .levels(let levels):
            guard case .level(let id) = input else { return .invalid(.wrongInputKind(method: method.kind)) }
            guard let level = levels.first(where: { $0.id == id }) else { return .invalid(.unknownLevel(id)) }
            return LeafScore(points: level.points, applied: .level(level))
        case .ratio(let zero):
            return scoreRatio(input, max: max, zero: zero, kind: method.kind) { ratio in
                LeafScore(points: Swift.min(ratio, 1) * max, applied: .ratio(ratio))
            }
        case .ratioBands(let bands, let zero):
            return scoreRatio(input, max: max, zero: zero, kind: method.kind) { ratio in
                // A plain loop: this runs for every unit, and filter/max would allocate.
                var band: RatioBand?
                for b in bands where ratio * 100 >= b.minPercent && b.minPercent >= (band?.minPercent ?? -.infinity) {
                    band = b
                }
                return LeafScore(points: band?.points ?? 0, applied: .band(band, ratio: ratio))
            }
        case .normalizedRatio:
            return scoreNormalized(input, max: max, best: best)
        case .occurrences(let rule):
            guard case .count(let n) = input else { return .invalid(.wrongInputKind(method: method.kind)) }
            guard n >= 0 else { return .invalid(.negativeValue(Double(n))) }
            let amount = Swift.min(Double(n) * rule.pointsPerOccurrence, rule.cap ?? max, max)
            let points = rule.mode == .deduct ? max - amount : amount
            return LeafScore(points: points, applied: .occurrences(count: n, amount: amount))
        case .manual, .survey:
            guard case .points(let p) = input else { return .invalid(.wrongInputKind(method: method.kind)) }
            guard p.isFinite else { return .invalid(.notFiniteValue) }
            let issue: ScoringError? = (p < 0 || p > max) ? .pointsOutOfRange(p, max: max) : nil
            return LeafScore(points: p, applied: .points(p), issue: issue)
        case .formula(let formula):
            guard case .values(let values) = input else { return .invalid(.wrongInputKind(method: method.kind)) }
            do {
                let v = try formula.evaluate(values)
                return LeafScore(points: v, applied: .formula(v))
            } catch {
                return .invalid(.formula(error))
            }
        }
    }

    private static func scoreRatio(_ input: LeafInput, max: Double, zero: ZeroDenominatorRule, kind: String,
                                   _ body: (Double) -> LeafScore) -> LeafScore {
        guard case .ratio(let n, let d) = input else { return .invalid(.wrongInputKind(method: kind)) }
        guard n.isFinite, d.isFinite else { return .invalid(.notFiniteValue) }
        guard n >= 0 else { return .invalid(.negativeValue(n)) }
        guard d >= 0 else { return .invalid(.negativeValue(d)) }
        guard d > 0 else {
            switch zero {
            case .fullPoints: return LeafScore(points: max, applied: .zeroDenominator(zero))
            case .zeroPoints: return LeafScore(points: 0, applied: .zeroDenominator(zero))
            case .notApplicable: return .notApplicable
            }
        }
        return body(n / d)
    }

    private static func scoreNormalized(_ input: LeafInput, max: Double, best: Double) -> LeafScore {
        guard let value = normalizedValue(input) else { return .invalid(.wrongInputKind(method: "normalized_ratio")) }
        guard value.isFinite else { return .invalid(.notFiniteValue) }
        guard value >= 0 else { return .invalid(.negativeValue(value)) }
        // Best = 0 means no unit achieved anything: nobody earns points, rather than dividing by zero.
        guard best > 0 else { return LeafScore(points: 0, applied: .normalized(value: value, best: best)) }
        return LeafScore(points: Swift.min(value / best, 1) * max, applied: .normalized(value: value, best: best))
    }

    /// The value a unit contributes to a normalised ratio: a raw value, or n ÷ d (0 when d = 0).
    public static func normalizedValue(_ input: LeafInput) -> Double? {
        switch input {
        case .value(let v): v
        case .ratio(let n, let d): d == 0 ? 0 : n / d
        case .count(let c): Double(c)
        default: nil
        }
    }

    static func isMultiple(_ value: Double, of step: Double) -> Bool {
        guard step > 0 else { return true }
        let q = value / step
        return abs(q - q.rounded()) < 1e-9
    }
}
