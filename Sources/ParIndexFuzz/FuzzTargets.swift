import Foundation
import ParIndexCore

/// The readers that take a user's file (issue #20). Each feeds the bytes to its reader the
/// way the server does; any error thrown is a clean refusal, only a trap or a sanitizer
/// report is a finding.
enum FuzzTarget: String, CaseIterable {
    /// XLSX reader, then every sheet through the ballot import, the XLSForm reader and the
    /// periodic-report imports (a filled form in its own layout, DHIS2 data values).
    case xlsx
    /// `CSVTable` and the unit import plan built on it.
    case csv
    /// The byte-level ballot CSV scanner (`BallotImport.parseCSV`) against the SIPAS template.
    case ballotcsv
    /// Framework YAML reader and validator; report form files and outlines.
    case yaml
    /// Formula parser and evaluator.
    case formula

    static let ballotContext: BallotImportContext = {
        let q = QuestionnaireTemplates.sipas()
        return BallotImportContext(questionnaire: q, groupCodes: ["CD", "DN"], unitCodes: ["SNV", "STC", "UBND-01"],
                                   existingKeys: ["1"])
    }()

    /// The TTHC results form (form 06), read from the repository's `Forms/` (the harness runs
    /// from the repository's root); nil elsewhere, and the report imports are skipped.
    static let reportForm: CompiledForm? = {
        guard let text = try? String(contentsOfFile: "Forms/tthc-ket-qua-giai-quyet.yaml", encoding: .utf8),
              let form = try? ReportFormYAML.load(text) else { return nil }
        return try? CompiledForm(form)
    }()

    func run(_ data: Data) {
        switch self {
        case .xlsx:
            guard let reader = try? XLSXReader(data) else { return }
            var sheets: [String: [[String]]] = [:]
            for name in reader.sheetNames {
                guard let rows = try? reader.rows(of: name) else { continue }
                sheets[name.lowercased()] = rows.map(\.cells)
                _ = BallotImport.parseRows(rows, context: Self.ballotContext)
                if let form = Self.reportForm {
                    _ = try? FilledFormImport.parse(rows: rows, form: form, unitName: "Sở Nội vụ", periodLabel: "Năm 2023")
                    _ = try? DataValueImport.parse(rows: rows, context: DataValueImportContext(form: form, units: ["SNV"], periods: ["2023"]))
                }
            }
            if let survey = sheets["survey"], let choices = sheets["choices"] {
                if let q = try? XLSForm.read(XLSFormSheets(survey: survey, choices: choices, settings: sheets["settings"] ?? [])) {
                    _ = try? q.validate()
                }
            }
        case .csv:
            guard let table = try? CSVTable.read(data) else { return }
            _ = UnitImportPlan.plan(table, existing: [.init(code: "SNV", kind: .department, parentCode: nil)])
        case .ballotcsv:
            _ = try? BallotImport.parseCSV(data, context: Self.ballotContext)
        case .yaml:
            let text = String(decoding: data, as: UTF8.self)
            if let read = try? FrameworkYAMLReader.read(text) {
                _ = FrameworkValidator.validate(read.0, sourceMap: read.1)
            }
            if let form = try? ReportFormYAML.load(text) { _ = try? CompiledForm(form) }
            _ = try? ReportOutlineText.parse(text, knownForms: ["tthc-ket-qua-giai-quyet"])
        case .formula:
            let text = String(decoding: data, as: UTF8.self)
            guard let f = try? Formula(text, inputs: [FormulaInput(name: "a", label: "A"), FormulaInput(name: "b", label: "B"),
                                                       FormulaInput(name: "received", label: "Tiếp nhận")]) else { return }
            for slots in [[0.0, 0, 0], [1, 2, 3], [-1e308, 1e308, .nan], [.infinity, 0, -0.0]] {
                _ = try? f.evaluate(slots: slots)
            }
        }
    }
}
