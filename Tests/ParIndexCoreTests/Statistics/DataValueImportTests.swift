import Foundation
import Testing
@testable import ParIndexCore

@Suite("Statistics: data value import")
struct StatisticsImportTests {
    let context: DataValueImportContext

    init() throws {
        let form = try RepositoryForms.compiled("so-hoa-ho-so.yaml")
        context = DataValueImportContext(form: form, units: ["SNV", "STP"], periods: ["2023", "2022"])
    }

    @Test func readsDHIS2ShapedCSVWithVietnameseNumbers() throws {
        let csv = "dataelement,categoryoptioncombo,period,orgunit,value,comment\nc3,tong,2023,SNV,267,\nc6,tong,2023,SNV,224,theo phần mềm\nc3,tong,2022,SNV,\"1.538\",\n"
        let values = try DataValueImport.parse(Data(csv.utf8), context: context)
        #expect(values.count == 3 && values[1].comment == "theo phần mềm" && values[2].value == .number(1538))
        let cells = DataValueImport.cells(values, unit: "SNV", period: "2023")
        let e = context.form.evaluate(try context.form.grid(cells))
        #expect(e.grid[0, 6].map { StatNumberFormat.round($0, decimals: 1) } == 83.9)
    }

    @Test func everyBadRowIsReportedAndNothingIsReturned() throws {
        let csv = """
        Cột;Dòng;Kỳ;Mã đơn vị;Giá trị;Ghi chú
        c3;tong;2023;SNV;267;
        c9;tong;2023;SNV;1;
        c3;khac;2023;SNV;1;
        c4;tong;2023;UBND_X;1;
        c4;tong;2019;SNV;1;
        c6;tong;2023;SNV;-5;
        c4;tong;2022;SNV;mười;
        c3;tong;2023;SNV;12;
        c7;tong;2023;SNV;83,9;
        c4;tong;2022;STP;2,5;
        """
        let e = #expect(throws: ImportErrors.self) { try DataValueImport.parse(Data(csv.utf8), context: context) }
        let rows = try #require(e?.rows)
        #expect(rows.map(\.row) == [3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(rows.map(\.displayVI) == [
            "Dòng 3, cột “cot”: Biểu mẫu “Kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính” không có cột “c9”.",
            "Dòng 4, cột “dong”: Biểu mẫu “Kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính” không có dòng “khac”.",
            "Dòng 5, cột “don_vi”: Đơn vị “UBND_X” không thuộc danh sách đơn vị báo cáo của chế độ báo cáo.",
            "Dòng 6, cột “ky”: Kỳ “2019” không phải là kỳ báo cáo của chế độ báo cáo.",
            "Dòng 7, cột “gia_tri”: Cột “c6” (Số hồ sơ): số đếm phải là số nguyên không âm, không phải “-5”.",
            "Dòng 8, cột “gia_tri”: Cột “c4” (Số hồ sơ): “mười” không phải là số (ví dụ 2.476 hoặc 82,4); cột này là số lượng.",
            "Dòng 9, cột “cot”: Trùng giá trị với dòng 2 (cùng cột, dòng, kỳ và đơn vị).",
            "Dòng 10, cột “cot”: Cột “c7” (Tỷ lệ): được tính tự động, không nhập.",
            "Dòng 11, cột “gia_tri”: Cột “c4” (Số hồ sơ): số đếm phải là số nguyên không âm, không phải “2,5”.",
        ])
    }

    @Test func windows1258AndMissingHeadersAreRefused() {
        // "Sở" in Windows-1258 is 0x53 0xD5.
        let bytes = Array("cot,dong,ky,don vi,gia tri\nc3,tong,2023,".utf8) + [0x53, 0xD5] + Array(",1\n".utf8)
        let e = #expect(throws: ImportErrors.self) { try DataValueImport.parse(Data(bytes), context: context) }
        #expect(e?.rows.first?.messageVI.contains("Windows-1258") == true)
        let h = #expect(throws: ImportErrors.self) { try DataValueImport.parse(Data("cot,dong,ky\n".utf8), context: context) }
        #expect(h?.rows.map(\.field) == ["don vi", "gia tri"])
    }
}
