import Foundation
import Yams

/// A report outline file (`Forms/de-cuong-*.yaml`): nested sections, each with the forms
/// whose tables it carries. Same conventions as form files: every problem with its line.
public enum ReportOutlineYAML {
    public struct File: Sendable, Hashable {
        public var code: String
        public var version: String
        public var title: String
        public var outline: ReportOutline
    }

    /// Reads an outline; `knownForms`, when given, must hold every form a section names.
    public static func load(_ yaml: String, knownForms: Set<String>? = nil) throws(FormValidationError) -> File {
        let m = try ReportFormYAML.mapping(yaml)
        var r = FormReaderState()
        r.checkKeys(m, ["code", "version", "title", "sections"])
        let code = r.string("code", m, line: 1), version = r.string("version", m, line: 1), title = r.string("title", m, line: 1)
        var seen: [String: Int?] = [:]
        func sections(_ parent: Node.Mapping, required: Bool) -> [OutlineSection] {
            r.items("sections", parent, required: required).compactMap { sm, l in
                r.checkKeys(sm, ["code", "title", "forms", "sections"])
                guard let c = r.string("code", sm, line: l), let t = r.string("title", sm, line: l) else { return nil }
                if let first = seen[c] { r.errors.append(.duplicateCode(kindVI: "mục", code: c, line: l, firstLine: first)) }
                else { seen[c] = l }
                let forms = r.strings("forms", sm, line: l) ?? []
                if let knownForms {
                    for f in forms where !knownForms.contains(f) {
                        r.errors.append(.invalidValue(key: "forms", text: f, expectedVI: "mã một biểu mẫu đã có", line: l))
                    }
                }
                return OutlineSection(code: c, title: t, formCodes: forms, children: sections(sm, required: false))
            }
        }
        let list = sections(m, required: true)
        guard r.errors.isEmpty, let code, let version, let title else { throw FormValidationError(errors: r.errors) }
        return File(code: code, version: version, title: title, outline: ReportOutline(sections: list))
    }
}
