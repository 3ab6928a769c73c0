import Foundation

/// Competition ranking ("1, 2, 2, 4") on unrounded values.
public enum Ranking {
    /// Two index percentages closer than this are the same score. It only absorbs
    /// floating-point noise from summing the same points in a different order
    /// (1e-9 of a percentage point); official rankings are on unrounded values,
    /// so two units both displayed as 84,94 % can still rank 4 and 5.
    public static let tieTolerance = 1e-9

    /// Ranks for `values`, higher is better; equal values share the best rank of their group.
    public static func competitionRanks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Int](repeating: 0, count: values.count)
        var groupStart = 0
        for (position, index) in order.enumerated() {
            if position > 0, values[order[groupStart]] - values[index] > tieTolerance {
                groupStart = position
            }
            ranks[index] = groupStart + 1
        }
        return ranks
    }
}
