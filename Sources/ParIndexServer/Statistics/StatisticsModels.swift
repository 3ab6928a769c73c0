import Fluent
import Foundation
import ParIndexCore

/// A data form (*biểu mẫu*) uploaded by a coordinator, stored whole as its YAML like a
/// framework version (issue #14). The forms shipped in `Forms/` are read from the server's
/// resources and need no row (``ReportFormCatalog``).
final class ReportFormModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    static let schema = "report_forms"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "version") var version: String
    @Field(key: "title") var title: String
    @Field(key: "yaml") var yaml: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// A reporting regime (*chế độ báo cáo*) owned by a unit: who reports what to whom, how often.
package final class ReportRegimeModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "report_regimes"

    @ID(key: .id) package var id: UUID?
    /// The unit that runs the regime (issue #19): managing and approving rights come from roles on it or above.
    @Parent(key: "owner_unit_id") package var ownerUnit: UnitModel
    /// The unit the reports go to (seed 002 and 003: the province's People's Committee through Sở Nội vụ).
    @Parent(key: "receiving_unit_id") package var receivingUnit: UnitModel
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @Field(key: "content") package var content: String
    /// Unit kinds (`commune`, `district`, `department`) that report, as a comma-separated list;
    /// empty when `unit_codes` lists the units.
    @Field(key: "unit_kinds") package var unitKinds: String
    @Field(key: "unit_codes") package var unitCodes: String
    /// Form codes, comma-separated, in outline order.
    @Field(key: "form_codes") package var formCodes: String
    @Field(key: "frequencies") package var frequencies: String
    /// ``CutOffPreset/code`` and ``DeadlineRule/code``: how periods opened by frequency and year get their dates.
    @Field(key: "cut_off") package var cutOff: String
    @Field(key: "deadline_rule") package var deadlineRule: String
    /// The outline's JSON (``ReportOutline``); nil for the shipped outline of the seven PAR areas.
    @OptionalField(key: "outline") package var outlineJSON: String?
    @Field(key: "created_by") package var createdBy: String
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    var forms: [String] { formCodes.split(separator: ",").map(String.init) }
    var cutOffPreset: CutOffPreset { CutOffPreset(code: cutOff) ?? .fifteenthToFourteenth }
    var outline: ReportOutline { ReportOutline.stored(outlineJSON) }
    var deadline: DeadlineRule { DeadlineRule(code: deadlineRule) ?? .dayOfLastMonth(20) }

    var selector: ReportingUnitSelector {
        unitCodes.isEmpty ? .kinds(Set(unitKinds.split(separator: ",").compactMap { UnitKind(rawValue: String($0)) }))
            : .units(unitCodes.split(separator: ",").map(String.init))
    }
}

/// One period of a regime, with its explicit cut-off window and deadline: real windows are
/// irregular (seed 002: 10/12/2022 → 01/06/2023), so every instance stores its own dates.
package final class ReportPeriodModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "report_periods"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "regime_id") package var regime: ReportRegimeModel
    @Field(key: "code") package var code: String
    @Field(key: "label") package var label: String
    @Field(key: "frequency") package var frequency: String
    /// `yyyy-mm-dd` (a calendar day, not an instant: the window is the same on every clock).
    @Field(key: "starts_on") package var startsOn: String
    @Field(key: "ends_on") package var endsOn: String
    @Field(key: "deadline") package var deadline: String
    @Field(key: "opened_by") package var openedBy: String
    @Field(key: "opened_at") package var openedAt: Date
    /// The regime's outline as it was when the period opened: the sections its reports are written under.
    @OptionalField(key: "outline") package var outlineJSON: String?

    package init() {}

    var outline: ReportOutline { ReportOutline.stored(outlineJSON) }

    func period() throws -> ReportPeriod {
        try ReportPeriod(code: code, labelVI: label, start: CalendarDay(iso: startsOn), end: CalendarDay(iso: endsOn),
                         deadline: CalendarDay(iso: deadline))
    }
}

/// One unit's report for one period: its figures per form, the explanations of violations,
/// the narrative per outline section, and where it stands in the approval chain.
package final class ReportSubmissionModel: Model, @unchecked Sendable {
    // @unchecked: see CampaignModel.
    package static let schema = "report_submissions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "period_id") package var period: ReportPeriodModel
    @Field(key: "regime_id") package var regimeID: UUID
    @Parent(key: "unit_id") package var unit: UnitModel
    @Field(key: "state") package var state: String
    @Field(key: "version") package var version: Int
    /// `{form: {"row/column": value}}` with numbers in plain notation (`2363`, `82.4`).
    @Field(key: "values") package var valuesJSON: String
    /// `{form: {"row/stated code": text}}`: figures the narrative states, checked against the data.
    @Field(key: "stated") package var statedJSON: String
    /// `{violation key: text}`.
    @Field(key: "explanations") package var explanationsJSON: String
    /// `{section code: text}`.
    @Field(key: "narrative") package var narrativeJSON: String
    @OptionalField(key: "extended_to") package var extendedTo: String?
    @OptionalField(key: "submitted_at") package var submittedAt: Date?
    @OptionalField(key: "submitted_by") package var submittedBy: String?
    @OptionalField(key: "decided_at") package var decidedAt: Date?
    @OptionalField(key: "decided_by") package var decidedBy: String?
    @OptionalField(key: "return_reason") package var returnReason: String?
    @Field(key: "updated_at") package var updatedAt: Date

    package init() {}

    /// A unit's empty report for a period, as opening the period creates it.
    package static func draft(period: ReportPeriodModel, unit: UUID, at: Date) -> ReportSubmissionModel {
        let s = ReportSubmissionModel()
        s.id = UUID()
        s.$period.id = period.id!
        s.regimeID = period.$regime.id
        s.$unit.id = unit
        s.state = SubmissionState.draft.rawValue
        s.version = 0
        s.values = [:]
        s.stated = [:]
        s.explanations = [:]
        s.narrative = [:]
        s.updatedAt = at
        return s
    }

    package var values: [String: [String: String]] {
        get { Self.decode(valuesJSON) }
        set { valuesJSON = Self.encode(newValue) }
    }

    package var stated: [String: [String: String]] {
        get { Self.decode(statedJSON) }
        set { statedJSON = Self.encode(newValue) }
    }

    package var explanations: [String: String] {
        get { Self.decode(explanationsJSON) }
        set { explanationsJSON = Self.encode(newValue) }
    }

    package var narrative: [String: String] {
        get { Self.decode(narrativeJSON) }
        set { narrativeJSON = Self.encode(newValue) }
    }

    package var submissionState: SubmissionState { SubmissionState(rawValue: state) ?? .draft }

    private static func decode<T: Decodable & ExpressibleByDictionaryLiteral>(_ json: String) -> T {
        (try? JSONDecoder().decode(T.self, from: Data(json.utf8))) ?? [:]
    }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension ReportOutline {
    /// A stored outline, or the shipped one when none was set (or it no longer reads).
    static func stored(_ json: String?) -> ReportOutline {
        json.flatMap { try? JSONDecoder().decode(ReportOutline.self, from: Data($0.utf8)) } ?? ReportFormCatalog.outline
    }

    var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(self)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

extension CalendarDay {
    /// `2023-06-01`.
    var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }

    init(iso: String) throws {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { throw AppError.badRequest("Ngày “\(iso)” không hợp lệ.") }
        self.init(p[0], p[1], p[2])
    }
}
