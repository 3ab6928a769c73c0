import Foundation
import ParIndexCore
import Vapor

struct ReportFormSummaryDTO: Content {
    var code: String
    var version: String
    var title: String
    var legalBasis: String
    var columns: Int
    var rules: Int
    var shipped: Bool
}

struct RegimeInput: Content {
    var code: String
    var name: String
    var content: String?
    var ownerUnitCode: String
    var receivingUnitCode: String?
    /// Unit kinds that report (`commune`, `district`, `department`), or…
    var unitKinds: [String]?
    /// …the units that report, by code.
    var unitCodes: [String]?
    var formCodes: [String]
    var frequencies: [String]?
    /// `15-14` (default), `calendar`, `day:10`.
    var cutOff: String?
    /// `day:20` (default: the 20th of the period's last month), `workdays:5`.
    var deadlineRule: String?
    /// The outline as text, one section per line (`mã | tên mục | biểu mẫu, …`, two spaces
    /// of indent per level); empty or absent: the seven PAR areas.
    var outline: String?
}

struct FormRefDTO: Content {
    var code: String
    var title: String
}

/// A new outline for the periods opened from now on (`outline` as in ``RegimeInput``; empty
/// restores the seven PAR areas).
struct OutlineInput: Content {
    var outline: String
}

/// One section of an outline in reading order, numbered as printed (`I.`, `1.`, `a)`).
struct OutlineSectionDTO: Content {
    var code: String
    var number: String
    var title: String
    var depth: Int
    var forms: [String]

    static func list(_ o: ReportOutline) -> [OutlineSectionDTO] {
        o.flattened.map { OutlineSectionDTO(code: $0.section.code, number: $0.number, title: $0.section.title, depth: $0.depth, forms: $0.section.formCodes) }
    }
}

struct RegimeDTO: Content {
    var id: UUID
    var code: String
    var name: String
    var content: String
    var ownerUnitCode: String
    var ownerUnitName: String
    var receivingUnitName: String
    var reportingUnits: String
    var forms: [String]
    /// The same forms with their titles, for pages (codes are for files and the API).
    var formList: [FormRefDTO]
    var frequencies: [String]
    var cutOff: String
    var deadlineRule: String
    /// The outline the next periods are opened with, and the same as text for editing.
    var outline: [OutlineSectionDTO]
    var outlineText: String
    var periods: [PeriodDTO]?
}

/// A period to open: generated from a frequency and a year with the regime's preset
/// (15th → 14th, due the 20th of the last month), or given explicitly (`startsOn`, `endsOn`,
/// `deadline` as dd/mm/yyyy; seed 002's window is 10/12/2022 → 01/06/2023).
struct PeriodInput: Content {
    var frequency: String?
    var year: Int?
    /// Which period of the year (1-based: quarter 1–4, month 1–12); the only one otherwise.
    var index: Int?
    var code: String?
    var label: String?
    var startsOn: String?
    var endsOn: String?
    var deadline: String?
}

struct PeriodDTO: Content {
    var id: UUID
    var code: String
    var label: String
    var frequency: String
    var window: String
    var deadline: String
    var completeness: CompletenessDTO?
}

struct CompletenessDTO: Content {
    var expected: Int
    var submitted: Int
    var onTime: Int
    var late: Int
    var missing: Int
    var reportingRate: String
    var onTimeRate: String
    var missingUnits: [String]
    var lateUnits: [String]
}

struct SubmissionSummaryDTO: Content {
    var id: UUID
    var unitCode: String
    var unitName: String
    var state: String
    var stateLabel: String
    var submittedAt: String?
    var late: Bool
    var violations: Int
    var deadline: String
}

struct PeriodDetailDTO: Content {
    var period: PeriodDTO
    var regime: RegimeDTO
    var submissions: [SubmissionSummaryDTO]
}

struct CellDTO: Content {
    var key: String
    var column: String
    var display: String
    /// The raw value for the input (`2363`, `82,4`), empty when missing.
    var input: String
    var entered: Bool
    var computed: Bool
    var flagged: Bool
}

struct FormRowDTO: Content {
    var code: String
    var label: String
    var isTotal: Bool
    var cells: [CellDTO]
}

struct FormColumnDTO: Content {
    var code: String
    var number: Int
    var label: String
    var group: String?
    var type: String
}

struct ViolationDTO: Content {
    var key: String
    var kind: String
    var importance: String
    var importanceLabel: String
    var message: String
    var figures: String
    var cells: [String]
    var blocks: Bool
    var explanation: String?
}

struct FormSheetDTO: Content {
    var code: String
    var title: String
    var legalBasis: String
    var columns: [FormColumnDTO]
    var rows: [FormRowDTO]
    var stated: [StatedDTO]
    var violations: [ViolationDTO]
}

struct StatedDTO: Content {
    var key: String
    var label: String
    var value: String
}

struct NarrativeSectionDTO: Content {
    var code: String
    /// `2. Cải cách thể chế`.
    var title: String
    /// The headings above this section that the page has not shown yet (`I. Kết quả …`).
    var headings: [String]
    var text: String
    /// The same section of the unit's previous report, offered as the starting text.
    var previous: String?
}

/// A periodic report that needs this person now: to enter and submit, or to decide on.
struct ReportTodoDTO: Content {
    var title: String
    var detail: String
    var link: String
    var overdue: Bool
}

struct SubmissionDTO: Content {
    var id: UUID
    var version: Int
    var regimeName: String
    var periodLabel: String
    var window: String
    var deadline: String
    var unitCode: String
    var unitName: String
    var state: String
    var stateLabel: String
    var lock: String?
    var returnReason: String?
    var forms: [FormSheetDTO]
    var narrative: [NarrativeSectionDTO]
    var blocking: Int
    var warnings: Int
    /// The first form's headline figure (its total row, first entered column) over the unit's
    /// periods of the same frequency.
    var series: SeriesDTO?
}

struct SeriesDTO: Content {
    var title: String
    var points: [SeriesPointDTO]
}

struct SeriesPointDTO: Content {
    var period: String
    var value: Double
    var display: String
}

/// A save of a submission: values by form and cell (`"tong/c3": "2.363"`; empty clears),
/// figures the narrative states (`"tong/moi_trong_ky": "578"`), explanations by violation
/// key, narrative by section. Anything absent is kept.
struct SubmissionInput: Content {
    var version: Int?
    var values: [String: [String: String]]?
    var stated: [String: [String: String]]?
    var explanations: [String: String]?
    var narrative: [String: String]?
}

/// The live check of typed input: each form as it would be, and the input's own problems.
struct SubmissionCheckDTO: Content {
    var forms: [FormSheetDTO]
    var blocking: Int
    var warnings: Int
    var problems: [AppError.FieldProblem]
}

/// What importing a filled form did (or, in a dry run, would do): the values the file holds,
/// how many cells change, and the report after the import.
struct FilledFormImportDTO: Content {
    var dryRun: Bool
    var form: String
    var values: Int
    var changed: Int
    var submission: SubmissionDTO?
}

struct SubmissionActionInput: Content {
    var action: String
    var reason: String?
    var version: Int?
}

struct ExtensionInput: Content {
    var until: String
    var reason: String?
}

struct RollUpCellDTO: Content {
    var display: String
    var contributors: Int
    /// The figure as a number (a rate in percent, unrounded), absent when there is none: the
    /// roll-up's XLSX writes numbers, not their display.
    var value: Double?
}

struct RollUpRowDTO: Content {
    /// The unit's own report of the period (drill-down), when it has one.
    var submissionId: UUID?
    var unitCode: String
    var unitName: String
    var depth: Int
    var cells: [RollUpCellDTO]
    var lastYear: [String]?
    /// `lastYear` as numbers (nil where a figure is missing).
    var lastYearValues: [Double?]?
}

struct RollUpDTO: Content {
    var periodLabel: String
    var form: String
    var formTitle: String
    var columns: [FormColumnDTO]
    var row: String
    var units: [RollUpRowDTO]
    var rule: String
}
