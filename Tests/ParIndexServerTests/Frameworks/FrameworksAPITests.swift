import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct FrameworksAPITests {
    func nodes(_ res: TestingHTTPResponse) -> [String: [String: Any]] {
        let list = (res.json["nodes"] as? [[String: Any]]) ?? []
        return Dictionary(list.map { ($0["code"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test(arguments: Engine.available)
    func uploadShowListAndExportTheDepartmentFramework(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let api = try await FrameworkFixtures.coordinator(app)
            let source = try FrameworkFixtures.source()
            let created = try await api.send(.POST, "/api/v1/frameworks?reason=B%E1%BB%99%20ch%E1%BB%89%20s%E1%BB%91%202022",
                                             raw: source, contentType: FrameworkFixtures.yaml)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers.first(name: .location) == "/api/v1/frameworks/\(id)")
            #expect(created.json["status"] as? String == "draft")
            #expect(created.json["unitKind"] as? String == "department")
            #expect(created.json["version"] as? String == "2022.1")
            #expect(created.json["totalMaxPointsText"] as? String == "100")
            #expect(created.json["sha256"] as? String == FrameworkVersionModel.sha256(source))

            let shown = try await api.send(.GET, "/api/v1/frameworks/\(id)")
            #expect(shown.status == .ok)
            let tree = nodes(shown)
            #expect(tree["1"]?["maxPointsText"] as? String == "14,5")
            #expect(tree["1"]?["depth"] as? Int == 0)
            #expect(tree["1"]?["method"] == nil || tree["1"]?["method"] is NSNull)
            #expect(tree["1.1.1"]?["depth"] as? Int == 2)
            #expect(tree["1.1.1"]?["parentCode"] as? String == "1.1")
            #expect(tree["1.1.1"]?["methodName"] as? String == "Chọn mức")
            #expect(tree["1.1.1"]?["ruleText"] as? String == "Ban hành đúng hạn: 1 điểm; Ban hành chậm: 0,5 điểm; Không ban hành: 0 điểm.")
            #expect(tree["1.1.2"]?["ruleText"] as? String == "Có: 1 điểm; Không: 0 điểm.")
            let composition = (shown.json["composition"] as? [[String: Any]]) ?? []
            #expect(composition.compactMap { $0["pointsText"] as? String } == ["71,5", "18,5", "10"])

            let exported = try await api.send(.GET, "/api/v1/frameworks/\(id)/export")
            #expect(exported.status == .ok)
            #expect(exported.body.string == source)
            #expect(exported.headers.contentType?.subType == "yaml")
            #expect(exported.headers.first(name: .contentDisposition) == "attachment; filename=\"hai-duong-department-2022.1.yaml\"")

            // The district file through the JSON door.
            let district = try await api.send(.POST, "/api/v1/frameworks",
                                              json: ["yaml": try FrameworkFixtures.source("hai-duong-district-2022.yaml")])
            #expect(district.status == .created)
            let list = try await api.send(.GET, "/api/v1/frameworks?per=1")
            #expect((list.json["metadata"] as? [String: Any])?["total"] as? Int == 2)
            #expect(((list.json["items"] as? [[String: Any]]) ?? []).count == 1)

            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "framework").sort(\.$at).all()
            #expect(audit.map(\.action) == ["framework.upload", "framework.upload"])
            #expect(audit[0].entityID == "department/2022/2022.1")
            #expect(audit[0].reason == "Bộ chỉ số 2022")
            #expect(audit[0].before == nil)
            #expect(audit[0].after?.contains("\"sha256\":\"\(FrameworkVersionModel.sha256(source))\"") == true)
            #expect(audit.allSatisfy { $0.actorName == "dieuphoi" })
        }
    }

    @Test(arguments: Engine.available)
    func invalidFilesListEveryErrorWithLineAndNodeAndStoreNothing(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let api = try await FrameworkFixtures.coordinator(app)
            let broken = try await api.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.broken(),
                                            contentType: FrameworkFixtures.yaml)
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.problemCode == "framework.invalid")
            #expect(broken.json["detail"] as? String == "Bộ chỉ số có 3 lỗi; chưa có gì được lưu. Vui lòng sửa tệp theo danh sách lỗi và tải lên lại.")
            let errors = broken.frameworkErrors
            #expect(errors.compactMap { $0["code"] as? String }
                    == ["framework.children_do_not_sum", "framework.duplicate_code", "framework.method_cannot_reach_max"])
            let duplicate = try #require(errors.first { $0["code"] as? String == "framework.duplicate_code" })
            #expect(duplicate["line"] as? Int == 50)
            #expect(duplicate["nodeCode"] as? String == "1.1.1")
            #expect(duplicate["fieldCode"] as? String == "1")
            #expect(duplicate["message"] as? String == "Dòng 50, tiêu chí 1.1.1 (lĩnh vực 1): Mã '1.1.1' bị trùng (đã dùng ở dòng 39).")
            let sum = try #require(errors.first { $0["code"] as? String == "framework.children_do_not_sum" })
            #expect(sum["line"] as? Int == 35)
            #expect(sum["nodeCode"] as? String == "1.1")
            #expect(sum["message"] as? String == "Dòng 35, tiêu chí 1.1 (lĩnh vực 1): Tổng điểm tối đa của các tiêu chí con là 4, khác điểm tối đa 3 của tiêu chí.")

            let malformed = try await api.send(.POST, "/api/v1/frameworks", json: ["yaml": "id: x\ntitle: [chưa đóng\nyear: 2022\n"])
            #expect(malformed.status == .unprocessableEntity)
            #expect(malformed.problemCode == "framework.invalid")
            let m = try #require(malformed.frameworkErrors.first)
            #expect(m["code"] as? String == "framework.malformed_yaml")
            #expect(m["line"] as? Int != nil)
            #expect((m["message"] as? String)?.contains("Tệp YAML không hợp lệ") == true)

            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try #require(api.token))
            headers.contentType = FrameworkFixtures.yaml
            let latin1 = Data("id: x\ntitle: S".utf8) + Data([0xD5]) + Data("\n".utf8)
            let notUTF8 = try await app.testing().sendRequest(.POST, "/api/v1/frameworks", headers: headers, body: ByteBuffer(data: latin1))
            #expect(notUTF8.status == .unprocessableEntity)
            #expect((notUTF8.frameworkErrors.first?["message"] as? String)?.contains("không phải mã UTF-8") == true)
            #expect(try await api.send(.POST, "/api/v1/frameworks", json: [:]).status == .badRequest)
            #expect(try await api.send(.POST, "/api/v1/frameworks", raw: "x", contentType: .png).status == .unsupportedMediaType)

            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$entity == "framework").count() == 0)
        }
    }

    @Test(arguments: Engine.available)
    func reuploadingADraftReplacesIt(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let api = try await FrameworkFixtures.coordinator(app)
            let source = try FrameworkFixtures.source()
            let first = try await api.send(.POST, "/api/v1/frameworks", raw: source, contentType: FrameworkFixtures.yaml)
            let id = try #require(first.json["id"] as? String)
            let retitled = source.replacingOccurrences(of: "title: Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh",
                                                       with: "title: Bộ chỉ số CCHC các sở, ban, ngành (sửa)")
            let second = try await api.send(.POST, "/api/v1/frameworks", json: ["yaml": retitled, "reason": "Sửa tên"])
            #expect(second.status == .ok)
            #expect(second.json["id"] as? String == id)
            #expect(second.json["title"] as? String == "Bộ chỉ số CCHC các sở, ban, ngành (sửa)")
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 1)
            #expect(try await api.send(.GET, "/api/v1/frameworks/\(id)/export").body.string == retitled)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "framework").sort(\.$at).all()
            #expect(audit.map(\.action) == ["framework.upload", "framework.replace"])
            #expect(audit[1].before?.contains("Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh") == true)
            #expect(audit[1].after?.contains("(sửa)") == true)
            #expect(audit[1].reason == "Sửa tên")
        }
    }

    @Test(arguments: Engine.available)
    func aPublishedVersionIsFrozen(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let api = try await FrameworkFixtures.coordinator(app)
            let source = try FrameworkFixtures.source()
            let id = try #require(try await api.send(.POST, "/api/v1/frameworks", raw: source, contentType: FrameworkFixtures.yaml)
                .json["id"] as? String)
            let noReason = try await api.send(.POST, "/api/v1/frameworks/\(id)/publish", json: [:])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.problemCode == "validation")
            let published = try await api.send(.POST, "/api/v1/frameworks/\(id)/publish", json: ["reason": "QĐ 3396/QĐ-UBND"])
            #expect(published.status == .ok)
            #expect(published.json["status"] as? String == "published")
            #expect(published.json["publishedBy"] as? String == "dieuphoi")
            let stored = try #require(try await FrameworkVersionModel.query(on: app.db).first())
            let publishedAt = stored.publishedAt

            let changed = source.replacingOccurrences(of: "title: Ban hành kế hoạch CCHC năm của cơ quan", with: "title: Khác")
            let reupload = try await api.send(.POST, "/api/v1/frameworks", raw: changed, contentType: FrameworkFixtures.yaml)
            #expect(reupload.status == .conflict)
            #expect(reupload.problemCode == "conflict")
            let detail = try #require(reupload.json["detail"] as? String)
            #expect(detail.hasPrefix("Bộ chỉ số “Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh” năm 2022, phiên bản 2022.1 đã được công bố ngày "))
            #expect(detail.contains("không thể thay thế"))
            let delete = try await api.send(.DELETE, "/api/v1/frameworks/\(id)")
            #expect(delete.status == .conflict)
            #expect((delete.json["detail"] as? String)?.contains("không thể xóa") == true)
            let again = try await api.send(.POST, "/api/v1/frameworks/\(id)/publish", json: ["reason": "Lần nữa"])
            #expect(again.status == .conflict)
            #expect((again.json["detail"] as? String)?.contains("không thể công bố lại") == true)

            let after = try #require(try await FrameworkVersionModel.query(on: app.db).all().first)
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 1)
            #expect(after.yaml == source)
            #expect(after.sha256 == FrameworkVersionModel.sha256(source))
            #expect(after.publishedAt == publishedAt)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "framework").sort(\.$at).all()
            #expect(audit.map(\.action) == ["framework.upload", "framework.publish"])
            #expect(audit[1].reason == "QĐ 3396/QĐ-UBND")
            #expect(audit[1].before?.contains("\"status\":\"draft\"") == true)
            #expect(audit[1].after?.contains("\"status\":\"published\"") == true)

            // A new version next to the published one is a draft like any other, and can be deleted.
            let next = try await api.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.revised(), contentType: FrameworkFixtures.yaml)
            #expect(next.status == .created)
            let nextID = try #require(next.json["id"] as? String)
            #expect(try await api.send(.DELETE, "/api/v1/frameworks/\(nextID)?reason=Nh%E1%BA%A7m").status == .noContent)
            #expect(try await api.send(.GET, "/api/v1/frameworks/\(nextID)").status == .notFound)
            let deleted = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "framework.delete").first())
            #expect(deleted.entityID == "department/2022/2022.2")
            #expect(deleted.reason == "Nhầm")
            #expect(deleted.after == nil)
            #expect(deleted.before?.contains("\"version\":\"2022.2\"") == true)
        }
    }

    @Test(arguments: Engine.available)
    func diffListsWhatChangedBetweenTwoVersions(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let api = try await FrameworkFixtures.coordinator(app)
            let old = try #require(try await api.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.source(),
                                                      contentType: FrameworkFixtures.yaml).json["id"] as? String)
            let new = try #require(try await api.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.revised(),
                                                      contentType: FrameworkFixtures.yaml).json["id"] as? String)
            let diff = try await api.send(.GET, "/api/v1/frameworks/\(new)/diff?against=\(old)")
            #expect(diff.status == .ok)
            let changes = (diff.json["changes"] as? [[String: Any]]) ?? []
            #expect(changes.count == 1)
            #expect(changes.first?["type"] as? String == "renamed")
            #expect(changes.first?["code"] as? String == "1.1.1")
            #expect(changes.first?["description"] as? String
                    == "~ Đổi tên 1.1.1: \"Ban hành kế hoạch CCHC năm của cơ quan\" → \"Ban hành kế hoạch CCHC năm\"")
            #expect((diff.json["from"] as? [String: Any])?["version"] as? String == "2022.1")
            #expect((diff.json["to"] as? [String: Any])?["version"] as? String == "2022.2")
            let same = try await api.send(.GET, "/api/v1/frameworks/\(old)/diff?against=\(old)")
            #expect((same.json["changes"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.GET, "/api/v1/frameworks/\(new)/diff").status == .badRequest)
            #expect(try await api.send(.GET, "/api/v1/frameworks/\(new)/diff?against=\(UUID())").status == .notFound)
        }
    }

    @Test(arguments: Engine.available)
    func unitReportersReadButCannotChangeFrameworks(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            let coordinator = try await FrameworkFixtures.coordinator(app)
            let id = try #require(try await coordinator.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.source(),
                                                             contentType: FrameworkFixtures.yaml).json["id"] as? String)
            let reporterID = try await Fixtures.user(app, "baocao.snv", roles: [(.unitReporter, p.snv)])
            let reporter = APIClient(app: app, token: try await Fixtures.token(app, userID: reporterID))
            #expect(try await reporter.send(.GET, "/api/v1/frameworks").status == .ok)
            #expect(try await reporter.send(.GET, "/api/v1/frameworks/\(id)").status == .ok)
            #expect(try await reporter.send(.GET, "/api/v1/frameworks/\(id)/export").status == .ok)
            let upload = try await reporter.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.revised(),
                                                 contentType: FrameworkFixtures.yaml)
            #expect(upload.status == .forbidden)
            #expect(upload.json["detail"] as? String == "Bạn không có quyền truy cập chức năng hoặc dữ liệu này.")
            #expect(try await reporter.send(.POST, "/api/v1/frameworks/\(id)/publish", json: ["reason": "x"]).status == .forbidden)
            #expect(try await reporter.send(.DELETE, "/api/v1/frameworks/\(id)").status == .forbidden)
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 1)
            #expect(try await FrameworkVersionModel.query(on: app.db).first()?.status == "draft")

            let publicID = try await Fixtures.user(app, "congchung", roles: [(.public, nil)])
            let citizen = APIClient(app: app, token: try await Fixtures.token(app, userID: publicID))
            #expect(try await citizen.send(.GET, "/api/v1/frameworks").status == .forbidden)
        }
    }
}
