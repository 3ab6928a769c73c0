import Foundation
import ParIndexCore

/// The readers that take a user's file (issue #20). Each feeds the bytes to its reader the
/// way the server does; any error thrown is a clean refusal, only a trap or a sanitizer
/// report is a finding.
enum FuzzTarget: String, CaseIterable {
    /// XLSX reader, then every sheet through the ballot import and the XLSForm reader.
    case xlsx
    /// `CSVTable` and the unit import plan built on it.
    case csv
    /// The byte-level ballot CSV scanner (`BallotImport.parseCSV`) against the SIPAS template.
    case ballotcsv
    /// Framework YAML reader and validator.
    case yaml
    /// Formula parser and evaluator.
    case formula

    static let ballotContext: BallotImportContext = {
        let q = QuestionnaireTemplates.sipas()
        return BallotImportContext(questionnaire: q, groupCodes: ["CD", "DN"], unitCodes: ["SNV", "STC", "UBND-01"],
                                   existingKeys: ["1"])
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
