import Fluent
import Foundation
import ParIndexCore

/// The data forms a regime may use: those shipped in the server's resources (copies of the
/// repository's `Forms/`, a test keeps them identical) and those coordinators uploaded
/// (`report_forms`); an uploaded version of a shipped code supersedes it.
package enum ReportFormCatalog {
    static let bundledFiles = ["tthc-ket-qua-giai-quyet.yaml", "tthc-thuoc-tham-quyen.yaml", "dich-vu-cong-truc-tuyen.yaml",
                               "so-hoa-ho-so.yaml", "phan-anh-kien-nghi.yaml"]
    static let outlineFile = "de-cuong-bao-cao-cchc-dinh-ky.yaml"

    /// Read once; a shipped file that does not validate is a build defect, so it stops the server loudly.
    package static let bundled: [String: ReportForm] = {
        var out: [String: ReportForm] = [:]
        for name in bundledFiles {
            let text = try! String(contentsOfFile: Resources.directory + "Forms/" + name, encoding: .utf8)
            let form = try! ReportFormYAML.load(text)
            out[form.code] = form
        }
        return out
    }()

    /// The PAR report outline shipped with the forms.
    static let outline: ReportOutline = {
        let text = try! String(contentsOfFile: Resources.directory + "Forms/" + outlineFile, encoding: .utf8)
        return (try? ReportOutlineYAML.load(text, knownForms: Set(bundled.keys)).outline) ?? .parDefault
    }()

    /// Every form by code (uploaded versions over shipped ones; the newest upload of a code wins).
    static func all(on db: any Database) async throws -> [String: ReportForm] {
        var out = bundled
        for m in try await ReportFormModel.query(on: db).sort(\.$uploadedAt).all() {
            if let f = try? ReportFormYAML.load(m.yaml) { out[f.code] = f }
        }
        return out
    }

    static func form(_ code: String, on db: any Database) async throws -> ReportForm {
        guard let f = try await all(on: db)[code] else { throw AppError.notFound(entity: "biểu mẫu “\(code)”") }
        return f
    }

    /// Compiled with the form's own rows (per-field forms without a field list report their total row).
    package static func compiled(_ form: ReportForm) throws -> CompiledForm {
        do { return try CompiledForm(form) } catch { throw AppError.badRequest(error.messageVI) }
    }
}
