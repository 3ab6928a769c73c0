import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: form files in the repository")
struct StatisticsFormFilesTests {
    @Test("every shipped form validates and compiles", arguments: RepositoryForms.formFiles)
    func loads(file: String) throws {
        let form = try RepositoryForms.load(file)
        #expect(!form.columns.isEmpty && !form.version.isEmpty && !form.legalBasis.isEmpty)
        let compiled = try CompiledForm(form, rows: [FormRow(code: "tu_phap", label: "Tư pháp")])
        #expect(compiled.ruleInstanceCount > 0)
    }

    @Test func tthcFormHasTheThirteenColumnsOfForm06() throws {
        let f = try RepositoryForms.load("tthc-ket-qua-giai-quyet.yaml")
        #expect(f.columns.map(\.number) == Array(1...13))
        #expect(f.columns.map(\.label) == ["STT", "Lĩnh vực, đơn vị", "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính",
                                           "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"])
        #expect(f.columns[3].group == "Số hồ sơ nhận giải quyết" && f.columns[3].subgroup == "Trong kỳ")
        #expect(f.rowSource == .perField && f.rows == [FormRow(code: "tong", label: "Tổng cộng", isTotal: true)])
        #expect(f.rules.map { "\($0.left.text) \($0.op.rawValue) \($0.right.text)" }
            == ["c3 = c4 + c5 + c6", "c7 = c8 + c9 + c10", "c11 = c12 + c13", "c3 = c7 + c11", "c6 = previous(c11)"])
        #expect(f.rules[3].setting == "returned_counts_as_resolved" && f.rules[4].isCrossPeriod)
    }

    @Test func outlineHasTheSevenParAreasAndItsTables() throws {
        let codes = Set(try RepositoryForms.formFiles.map { try RepositoryForms.load($0).code })
        let file = try ReportOutlineYAML.load(RepositoryForms.text(RepositoryForms.outlineFile), knownForms: codes)
        #expect(file.outline.sections.map(\.code) == ["I", "II", "III", "IV"])
        #expect(file.outline.sections[0].children.map(\.title) == ReportOutline.parAreas.map(\.title))
        #expect(file.outline == ReportOutline.parDefault)
        #expect(Set(file.outline.sections[0].children[2].formCodes) == codes)
    }

    @Test func outlineNamingAnUnknownFormIsRefusedWithItsLine() throws {
        let yaml = "code: x\nversion: '1'\ntitle: X\nsections:\n  - {code: I, title: A, forms: [khong-co]}\n  - {code: I, title: B}\n"
        let e = #expect(throws: FormValidationError.self) { try ReportOutlineYAML.load(yaml, knownForms: ["tthc"]) }
        #expect(e?.errors.map(\.line) == [5, 6])
        #expect(e?.errors.map(\.code) == ["form.invalid_value", "form.duplicate_code"])
    }
}
