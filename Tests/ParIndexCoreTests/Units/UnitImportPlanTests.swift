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

    // Issue #20: the cycle check walked to the root for every row (145 s of CPU for this chain).
    // Correctness tests only; the timing is in ParIndexBench (`units`).
    static func chain(_ n: Int, closed: Bool) -> String {
        var lines = ["ma,ten,loai,ma_cap_tren"]
        lines.reserveCapacity(n + 1)
        for i in 1...n { lines.append("S\(i),Sở \(i),Sở,\(i == 1 ? (closed ? "S\(n)" : "HD") : "S\(i - 1)")") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aTwentyThousandDeepChainIsValidatedWithoutLoops() throws {
        guard case let .failure(errors) = try plan(Self.chain(20_000, closed: false)) else { Issue.record("expected kind errors"); return }
        // Only the kind rule fails (a department cannot sit under a department), never the loop check.
        #expect(errors.rows.count == 19_999)
        #expect(errors.rows.allSatisfy { $0.messageVI.contains("không thể trực thuộc") })
        #expect(errors.rows.first?.row == 3)
    }

    @Test func aTwentyThousandLoopIsReportedOnEveryRow() throws {
        guard case let .failure(errors) = try plan(Self.chain(20_000, closed: true)) else { Issue.record("expected a loop"); return }
        #expect(errors.rows.count == 20_000)
        #expect(errors.rows.allSatisfy { $0.field == "Mã cấp trên" && $0.messageVI.contains("vòng lặp") })
    }

    @Test func loopFinderTellsUnitsUnderALoopFromUnitsOnAChain() {
        var finder = UnitImportPlan.LoopFinder(parentOf: ["A": "B", "B": "A", "X": "A", "Y": "Z", "Z": nil, "W": "MISSING"])
        #expect(finder.reachesLoop("Y") == false)
        #expect(finder.reachesLoop("X") == true)
        #expect(finder.reachesLoop("A") == true)
        #expect(finder.reachesLoop("B") == true)
        #expect(finder.reachesLoop("Z") == false)
        #expect(finder.reachesLoop("W") == false)
    }

    @Test func levelsPutParentsBeforeChildrenEvenTwentyThousandDeep() throws {
        let n = 20_000
        let rows = (1...n).reversed().map { i in
            UnitImportPlan.Row(line: n - i + 2, draft: .init(code: "S\(i)", name: "Sở \(i)", kind: .department,
                                                            parentCode: i == 1 ? "HD" : "S\(i - 1)"), isNew: true)
        }
        let levels = UnitImportPlan(rows: rows).levels
        #expect(levels.count == n)
        #expect(levels.allSatisfy { $0.count == 1 })
        #expect(levels.first?.first?.draft.code == "S1")
        #expect(levels.last?.first?.draft.code == "S\(n)")

        let p = try plan("ma,ten,loai,ma_cap_tren\nX1,Xã,Xã,H1\nS2,Sở,Sở,HD\nH1,Huyện,Huyện,HD\nX2,Xã 2,Xã,H1\n").get()
        #expect(p.levels.map { $0.map(\.draft.code) } == [["S2", "H1"], ["X1", "X2"]])
    }

    @Test func namesWithInvisibleOrFileBreakingCharactersAreRefusedOnTheirRow() throws {
        let csv = "ma,ten,ten_viet_tat,loai,ma_cap_tren\nS1,Sở Nội vụ\u{FFFF},,Sở,HD\nS2,Sở \u{202E}ụv iộN,,Sở,HD\n"
            + "S3,Sở Y tế,\u{1}YT,Sở,HD\nS4,\(TextRulesTests.bomb),,Sở,HD\nS\u{0}5,Sở 5,,Sở,HD\n"
        guard case let .failure(errors) = try plan(csv) else { Issue.record("expected errors"); return }
        let byRow = Dictionary(grouping: errors.rows, by: \.row).mapValues { $0.map(\.messageVI) }
        #expect(byRow[2] == ["Tên đơn vị chứa ký tự không hợp lệ U+FFFF ở vị trí thứ 10; hãy xoá ký tự này."])
        #expect(byRow[3] == ["Tên đơn vị chứa ký tự điều khiển hướng chữ U+202E ở vị trí thứ 4; hãy xoá ký tự này."])
        #expect(byRow[4] == ["Tên viết tắt chứa ký tự điều khiển U+0001 ở vị trí thứ 1; hãy xoá ký tự này."])
        #expect(byRow[5] == ["Tên đơn vị dài quá 255 ký tự (hiện có 100.000 ký tự)."])
        #expect(byRow[6] == ["Mã đơn vị chứa ký tự điều khiển U+0000 ở vị trí thứ 2; hãy xoá ký tự này."])
        #expect(errors.rows.first { $0.row == 2 }?.field == "Tên")
    }
}
