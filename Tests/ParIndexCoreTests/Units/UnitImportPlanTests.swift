import Testing
@testable import ParIndexCore

@Suite struct UnitImportPlanTests {
    let province = UnitImportPlan.ExistingUnit(code: "HD", kind: .province, parentCode: nil)

    func plan(_ csv: String, existing: [UnitImportPlan.ExistingUnit]? = nil) throws -> Result<UnitImportPlan, ImportErrors> {
        UnitImportPlan.plan(try CSVTable.parse(csv), existing: existing ?? [province])
    }

    @Test func acceptsAValidFileWithParentsDefinedLaterInTheFile() throws {
        let csv = """
        ma,ten,ten_viet_tat,loai,ma_cap_tren,hoat_dong
        HNS-X1,Thị trấn Nam Sách,,Xã,HNS,Có
        HNS,UBND huyện Nam Sách,Nam Sách,Huyện,HD,
        HD,Tỉnh Hải Dương,Hải Dương,Tỉnh,,
        """
        let p = try plan(csv).get()
        #expect(p.rows.map(\.draft.code) == ["HNS-X1", "HNS", "HD"])
        #expect(p.rows.map(\.isNew) == [true, true, false])
        #expect(p.rows[0].draft.kind == .commune)
    }

    @Test func reportsEveryErrorWithItsRowAndNothingElse() throws {
        let csv = """
        ma,ten,loai,ma_cap_tren,hoat_dong
        SNV,Sở Nội vụ,Sở,HD,
        SNV,Sở Nội vụ (trùng),Sở,HD,
        ,Không mã,Sở,HD,
        SYT,,Sở,HD,
        SXD,Sở Xây dựng,Phòng,HD,
        X1,Xã lạc,Xã,KHONGCO,
        SCT,Sở Công thương,Sở,HD,có lẽ
        H1,Huyện A,Huyện,HD,
        H1-X,Xã dưới sở,Xã,SNV,
        \(String(repeating: "A", count: 40)),Mã dài,Sở,HD,
        """
        guard case let .failure(errors) = try plan(csv) else { Issue.record("expected errors"); return }
        let byRow = Dictionary(grouping: errors.rows, by: \.row)
        #expect(byRow[3]?.first?.messageVI.contains("trùng với dòng 2") == true)
        #expect(byRow[4]?.first?.messageVI == "Mã đơn vị không được để trống.")
        #expect(byRow[5]?.first?.messageVI == "Tên đơn vị không được để trống.")
        #expect(byRow[6]?.first?.messageVI.contains("Loại đơn vị “Phòng” không hợp lệ") == true)
        #expect(byRow[7]?.first?.messageVI.contains("KHONGCO") == true)
        #expect(byRow[8]?.first?.field == "Hoạt động")
        #expect(byRow[9] == nil)
        #expect(byRow[10]?.first?.messageVI.contains("không thể trực thuộc") == true)
        #expect(byRow[11]?.first?.messageVI.contains("dài quá 32") == true)
        #expect(errors.rows.map(\.row) == errors.rows.map(\.row).sorted())
        #expect(errors.messageVI.contains("không dòng nào được nhập"))
    }

    @Test func detectsCyclesThroughStoredUnits() throws {
        let stored = [province,
                      .init(code: "A", kind: .district, parentCode: "HD"),
                      .init(code: "B", kind: .commune, parentCode: "A")]
        // Re-parenting A under B (its own child) would make a loop.
        let csv = "ma,ten,loai,ma_cap_tren\nA,Huyện A,Huyện,B\n"
        guard case let .failure(errors) = try plan(csv, existing: stored) else { Issue.record("expected a cycle"); return }
        #expect(errors.rows.first?.messageVI.contains("vòng lặp") == true)
    }

    @Test func missingRequiredColumnsAreReportedOnTheHeaderRow() throws {
        guard case let .failure(errors) = try plan("ma,ten\nX,Y\n") else { Issue.record("expected errors"); return }
        #expect(errors.rows == [.init(row: 1, field: "Loại", messageVI: "Thiếu cột bắt buộc “Loại”.")])
    }

    @Test func rootsMustBeProvincesOrMinistries() throws {
        guard case let .failure(errors) = try plan("ma,ten,loai\nX,Sở mồ côi,Sở\n") else { Issue.record("expected errors"); return }
        #expect(errors.rows.first?.messageVI.contains("phải có đơn vị cấp trên") == true)
    }
}
