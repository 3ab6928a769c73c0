import Foundation

/// How many respondents a survey needs (Yamane: n = N / (1 + N·e²)), the rule the SIPAS
/// method uses with e = 5 %.
public enum SampleSize {
    public static func required(population: Int, margin: Double = 0.05) -> Int {
        guard population > 0 else { return 0 }
        let n = Double(population)
        let exact = n / (1 + n * margin * margin)
        // Binary fractions can leave an exact result a hair above its integer (200.0000000001),
        // which must not round up to 201.
        return min(population, Int((exact - 1e-9).rounded(.up)))
    }
}
