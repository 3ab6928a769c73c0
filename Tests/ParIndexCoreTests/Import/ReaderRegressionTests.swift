import Foundation
import Testing
@testable import ParIndexCore

/// Every hostile input kept under `Regressions/<reader>/` (issue #20: the probe's files and
/// what `scripts/fuzz` found) goes through its reader as the server feeds it: the answer is a
/// value or a Vietnamese ``DomainError``, never a trap (a trap ends this test process).
@Suite struct ReaderRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")

    static func files(_ reader: String) -> [URL] {
        let dir = root.appendingPathComponent(reader)
        return ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    static let ballots = BallotImportContext(questionnaire: QuestionnaireTemplates.sipas(), groupCodes: ["CD", "DN"],
                                             unitCodes: ["SNV", "STC"])

    /// Feeds one file; returns the domain error, nil for a value, and records any other error.
    static func feed(_ reader: String, _ data: Data) -> (any DomainError)? {
        do {
            switch reader {
            case "xlsx":
                let book = try XLSXReader(data)
                for name in book.sheetNames {
                    let rows = try book.rows(of: name)
                    _ = BallotImport.parseRows(rows, context: ballots)
                }
            case "csv":
                let table = try CSVTable.read(data)
                _ = UnitImportPlan.plan(table, existing: [])
            case "ballotcsv":
                _ = try BallotImport.parseCSV(data, context: ballots)
            case "yaml":
                let (framework, map) = try FrameworkYAMLReader.read(String(decoding: data, as: UTF8.self))
                _ = FrameworkValidator.validate(framework, sourceMap: map)
            case "formula":
                let f = try Formula(String(decoding: data, as: UTF8.self), inputs: [FormulaInput(name: "a", label: "A")])
                _ = try f.evaluate(slots: [1])
            default:
                Issue.record("unknown reader \(reader)")
            }
            return nil
        } catch let e as any DomainError {
            return e
        } catch {
            Issue.record("\(reader): not a domain error: \(error)")
            return nil
        }
    }

    @Test(arguments: ["xlsx", "csv", "ballotcsv", "yaml", "formula"])
    func everyKeptInputIsACleanAnswer(reader: String) throws {
        let files = Self.files(reader)
        #expect(!files.isEmpty)
        for file in files {
            let data = try Data(contentsOf: file)
            let error = Self.feed(reader, data)
            if let error {
                #expect(!error.code.isEmpty && !error.messageVI.isEmpty, "\(file.lastPathComponent)")
            }
        }
    }

    /// The probe's files are refused, not just survived.
    @Test func theProbesFilesAreRefusedWithTheirReason() throws {
        func error(_ reader: String, _ name: String) throws -> String? {
            Self.feed(reader, try Data(contentsOf: Self.root.appendingPathComponent(reader).appendingPathComponent(name)))?.messageVI
        }
        #expect(try error("xlsx", "issue20-zzzz-cell-reference.xlsx")?.contains("“ZZZZZZZZZZZZZZ1” không hợp lệ") == true)
        #expect(try error("xlsx", "negative-shared-string-index.xlsx")?.contains("“-1”") == true)
        #expect(try error("xlsx", "row-number-overflow.xlsx")?.contains("số dòng") == true)
        #expect(try error("xlsx", "wide-rows.xlsx")?.contains("quá nhiều ô") == true)
        #expect(try error("yaml", "deep-flow-100000.yaml")?.contains("lồng nhau quá sâu") == true)
        #expect(try error("yaml", "deep-block-sequence.yaml")?.contains("lồng nhau quá sâu") == true)
        #expect(try error("yaml", "alias-bomb.yaml")?.contains("quá nhiều phần tử") == true)
        #expect(try error("formula", "deep-parens-100000.txt")?.contains("quá phức tạp") == true)
        #expect(try error("csv", "utf16-without-bom.csv")?.contains("UTF-16") == true)
        #expect(try error("ballotcsv", "utf16-without-bom.csv")?.contains("UTF-16") == true)
    }
}
