import Fluent
import Foundation
import ParIndexCore
import Vapor

/// What the files of issue #14 item 6 are made from, with the same access checks as the pages
/// they come from: a submission's reader for its form and document, the regime owner's staff
/// for the roll-up and the data values.
extension ReportingService {
    struct SubmissionFiles {
        var paper: ReportPaper
        var submission: SubmissionDTO
        var forms: [FilledForm]
        /// The outline of the report's period (as it was when the period opened).
        var outline: ReportOutline
    }

    /// A submission's paper, its DTO (narrative, violations with explanations) and its forms evaluated.
    func submissionFiles(_ id: UUID) async throws -> SubmissionFiles {
        let s = try await submissionModel(id)
        let regime = s.period.regime
        try await requireRead(s, regime: regime)
        let dto = try await dto(s)
        let forms = try await evaluate(s, period: s.period).map { FilledForm(form: $0.form, grid: $0.evaluation.grid) }
        let chain = try await UnitTree.ancestors(of: s.$unit.id, on: db)
        let parent = try await chain.first.asyncMap { try await UnitModel.find($0, on: db) }
        let root = try await chain.last.asyncMap { try await UnitModel.find($0, on: db) } ?? s.unit
        // The seat of a committee is its own area; an agency's is its province's.
        let seat = [UnitKind.district, .commune].contains(s.unit.unitKind) || chain.isEmpty ? s.unit : root
        let period = try s.period.period()
        let paper = ReportPaper(unitName: s.unit.name, unitCode: s.unit.code, unitKind: s.unit.unitKind, parentName: parent?.name,
                                parentKind: parent?.unitKind, receivingUnitName: regime.receivingUnit.name, regimeName: regime.name,
                                periodCode: s.period.code, periodLabel: s.period.label, window: period.windowVI,
                                place: ReportPaper.place(of: seat.name, shortName: seat.shortName),
                                date: s.submittedAt ?? context.clock.now())
        return SubmissionFiles(paper: paper, submission: dto, forms: forms, outline: s.period.outline)
    }

    /// A period's stored values of one form as DHIS2-shaped CSV: the regime owner's staff
    /// only, like the roll-up (the file names every unit's figures).
    func dataValuesCSV(_ periodID: UUID, form code: String) async throws -> (data: Data, periodCode: String) {
        let p = try await periodModel(periodID)
        try await context.requirePermission(.reportsRead, onOwner: p.regime.$ownerUnit.id, what: "Số liệu của chế độ báo cáo “\(p.regime.name)”")
        guard p.regime.forms.contains(code) else { throw AppError.notFound(entity: "biểu mẫu “\(code)” của chế độ báo cáo") }
        let form = try ReportFormCatalog.compiled(try await ReportFormCatalog.form(code, on: db))
        let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == periodID).with(\.$unit).all()
        let data = DataValueExport.csv(form: form, period: p.code, submissions: subs.map {
            DataValueExport.Submission(unitCode: $0.unit.code, values: $0.values[code] ?? [:])
        })
        return (data, p.code)
    }
}
