import Foundation

/// One expected report of a period, for the completeness table.
public struct ExpectedReport: Sendable, Hashable {
    public var unitCode: String
    public var state: SubmissionState?
    /// When it was (last) submitted; nil if never.
    public var submittedAt: Date?
    public var deadline: UnitDeadline

    public init(unitCode: String, state: SubmissionState?, submittedAt: Date?, deadline: UnitDeadline) {
        self.unitCode = unitCode
        self.state = state
        self.submittedAt = submittedAt
        self.deadline = deadline
    }
}

/// Completeness and timeliness of a period (DHIS2: reporting rate = complete ÷ expected,
/// on-time rate likewise). A returned report counts as not submitted until it comes back.
public struct Completeness: Sendable, Hashable {
    public var expected: Int
    public var submitted: Int
    public var onTime: Int
    public var late: Int
    public var missing: Int
    /// Missing reports whose deadline has passed: the units to remind.
    public var overdueUnits: [String]
    public var missingUnits: [String]
    public var lateUnits: [String]

    public init(_ reports: [ExpectedReport], now: Date) {
        expected = reports.count
        var submitted = 0, onTime = 0, late = 0
        var missingUnits: [String] = [], overdue: [String] = [], lateUnits: [String] = []
        for r in reports {
            let isIn = r.state.map { $0 == .submitted || $0 == .accepted || $0 == .approved } ?? false
            guard isIn, let at = r.submittedAt else {
                missingUnits.append(r.unitCode)
                if r.deadline.isPast(at: now) { overdue.append(r.unitCode) }
                continue
            }
            submitted += 1
            if at < r.deadline.effective.end { onTime += 1 } else { late += 1; lateUnits.append(r.unitCode) }
        }
        self.submitted = submitted
        self.onTime = onTime
        self.late = late
        self.missing = missingUnits.count
        self.missingUnits = missingUnits
        self.overdueUnits = overdue
        self.lateUnits = lateUnits
    }

    public var reportingRate: Double? { expected == 0 ? nil : Double(submitted) / Double(expected) }
    public var onTimeRate: Double? { expected == 0 ? nil : Double(onTime) / Double(expected) }
}
