import Testing
@testable import ParIndexCore

@Suite("Framework diff and crosswalk")
struct FrameworkDiffTests {
    private func leaf(_ code: String, _ title: String, _ max: Double = 1, _ method: ScoringMethod = .yesNo) -> FrameworkNode {
        FrameworkNode(code: code, title: title, maxPoints: max, method: method)
    }

    private func framework(_ year: Int, _ nodes: [FrameworkNode]) -> Framework {
        Framework(id: "f", title: "f", unitKind: .district, year: year, version: "\(year)", nodes: nodes)
    }

    var lastYear: Framework {
        framework(2022, [
            FrameworkNode(code: "1", title: "Chỉ đạo, điều hành", maxPoints: 3, children: [
                leaf("1.1", "Kế hoạch CCHC"), leaf("1.2", "Báo cáo định kỳ"), leaf("1.3", "Tuyên truyền"),
            ]),
            FrameworkNode(code: "2", title: "Thủ tục hành chính", maxPoints: 2, children: [
                leaf("2.1", "Công khai TTHC"), leaf("2.2", "Số hóa hồ sơ"),
            ]),
        ])
    }

    var thisYear: Framework {
        framework(2023, [
            FrameworkNode(code: "1", title: "Chỉ đạo, điều hành", maxPoints: 3.5, children: [
                leaf("1.1", "Kế hoạch CCHC", 1.5),                           // max changed
                leaf("1.2", "Chế độ báo cáo CCHC"),                           // renamed
                leaf("1.3", "Kiểm tra CCHC"),                                 // 1.3 renamed? no: new title, old 1.3 gone
            ]),
            FrameworkNode(code: "2", title: "Thủ tục hành chính", maxPoints: 2, children: [
                leaf("2.1", "Công khai TTHC", 1, .manual(step: 0.25)),        // method changed
                leaf("2.2", "Tuyên truyền"),                                  // moved from 1.3
            ]),
            FrameworkNode(code: "3", title: "Chính quyền số", maxPoints: 1, children: [
                leaf("3.1", "Số hóa hồ sơ"),                                   // moved from 2.2
            ]),
        ])
    }

    @Test func detectsEveryKindOfChange() {
        let diff = FrameworkDiff.compare(lastYear, thisYear)
        #expect(diff.changes.contains(.maxChanged(code: "1", from: 3, to: 3.5)))
        #expect(diff.changes.contains(.maxChanged(code: "1.1", from: 1, to: 1.5)))
        #expect(diff.changes.contains(.renamed(code: "1.2", from: "Báo cáo định kỳ", to: "Chế độ báo cáo CCHC")))
        #expect(diff.changes.contains(.methodChanged(code: "2.1", from: "Có / Không", to: "Chấm điểm trực tiếp")))
        #expect(diff.changes.contains(.moved(from: "1.3", to: "2.2", title: "Tuyên truyền")))
        #expect(diff.changes.contains(.moved(from: "2.2", to: "3.1", title: "Số hóa hồ sơ")))
        #expect(diff.changes.contains(.added(code: "1.3", title: "Kiểm tra CCHC")))
        #expect(diff.changes.contains(.added(code: "3", title: "Chính quyền số")))
        #expect(!diff.changes.contains { if case .removed = $0 { true } else { false } })
        #expect(diff.changes.count == 8)
    }

    @Test func removedNodes() {
        var smaller = lastYear
        smaller.nodes.removeLast()
        let diff = FrameworkDiff.compare(lastYear, smaller)
        #expect(diff.changes == [.removed(code: "2", title: "Thủ tục hành chính"),
                                 .removed(code: "2.1", title: "Công khai TTHC"),
                                 .removed(code: "2.2", title: "Số hóa hồ sơ")])
    }

    @Test func identicalVersionsHaveNoChanges() {
        #expect(FrameworkDiff.compare(lastYear, lastYear).isEmpty)
    }

    @Test func changesReadInVietnamese() {
        #expect(FrameworkDiff.Change.maxChanged(code: "1", from: 3, to: 3.5).descriptionVI == "~ Điểm tối đa 1: 3 → 3,5")
        #expect(FrameworkDiff.Change.moved(from: "1.3", to: "2.2", title: "Tuyên truyền").descriptionVI == "~ Chuyển 1.3 → 2.2 Tuyên truyền")
    }

    @Test func crosswalkFollowsMovesAndRenames() {
        let cw = Crosswalk.derive(from: lastYear, to: thisYear)
        #expect(cw.previousCode(of: "2.2") == "1.3")
        #expect(cw.previousCode(of: "3.1") == "2.2")
        #expect(cw.previousCode(of: "1.2") == "1.2")
        #expect(cw.previousCode(of: "1.3") == nil)   // new criterion
        #expect(cw.previousCode(of: "3") == nil)
    }

    @Test func explicitPreviousCodeWins() {
        var next = thisYear
        next.nodes[2].previousCode = "2"              // "Chính quyền số" declared as last year's field 2
        let cw = Crosswalk.derive(from: lastYear, to: next)
        #expect(cw.previousCode(of: "3") == "2")
    }

    @Test func realFrameworksDiffAcrossUnitKinds() throws {
        let dept = try RepositoryFrameworks.load("hai-duong-department-2022.yaml")
        let district = try RepositoryFrameworks.load("hai-duong-district-2022.yaml")
        let diff = FrameworkDiff.compare(dept, district)
        #expect(diff.changes.contains(.maxChanged(code: "1", from: 14.5, to: 15.5)))
        #expect(diff.changes.contains(.added(code: "9", title: "Điều tra xã hội học")) == false)
        #expect(diff.changes.contains(.moved(from: "8", to: "9", title: "Điều tra xã hội học")))
    }
}
