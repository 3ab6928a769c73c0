import Foundation
import ParIndexCore
import Testing
@testable import ParIndexServer

/// The pieces every periodic-report file shares (issue #14, item 6): the header layout of a
/// form's grouped columns, and the Decree 30/2020 heading and signature of each kind of unit.
@Suite struct ReportPaperTests {
    @Test func theTTHCFormsHeadersTileTheirBlockAsPrinted() throws {
        let form = try #require(ReportFormCatalog.bundled["tthc-ket-qua-giai-quyet"])
        let layout = FormHeaderLayout(form.columns)
        #expect(layout.depth == 3)
        // Every header position is covered exactly once.
        var covered: [String: Int] = [:]
        for c in layout.cells {
            for r in c.row ..< c.row + c.rows { for x in c.column ..< c.column + c.columns { covered["\(r),\(x)", default: 0] += 1 } }
        }
        #expect(covered.count == 3 * form.columns.count && covered.values.allSatisfy { $0 == 1 }, "\(covered)")
        #expect(layout.cells.contains(.init(row: 0, column: 0, rows: 3, columns: 1, text: "STT")))
        #expect(layout.cells.contains(.init(row: 0, column: 2, rows: 1, columns: 4, text: "Số hồ sơ nhận giải quyết")))
        #expect(layout.cells.contains(.init(row: 1, column: 2, rows: 2, columns: 1, text: "Tổng số")))
        #expect(layout.cells.contains(.init(row: 1, column: 3, rows: 1, columns: 2, text: "Trong kỳ")))
        #expect(layout.cells.contains(.init(row: 2, column: 4, rows: 1, columns: 1, text: "Trực tiếp, dịch vụ bưu chính")))
        #expect(layout.cells.contains(.init(row: 0, column: 10, rows: 1, columns: 3, text: "Số hồ sơ đang giải quyết")))
        // A form without groups is one header row.
        #expect(FormHeaderLayout([FormColumn(code: "a", number: 1, label: "A"), FormColumn(code: "b", number: 2, label: "B")]).depth == 1)
    }

    static func paper(_ name: String, _ kind: UnitKind, parent: String?, parentKind: UnitKind? = nil, place: String) -> ReportPaper {
        ReportPaper(unitName: name, unitCode: "X", unitKind: kind, parentName: parent, parentKind: parentKind, receivingUnitName: "Tỉnh Hải Dương",
                    regimeName: "Báo cáo CCHC", periodCode: "2023-H1", periodLabel: "6 tháng đầu năm 2023", window: "", place: place,
                    date: try! VietnameseDate.parse("05/02/2024"))
    }

    @Test func eachKindOfUnitIssuesUnderItsOwnHeadingAndSignature() {
        let commune = Self.paper("Xã Sơn Hàm", .commune, parent: "UBND huyện Nam Sách", parentKind: .district,
                                 place: ReportPaper.place(of: "Xã Sơn Hàm", shortName: ""))
        #expect(commune.parentIssuer == "UBND HUYỆN NAM SÁCH")
        #expect(commune.issuer == "UBND XÃ SƠN HÀM")
        #expect(commune.number == "…/BC-UBND")
        #expect(commune.signerTitle == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
        // Decree 30/2020: a 0 before a day under 10 and a month under 3.
        #expect(commune.placeAndDate == "Sơn Hàm, ngày 05 tháng 02 năm 2024")
        let department = Self.paper("Sở Nội vụ", .department, parent: "Tỉnh Hải Dương", parentKind: .province,
                                    place: ReportPaper.place(of: "Tỉnh Hải Dương", shortName: ""))
        #expect(department.parentIssuer == "UBND TỈNH HẢI DƯƠNG" && department.issuer == "SỞ NỘI VỤ")
        #expect(department.signerTitle == "GIÁM ĐỐC")
        #expect(department.placeAndDate.hasPrefix("Hải Dương, ngày"))
        #expect(ReportPaper.place(of: "UBND huyện Nam Sách", shortName: "") == "Nam Sách")
        #expect(ReportPaper.place(of: "Tỉnh Hải Dương", shortName: "Hải Dương") == "Hải Dương")
        #expect(Self.paper("Tỉnh Hải Dương", .province, parent: nil, place: "Hải Dương").parentIssuer == nil)
    }
}
