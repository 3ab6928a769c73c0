import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct UnitsAPITests {
    func coordinator(_ app: Application) async throws -> APIClient {
        let id = try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
        return APIClient(app: app, token: try await Fixtures.token(app, userID: id))
    }

    func names(_ res: TestingHTTPResponse) -> [String] {
        ((res.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
    }

    @Test(arguments: Engine.available)
    func searchIgnoresAccentsAndCaseAndListsSortInVietnameseOrder(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            try await Fixtures.unit(app, "HNS-X2", "Xã Đồng Lạc", .commune, parent: p.district)
            try await Fixtures.unit(app, "HNS-X3", "Xã Dương Quang", .commune, parent: p.district)
            try await Fixtures.unit(app, "HNS-X4", "Xã An Lâm", .commune, parent: p.district)
            try await Fixtures.unit(app, "HNS-X5", "Xã Ân Thi", .commune, parent: p.district)
            let api = try await coordinator(app)
            #expect(names(try await api.send(.GET, "/api/v1/units?q=son%20ham")) == ["Xã Sơn Hàm"])
            #expect(names(try await api.send(.GET, "/api/v1/units?q=DUONG")) == ["Tỉnh Hải Dương", "Xã Dương Quang"])
            let communes = names(try await api.send(.GET, "/api/v1/units?kind=commune"))
            #expect(communes == ["Xã An Lâm", "Xã Ân Thi", "Xã Dương Quang", "Xã Đồng Lạc", "Xã Sơn Hàm"])
            let page = try await api.send(.GET, "/api/v1/units?per=2&page=2")
            #expect((page.json["metadata"] as? [String: Any])?["total"] as? Int == 9)
            #expect(names(page).count == 2)
            let byParent = names(try await api.send(.GET, "/api/v1/units?parentCode=HD"))
            #expect(byParent == ["Sở Nội vụ", "Sở Y tế", "UBND huyện Nam Sách"])
        }
    }

    @Test(arguments: Engine.available)
    func createEditDeactivateAreValidatedAndAudited(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            let api = try await coordinator(app)
            let created = try await api.send(.POST, "/api/v1/units",
                                             json: ["code": "STP", "name": "Sở Tư pháp", "kind": "Sở", "parentCode": "HD", "reason": "Bổ sung"])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let bad = try await api.send(.POST, "/api/v1/units",
                                         json: ["code": "SNV", "name": "", "kind": "Phòng", "parentCode": "KHONG"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemCode == "validation")
            let fields = Set(((bad.json["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] })
            #expect(fields == ["code", "name", "kind", "parentCode"])
            let edited = try await api.send(.PATCH, "/api/v1/units/\(id)", json: ["shortName": "Tư pháp", "reason": "Tên ngắn"])
            #expect(edited.json["shortName"] as? String == "Tư pháp")
            #expect(edited.json["parentCode"] as? String == "HD")
            // A district cannot move under its own commune.
            let cycle = try await api.send(.PATCH, "/api/v1/units/\(p.district)", json: ["parentCode": "HNS-X1"])
            #expect(cycle.status == .unprocessableEntity)
            #expect(cycle.body.string.contains("vòng lặp") || cycle.body.string.contains("không thể trực thuộc"))
            let gone = try await api.send(.POST, "/api/v1/units/\(id)/deactivate", json: ["reason": "Sáp nhập"])
            #expect(gone.json["active"] as? Bool == false)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityID == "STP").sort(\.$at).all()
            #expect(audit.map(\.action) == ["unit.create", "unit.update", "unit.deactivate"])
            #expect(audit[1].before?.contains("\"shortName\":\"\"") == true)
            #expect(audit[1].after?.contains("\"shortName\":\"Tư pháp\"") == true)
            #expect(audit[1].reason == "Tên ngắn")
            #expect(audit.allSatisfy { $0.actorName == "dieuphoi" })
        }
    }

    @Test(arguments: Engine.available)
    func csvImportIsAllOrNothingWithEveryRowError(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            let api = try await coordinator(app)
            let before = try await UnitModel.query(on: app.db).count()
            let bad = "ma,ten,loai,ma_cap_tren\nSCT,Sở Công thương,Sở,HD\nSCT,Trùng,Sở,HD\nX9,Xã,Xã,KHONGCO\n"
            let res = try await api.send(.POST, "/api/v1/units/import", raw: bad, contentType: .init(type: "text", subType: "csv"))
            #expect(res.status == .unprocessableEntity)
            let rows = try #require(res.json["rows"] as? [[String: Any]])
            #expect(rows.compactMap { $0["row"] as? Int } == [3, 4])
            #expect(try await UnitModel.query(on: app.db).count() == before)

            let good = "\u{FEFF}ma,ten,ten_viet_tat,loai,ma_cap_tren\nSCT,Sở Công thương,Công thương,Sở,HD\nHNS-X9,Xã Nam Hưng,,Xã,HNS\nSNV,Sở Nội vụ tỉnh,Nội vụ,Sở,HD\n"
            let dry = try await api.send(.POST, "/api/v1/units/import?dryRun=true", raw: good, contentType: .init(type: "text", subType: "csv"))
            #expect(dry.json["created"] as? Int == 2)
            #expect(dry.json["updated"] as? Int == 1)
            #expect(try await UnitModel.query(on: app.db).count() == before)
            let done = try await api.send(.POST, "/api/v1/units/import", raw: good, contentType: .init(type: "text", subType: "csv"))
            #expect(done.status == .ok)
            #expect(try await UnitModel.query(on: app.db).count() == before + 2)
            #expect(try await UnitModel.query(on: app.db).filter(\.$code == "SNV").first()?.name == "Sở Nội vụ tỉnh")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["unit.import.create", "unit.import.update"]).count() == 3)

            let latin = Data("ma,ten,loai\nX,".utf8) + Data([0x53, 0xD5]) + Data(",Sở\n".utf8)
            let enc = try await api.send(.POST, "/api/v1/units/import", bytes: latin)
            #expect(enc.status == .unprocessableEntity)
            #expect((enc.json["rows"] as? [[String: Any]])?.first?["messageVI"] as? String == "Tệp không phải mã UTF-8 (byte thứ 16 không hợp lệ; có thể là Windows-1258 hoặc TCVN3). Vui lòng lưu lại dưới dạng “CSV UTF-8”.")
        }
    }

    @Test(arguments: Engine.available)
    func nonUTF8FilesGetAClearMessageThroughTheWebForm(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
            let b = Browser(app)
            _ = try await b.login("dieuphoi")
            try await b.get("/units/import")
            let latin = Data("ma,ten,loai\nX,".utf8) + Data([0x53, 0xD5]) + Data(",Sở\n".utf8)
            let res = try await b.upload("/units/import", file: latin, filename: "donvi.csv")
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("không phải mã UTF-8"))
            let good = Data("ma,ten,loai,ma_cap_tren\nSCT,Sở Công thương,Sở,HD\n".utf8)
            let dry = try await b.upload("/units/import", file: good, filename: "donvi.csv", fields: ["dryRun": "1"])
            #expect(dry.body.string.contains("Kiểm tra xong: 1 dòng hợp lệ"))
            let real = try await b.upload("/units/import", file: good, filename: "donvi.csv")
            #expect(real.status == .seeOther)
            #expect(try await UnitModel.query(on: app.db).filter(\.$code == "SCT").count() == 1)
        }
    }

    @Test(arguments: Engine.available)
    func reportersSeeOnlyTheirOwnUnit(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            let id = try await Fixtures.user(app, "baocao.snv", roles: [(.unitReporter, p.snv)])
            let api = APIClient(app: app, token: try await Fixtures.token(app, userID: id))
            #expect(names(try await api.send(.GET, "/api/v1/units")) == ["Sở Nội vụ"])
            #expect(try await api.send(.GET, "/api/v1/units/\(p.snv)").status == .ok)
            let other = try await api.send(.GET, "/api/v1/units/\(p.syt)")
            #expect(other.status == .forbidden)
            #expect(other.json["detail"] as? String == "Bạn không có quyền truy cập chức năng hoặc dữ liệu này.")
            #expect(try await api.send(.POST, "/api/v1/units", json: ["code": "Z", "name": "Z", "kind": "Sở"]).status == .forbidden)
        }
    }

    @Test(arguments: Engine.available)
    func webFormsShowErrorsBesideTheFields(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
            let b = Browser(app)
            _ = try await b.login("dieuphoi")
            try await b.get("/units/new")
            let res = try await b.post("/units", form: ["code": "SNV", "name": "", "kind": "department", "parentCode": "HD"])
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("<p class=\"field-error\">Mã “SNV” đã được dùng cho “Sở Nội vụ”.</p>"))
            #expect(html.contains("<p class=\"field-error\">Tên đơn vị không được để trống.</p>"))
            let ok = try await b.post("/units", form: ["code": "SCT", "name": "Sở Công thương", "kind": "department", "parentCode": "HD"])
            #expect(ok.status == .seeOther)
            let list = try await b.get("/units?q=cong%20thuong")
            #expect(list.body.string.contains("Đã thêm đơn vị “Sở Công thương”."))
            #expect(list.body.string.contains("<td>Sở Công thương</td>"))
        }
    }

    // Issue #20: names that break limits or files are refused with a Vietnamese message naming the field.
    @Test(arguments: Engine.available)
    func namesThatBreakLimitsOrFilesAreRefusedOnCreateAndImport(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            let api = try await coordinator(app)
            let before = try await UnitModel.query(on: app.db).count()
            let bad = try await api.send(.POST, "/api/v1/units", json: ["code": "STP", "name": "Sở Tư pháp\u{FFFF}", "kind": "Sở",
                                                                        "shortName": "\u{202E}pháp", "parentCode": "HD"])
            #expect(bad.status == .unprocessableEntity)
            let errors = (bad.json["errors"] as? [[String: String]]) ?? []
            #expect(errors == [["field": "name", "message": "Tên đơn vị chứa ký tự không hợp lệ U+FFFF ở vị trí thứ 11; hãy xoá ký tự này."],
                               ["field": "shortName", "message": "Tên viết tắt chứa ký tự điều khiển hướng chữ U+202E ở vị trí thứ 1; hãy xoá ký tự này."]])
            let nul = try await api.send(.POST, "/api/v1/units", json: ["code": "STP", "name": "Sở\u{0}Tư pháp", "kind": "Sở", "parentCode": "HD"])
            #expect(nul.status == .unprocessableEntity)
            #expect(nul.body.string.contains("Tên đơn vị chứa ký tự điều khiển U+0000 ở vị trí thứ 3"))

            let bomb = "a" + String(repeating: "\u{0301}", count: 100_000)
            let csv = "ma,ten,loai,ma_cap_tren\nSCT,Sở Công thương,Sở,HD\nSTP,\(bomb),Sở,HD\nSXD,Sở Xây dựng\u{FFFF},Sở,HD\n"
            let res = try await api.send(.POST, "/api/v1/units/import", raw: csv, contentType: .init(type: "text", subType: "csv"))
            #expect(res.status == .unprocessableEntity)
            let rows = (res.json["rows"] as? [[String: Any]]) ?? []
            #expect(rows.map { $0["row"] as? Int } == [3, 4])
            #expect(rows.first?["messageVI"] as? String == "Tên đơn vị dài quá 255 ký tự (hiện có 100.000 ký tự).")
            #expect(rows.last?["messageVI"] as? String == "Tên đơn vị chứa ký tự không hợp lệ U+FFFF ở vị trí thứ 12; hãy xoá ký tự này.")
            #expect(try await UnitModel.query(on: app.db).count() == before)

            // Decomposed input is stored composed (NFC), so search, sort and limits see one form.
            let nfd = "Sở Tài chính".decomposedStringWithCanonicalMapping
            let ok = try await api.send(.POST, "/api/v1/units", json: ["code": "STC", "name": nfd, "kind": "Sở", "parentCode": "HD"])
            #expect(ok.status == .created)
            let stored = try await UnitModel.query(on: app.db).filter(\.$code == "STC").first()
            #expect(stored.map { Array($0.name.utf8) } == Array("Sở Tài chính".precomposedStringWithCanonicalMapping.utf8))
        }
    }

    // Issue #20: the import is written in multi-row statements, level by level, still all or nothing.
    @Test(arguments: Engine.available)
    func aLargeImportIsWrittenInBatchesParentsFirstWithOneAuditLinePerUnit(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            let api = try await coordinator(app)
            let before = try await UnitModel.query(on: app.db).count()
            // Children listed before their parents, more rows than one batch, an update that re-parents
            // a stored unit under a new one, and a stored unit renamed.
            var lines = ["ma,ten,ten_viet_tat,loai,ma_cap_tren"]
            for d in 1...3 { for c in 1...300 { lines.append("H\(d)-X\(c),Xã \(c) huyện \(d),,Xã,H\(d)") } }
            for d in 1...3 { lines.append("H\(d),Huyện \(d),,Huyện,HD") }
            lines.append("HNS-X1,Thị trấn Nam Sách (mới),,Xã,H2")
            lines.append("SNV,Sở Nội vụ tỉnh,Nội vụ,Sở,HD")
            let csv = lines.joined(separator: "\n") + "\n"
            let res = try await api.send(.POST, "/api/v1/units/import", raw: csv, contentType: .init(type: "text", subType: "csv"))
            #expect(res.status == .ok, "\(res.body.string.prefix(500))")
            #expect(res.json["created"] as? Int == 903)
            #expect(res.json["updated"] as? Int == 2)
            #expect(try await UnitModel.query(on: app.db).count() == before + 903)
            let all = try await UnitModel.query(on: app.db).all()
            let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
            let x = try #require(byCode["H3-X300"])
            #expect(x.$parent.id == byCode["H3"]?.id)
            #expect(x.name == "Xã 300 huyện 3")
            #expect(x.searchText == VietnameseText.fold("H3-X300 Xã 300 huyện 3 "))
            #expect(x.createdAt != nil)
            let moved = try #require(byCode["HNS-X1"])
            #expect(moved.$parent.id == byCode["H2"]?.id)
            #expect(moved.name == "Thị trấn Nam Sách (mới)")
            #expect(byCode["SNV"]?.shortName == "Nội vụ")
            #expect(byCode["SNV"]?.sortKey == VietnameseText.sortKeyString("Sở Nội vụ tỉnh"))
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["unit.import.create", "unit.import.update"]).all()
            #expect(audit.count == 905)
            let snvLine = try #require(audit.first { $0.entityID == "SNV" })
            #expect(snvLine.action == "unit.import.update")
            #expect(snvLine.before?.contains("\"name\":\"Sở Nội vụ\"") == true)
            #expect(snvLine.after?.contains("\"name\":\"Sở Nội vụ tỉnh\"") == true)
            #expect(snvLine.reason == "Nhập từ tệp CSV (dòng 906)")
            #expect(snvLine.actorName == "dieuphoi")
            #expect(audit.first { $0.entityID == "H1-X1" }?.unitID == byCode["H1-X1"]?.id)
        }
    }
}
