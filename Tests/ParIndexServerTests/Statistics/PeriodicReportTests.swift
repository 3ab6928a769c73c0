import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Periodic reports through the API (issue #14): a regime, a period, seed 003's figures with
/// their errors shown, the approval chain, the roll-up and the import, on both engines.
@Suite struct PeriodicReportTests {
    struct World {
        var app: Application
        var p: Fixtures.Province
        var coordinator: APIClient
        var reporter: APIClient
        var districtHead: APIClient
        var communeReporter: APIClient
        var regimeID: String
        var periodID: String
    }

    static func world(_ app: Application) async throws -> World {
        let p = try await Fixtures.province(app)
        let coord = try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, p.province)], includeDescendants: true)
        let rep = try await Fixtures.user(app, "baocao.snv", roles: [(.unitReporter, p.snv)])
        let head = try await Fixtures.user(app, "chutich.hns", roles: [(.unitHead, p.district)])
        let crep = try await Fixtures.user(app, "baocao.x1", roles: [(.unitReporter, p.commune)])
        let coordinator = APIClient(app: app, token: try await Fixtures.token(app, userID: coord))
        let regime = try await coordinator.send(.POST, "/api/v1/report-regimes", json: [
            "code": "cchc-dinh-ky", "name": "Báo cáo công tác CCHC định kỳ", "ownerUnitCode": "HD",
            "unitKinds": ["department", "district", "commune"], "formCodes": ["tthc-ket-qua-giai-quyet", "so-hoa-ho-so"],
            "frequencies": ["year"],
        ])
        #expect(regime.status == .created, "\(regime.body.string)")
        let regimeID = regime.json["id"] as? String ?? ""
        let period = try await coordinator.send(.POST, "/api/v1/report-regimes/\(regimeID)/periods", json: [
            "code": "2023", "label": "Năm 2023", "frequency": "year",
            "startsOn": "15/12/2022", "endsOn": "14/12/2023", "deadline": Fixtures.day(30),
        ])
        #expect(period.status == .created, "\(period.body.string)")
        return World(app: app, p: p, coordinator: coordinator, reporter: APIClient(app: app, token: try await Fixtures.token(app, userID: rep)),
                     districtHead: APIClient(app: app, token: try await Fixtures.token(app, userID: head)),
                     communeReporter: APIClient(app: app, token: try await Fixtures.token(app, userID: crep)),
                     regimeID: regimeID, periodID: period.json["id"] as? String ?? "")
    }

    static func submissionID(_ w: World, unit: String) async throws -> String {
        let d = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)")
        let subs = try #require(d.json["submissions"] as? [[String: Any]])
        return try #require(subs.first { $0["unitCode"] as? String == unit }?["id"] as? String)
    }

    static let seed003Of2023: [String: String] = [
        "tong/c4": "1.146", "tong/c5": "1.123", "tong/c6": "194", "tong/c7": "2.198", "tong/c9": "2.198", "tong/c10": "0",
        "tong/c11": "165", "tong/c12": "165", "tong/c13": "0", "tong/c3": "2.363",
    ]

    @Test(arguments: Engine.available)
    func seed003sFiguresShowTheirErrorsAndTheChainApproves(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let snv = try await Self.submissionID(w, unit: "SNV")
            let saved = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
                "version": 0,
                "values": ["tthc-ket-qua-giai-quyet": Self.seed003Of2023, "so-hoa-ho-so": ["tong/c3": "267", "tong/c6": "224"]],
                "stated": ["so-hoa-ho-so": ["tong/c7": "82,4"]],
            ])
            #expect(saved.status == .ok, "\(saved.body.string)")
            #expect(saved.headers.first(name: .eTag) == "\"1\"")
            let text = saved.body.string
            #expect(text.contains("2.363 ≠ 1.146 + 1.123 + 194 = 2.463"))
            #expect(text.contains("83,9"))
            // Submitting with unexplained serious errors is refused, naming them.
            let refused = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "submit", "version": 1])
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "statistics.unexplained_violations")
            #expect((refused.json["detail"] as? String)?.contains("2.463") == true)
            // Explained, it goes.
            let forms = try #require(saved.json["forms"] as? [[String: Any]])
            var explanations: [String: String] = [:]
            for f in forms { for v in (f["violations"] as? [[String: Any]] ?? []) where v["blocks"] as? Bool == true {
                explanations[v["key"] as! String] = "Số liệu theo báo cáo gốc của Văn phòng; đang đối chiếu lại."
            } }
            #expect(!explanations.isEmpty)
            let explained = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: ["version": 1, "explanations": explanations])
            #expect(explained.status == .ok, "\(explained.body.string)")
            let submitted = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "submit", "version": 2])
            #expect(submitted.status == .ok, "\(submitted.body.string)")
            #expect(submitted.json["state"] as? String == "submitted")
            // Locked now, with the reason said.
            let late = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: ["version": 3, "values": ["so-hoa-ho-so": ["tong/c3": "268"]]])
            #expect(late.status == .conflict)
            #expect(late.problemCode == "statistics.locked")
            // The reporter cannot accept their own report; the coordinator returns it with a reason, then accepts and approves.
            let selfAccept = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "accept", "version": 3])
            #expect(selfAccept.status == .forbidden)
            let noReason = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "return", "version": 3])
            #expect(noReason.status == .unprocessableEntity)
            let accepted = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "accept", "version": 3])
            #expect(accepted.json["state"] as? String == "accepted")
            let approved = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(snv)/actions", json: ["action": "approve", "version": 4])
            #expect(approved.json["state"] as? String == "approved", "\(approved.body.string)")
            // The roll-up counts it: the province's total row is Sở Nội vụ's figures, the rate recomputed.
            let rollUp = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)/rollup/so-hoa-ho-so")
            #expect(rollUp.status == .ok, "\(rollUp.body.string)")
            #expect(rollUp.body.string.contains("83,9 %"))
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "report_submission").all().map(\.action)
            #expect(Set(audit).isSuperset(of: ["report_submission.save", "report_submission.submit", "report_submission.accept", "report_submission.approve"]))
        }
    }

    @Test(arguments: Engine.available)
    func aRegimesCutOffAndDeadlineRuleDateItsPeriods(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let bad = try await w.coordinator.send(.POST, "/api/v1/report-regimes", json: [
                "code": "q", "name": "Thống kê quý", "ownerUnitCode": "HD", "unitKinds": ["department"], "formCodes": ["so-hoa-ho-so"],
                "cutOff": "day:40", "deadlineRule": "tuan:2"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Cách chốt số liệu “day:40” không hợp lệ") && bad.body.string.contains("Hạn nộp “tuan:2” không hợp lệ"))
            let r = try await w.coordinator.send(.POST, "/api/v1/report-regimes", json: [
                "code": "q", "name": "Thống kê quý", "ownerUnitCode": "HD", "unitKinds": ["department"], "formCodes": ["so-hoa-ho-so"],
                "frequencies": ["quarter"], "cutOff": "calendar", "deadlineRule": "workdays:5"])
            #expect(r.status == .created, "\(r.body.string)")
            #expect((r.json["deadlineRule"] as? String) == "hạn nộp 5 ngày làm việc sau ngày chốt số liệu")
            // Quarter I of 2030: 01/01 → 31/03 (a Sunday); five working days later is Friday 05/04.
            let p = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(r.json["id"] as! String)/periods",
                                                 json: ["frequency": "quarter", "year": 2030, "index": 1])
            #expect(p.status == .created, "\(p.body.string)")
            #expect(p.json["window"] as? String == "Từ ngày 01/01/2030 đến ngày 31/03/2030")
            #expect(p.json["deadline"] as? String == "05/04/2030")
            // Hostile input: a period index at the integer's edge, a label with a bidi override.
            let edge = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(r.json["id"] as! String)/periods",
                                                    json: ["frequency": "quarter", "year": 2031, "index": Int.min])
            #expect(edge.status == .unprocessableEntity)
            let bidi = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(r.json["id"] as! String)/periods",
                                                    json: ["startsOn": "01/01/2031", "endsOn": "31/01/2031", "deadline": "05/02/2031", "label": "Tháng 1\u{202E}"])
            #expect(bidi.status == .unprocessableEntity)
        }
    }

    @Test(arguments: Engine.available)
    func badFiguresAreAllReportedAndNothingIsSaved(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let snv = try await Self.submissionID(w, unit: "SNV")
            let bad = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: [
                "version": 0,
                "values": ["tthc-ket-qua-giai-quyet": ["tong/c3": "hai nghìn", "tong/c4": "-5", "tong/c7": "12,5"],
                           "so-hoa-ho-so": ["tong/c5": "90"], "bieu-la": ["tong/c1": "1"]],
            ])
            #expect(bad.status == .unprocessableEntity)
            let detail = bad.body.string
            #expect(detail.contains("“hai nghìn” không phải là số"))
            #expect(detail.contains("số đếm phải là số nguyên không âm, không phải “-5”"))
            #expect(detail.contains("không phải “12,5”"))
            #expect(detail.contains("được tính tự động, không nhập"))
            #expect(detail.contains("không có biểu mẫu “bieu-la”"))
            let stored = try #require(try await ReportSubmissionModel.find(UUID(uuidString: snv)!, on: app.db))
            #expect(stored.version == 0 && stored.values.isEmpty)
            // No version: 428; a stale one: 409.
            let none = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: ["values": [:] as [String: Any]])
            #expect(none.status == .preconditionRequired)
            _ = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: ["version": 0, "values": ["so-hoa-ho-so": ["tong/c3": "267"]]])
            let stale = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(snv)", json: ["version": 0, "values": ["so-hoa-ho-so": ["tong/c3": "268"]]])
            #expect(stale.status == .conflict && stale.problemCode == "version.stale")
            // Another unit's report is out of the reporter's reach.
            let syt = try await Self.submissionID(w, unit: "SYT")
            let foreign = try await w.reporter.send(.PUT, "/api/v1/report-submissions/\(syt)", json: ["version": 0, "values": [:] as [String: Any]])
            #expect(foreign.status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func aDistrictIsApprovedOnlyAfterItsCommunes(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let district = try await Self.submissionID(w, unit: "HNS")
            let commune = try await Self.submissionID(w, unit: "HNS-X1")
            let full = ["tong/c3": "551", "tong/c7": "551", "tong/c11": "0", "tong/c4": "300", "tong/c5": "251", "tong/c6": "0", "tong/c8": "20", "tong/c9": "531", "tong/c10": "0",
                        "tong/c12": "0", "tong/c13": "0"]
            for (client, id) in [(w.districtHead, district), (w.communeReporter, commune)] {
                let s = try await client.send(.PUT, "/api/v1/report-submissions/\(id)", json: ["version": 0, "values": ["tthc-ket-qua-giai-quyet": full]])
                #expect(s.status == .ok, "\(s.body.string)")
            }
            _ = try await w.districtHead.send(.POST, "/api/v1/report-submissions/\(district)/actions", json: ["action": "submit", "version": 1])
            _ = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(district)/actions", json: ["action": "accept", "version": 2])
            let early = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(district)/actions", json: ["action": "approve", "version": 3])
            #expect(early.status == .conflict)
            #expect(early.problemCode == "statistics.children_not_approved")
            #expect((early.json["detail"] as? String)?.contains("Xã Sơn Hàm (đang soạn)") == true)
            // The district head decides on the commune below it.
            _ = try await w.communeReporter.send(.POST, "/api/v1/report-submissions/\(commune)/actions", json: ["action": "submit", "version": 1])
            let a = try await w.districtHead.send(.POST, "/api/v1/report-submissions/\(commune)/actions", json: ["action": "accept", "version": 2])
            #expect(a.status == .ok, "\(a.body.string)")
            _ = try await w.districtHead.send(.POST, "/api/v1/report-submissions/\(commune)/actions", json: ["action": "approve", "version": 3])
            let now = try await w.coordinator.send(.POST, "/api/v1/report-submissions/\(district)/actions", json: ["action": "approve", "version": 3])
            #expect(now.status == .ok, "\(now.body.string)")
            // Roll-up: the district's total is its own report plus its commune's: 551 + 551 received.
            let r = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(w.periodID)/rollup/tthc-ket-qua-giai-quyet")
            let units = try #require(r.json["units"] as? [[String: Any]])
            let hns = try #require(units.first { $0["unitCode"] as? String == "HNS" })
            let cells = try #require(hns["cells"] as? [[String: Any]])
            #expect(cells.first?["display"] as? String == "1.102")
        }
    }

    @Test(arguments: Engine.available)
    func anImportIsAllOrNothingWithEveryRowsError(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.world(app)
            let bad = "dataelement,period,orgunit,categoryoptioncombo,value\nc4,2023,SNV,tong,1146\nc4,2023,SNV,tong,1147\nc5,2023,XYZ,tong,10\nc6,2022,SNV,tong,1\nc7,2023,SNV,tong,-3\n"
            let refused = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/import/tthc-ket-qua-giai-quyet",
                                                       raw: bad, contentType: .init(type: "text", subType: "csv"))
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string)")
            let errors = try #require(refused.json["rows"] as? [[String: Any]])
            #expect(Set(errors.compactMap { $0["row"] as? Int }).isSuperset(of: [3, 4, 5, 6]))
            let stored = try #require(try await ReportSubmissionModel.query(on: app.db).with(\.$unit).all().first { $0.unit.code == "SNV" })
            #expect(stored.values.isEmpty)
            let good = "dataelement,period,orgunit,categoryoptioncombo,value\nc4,2023,SNV,tong,\"1.146\"\nc5,2023,SNV,tong,1123\n"
            let ok = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/import/tthc-ket-qua-giai-quyet",
                                                  raw: good, contentType: .init(type: "text", subType: "csv"))
            #expect(ok.status == .ok, "\(ok.body.string)")
            let after = try #require(try await ReportSubmissionModel.find(stored.id!, on: app.db))
            #expect(after.values["tthc-ket-qua-giai-quyet"]?["tong/c4"] == "1146.0")
            // The same shape as a workbook: errors carry the sheet's row numbers.
            let sheet = XLSXWriter.Sheet(name: "Số liệu", columnWidths: [10, 10, 10, 10, 10], rows: [
                ["dataelement", "period", "orgunit", "categoryoptioncombo", "value"].map { .text($0) },
                [.text("c6"), .text("2023"), .text("SNV"), .text("tong"), .number(194)],
                [.text("c6"), .text("2023"), .text("SNV"), .text("tong"), .text("một trăm")],
            ])
            let workbook = try XLSXWriter(sheets: [sheet]).data()
            let refusedXLSX = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/import/tthc-ket-qua-giai-quyet",
                                                           bytes: workbook, contentType: .init(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            #expect(refusedXLSX.status == .unprocessableEntity, "\(refusedXLSX.body.string)")
            #expect(((refusedXLSX.json["rows"] as? [[String: Any]]) ?? []).contains { $0["row"] as? Int == 3 })
            let fixed = XLSXWriter.Sheet(name: "Số liệu", columnWidths: sheet.columnWidths, rows: Array(sheet.rows.prefix(2)))
            let okXLSX = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/import/tthc-ket-qua-giai-quyet",
                                                      bytes: try XLSXWriter(sheets: [fixed]).data(),
                                                      contentType: .init(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            #expect(okXLSX.status == .ok, "\(okXLSX.body.string)")
            #expect(try #require(try await ReportSubmissionModel.find(stored.id!, on: app.db)).values["tthc-ket-qua-giai-quyet"]?["tong/c6"] == "194.0")
        }
    }
}

/// Reminders (issue #14): two days before a unit's deadline, after it, and on the coordinator's click.
@Suite struct ReportRemindersTests {
    @Test(arguments: Engine.available)
    func unitsThatHaveNotReportedAreRemindedOnceEach(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let reporter = try #require(try await UserModel.query(on: app.db).filter(\.$username == "baocao.snv").first())
            func notices() async throws -> [String] {
                try await NotificationModel.query(on: app.db).filter(\.$user.$id == reporter.id!).all().map(\.key).filter { $0.hasPrefix("report-") }
            }
            // The period opened (notice "report-period/…"); its deadline is 30 days away: no reminder yet.
            _ = try await DeadlineNotices.reportReminders(on: app.db, now: Date())
            #expect(try await notices().filter { $0.hasPrefix("report-due") || $0.hasPrefix("report-overdue") }.isEmpty)
            // Moved to the day before the deadline: one reminder, and not twice.
            let dayBefore = Date().addingTimeInterval(29 * 86_400)
            _ = try await DeadlineNotices.reportReminders(on: app.db, now: dayBefore)
            _ = try await DeadlineNotices.reportReminders(on: app.db, now: dayBefore.addingTimeInterval(3600))
            #expect(try await notices().filter { $0.hasPrefix("report-due") }.count == 1)
            // After it: overdue.
            _ = try await DeadlineNotices.reportReminders(on: app.db, now: Date().addingTimeInterval(32 * 86_400))
            #expect(try await notices().filter { $0.hasPrefix("report-overdue") }.count == 1)
            // The coordinator's "remind the missing units": once per day per unit.
            let first = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/remind")
            #expect(first.status == .ok && (first.json["notified"] as? Int ?? 0) >= 1)
            let again = try await w.coordinator.send(.POST, "/api/v1/report-periods/\(w.periodID)/remind")
            #expect(again.json["notified"] as? Int == 0)
            #expect(try await notices().filter { $0.hasPrefix("report-remind") }.count == 1)
            // Every notice went to the outbox with it.
            #expect(try await NotificationModel.query(on: app.db).count() > 0)
        }
    }
}

/// Issue #19's guarantee for the new module: the version is checked in the UPDATE itself, so
/// parallel writers with one version make exactly one winner, on both engines.
@Suite struct ReportConcurrencyTests {
    @Test(arguments: Engine.available)
    func parallelSavesAndDecisionsWithOneVersionMakeOneWinner(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await PeriodicReportTests.world(app)
            let snv = try await PeriodicReportTests.submissionID(w, unit: "SNV")
            let saves = try await VersionedWriteTests.parallel(app, token: w.reporter.token!, count: 20) { i in
                (.PUT, "/api/v1/report-submissions/\(snv)",
                 try! JSONSerialization.data(withJSONObject: ["version": 0, "values": ["so-hoa-ho-so": ["tong/c3": String(100 + i)]]]), [:])
            }
            VersionedWriteTests.expectOneWinner(saves, losers: ["version.stale"])
            let stored = try #require(try await ReportSubmissionModel.find(UUID(uuidString: snv)!, on: app.db))
            #expect(stored.version == (saves.contains { $0.status == .ok } ? 1 : 0))
            let submitted = try await w.reporter.send(.POST, "/api/v1/report-submissions/\(snv)/actions",
                                                      json: ["action": "submit", "version": stored.version])
            #expect(submitted.status == .ok, "\(submitted.body.string)")
            let version = submitted.json["version"] as? Int ?? 0
            let accepts = try await VersionedWriteTests.parallel(app, token: w.coordinator.token!, count: 10) { _ in
                (.POST, "/api/v1/report-submissions/\(snv)/actions", try! JSONSerialization.data(withJSONObject: ["action": "accept", "version": version]), [:])
            }
            VersionedWriteTests.expectOneWinner(accepts, losers: ["version.stale", "statistics.transition_not_allowed"])
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "report_submission.accept").count()
            #expect(audit == accepts.filter { $0.status == .ok }.count)
        }
    }
}
