import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

@Suite struct FrameworksWebTests {
    func coordinatorBrowser(_ app: Application) async throws -> Browser {
        try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
        let b = Browser(app)
        #expect(try await b.login("dieuphoi").status == .seeOther)
        return b
    }

    func location(_ res: TestingHTTPResponse) -> String { res.headers.first(name: .location) ?? "" }

    @Test(arguments: Engine.available)
    func uploadReviewPublishThroughThePages(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let b = try await coordinatorBrowser(app)
            let index = try await b.get("/frameworks")
            #expect(index.status == .ok)
            #expect(index.body.string.contains("<a href=\"/frameworks\" class=\"active\" aria-current=\"page\">Bộ chỉ số</a>"))
            #expect(index.body.string.contains("Tải lên bản nháp"))

            let source = try FrameworkFixtures.source()
            let uploaded = try await b.upload("/frameworks", file: Data(source.utf8), filename: "so-2022.yaml",
                                              fields: ["reason": "Dự thảo"])
            #expect(uploaded.status == .seeOther)
            let path = location(uploaded)
            #expect(path.hasPrefix("/frameworks/"))
            let stored = try #require(try await FrameworkVersionModel.query(on: app.db).first())
            #expect(stored.yaml == source)
            #expect(path == "/frameworks/\(stored.id!)")

            let show = try await b.get(path)
            #expect(show.status == .ok)
            let html = show.body.string
            #expect(html.contains("Đã tải lên bản nháp “Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh” năm 2022, phiên bản 2022.1."))
            #expect(html.contains("<td class=\"depth-2\">Ban hành kế hoạch CCHC năm của cơ quan"))
            #expect(html.contains("<small>Ban hành đúng hạn: 1 điểm; Ban hành chậm: 0,5 điểm; Không ban hành: 0 điểm.</small>"))
            #expect(html.contains("<td class=\"num\">14,5</td>"))
            #expect(html.contains("action=\"/frameworks/\(stored.id!)/publish\""))
            #expect(html.contains("href=\"/frameworks/\(stored.id!)/export\""))
            #expect(html.contains("<small class=\"muted\">Tài liệu kiểm chứng: Báo cáo kết quả thực hiện kế hoạch CCHC năm</small>"))
            #expect(!html.contains("<small class=\"muted\"></small>"))
            #expect(!html.contains("style="))

            let export = try await b.get(path + "/export")
            #expect(export.body.string == source)
            #expect(export.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)

            // A pasted revision, then the comparison page.
            try await b.get("/frameworks")
            let pasted = try await b.upload("/frameworks", file: Data(), filename: "",
                                            fields: ["yaml": try FrameworkFixtures.revised()])
            #expect(pasted.status == .seeOther)
            let revised = location(pasted)
            let revisedPage = try await b.get(revised)
            #expect(revisedPage.body.string.contains("<option value=\"\(stored.id!)\">"))
            let diff = try await b.get(revised + "/diff?against=\(stored.id!)")
            #expect(diff.status == .ok)
            #expect(diff.body.string.contains("<li class=\"change-renamed\">~ Đổi tên 1.1.1: &quot;Ban hành kế hoạch CCHC năm của cơ quan&quot; → &quot;Ban hành kế hoạch CCHC năm&quot;</li>"))

            try await b.get(path)
            let noReason = try await b.post(path + "/publish", form: ["reason": " "])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("<p class=\"field-error\">Vui lòng nêu lý do công bố"))
            let published = try await b.post(path + "/publish", form: ["reason": "Quyết định số 3396/QĐ-UBND"])
            #expect(published.status == .seeOther)
            let frozen = try await b.get(path)
            #expect(frozen.body.string.contains("Đã công bố bộ chỉ số"))
            #expect(!frozen.body.string.contains("action=\"\(path)/publish\""))
            #expect(!frozen.body.string.contains("action=\"\(path)/delete\""))

            let delete = try await b.post(path + "/delete", form: ["reason": "thử"])
            #expect(delete.status == .conflict)
            #expect(delete.body.string.contains("đã được công bố ngày"))
            #expect(delete.body.string.contains("không thể xóa"))
            try await b.get("/frameworks")
            let reupload = try await b.upload("/frameworks", file: Data(source.utf8), filename: "so-2022.yaml")
            #expect(reupload.status == .conflict)
            #expect(reupload.body.string.contains("không thể thay thế"))
            #expect(try await FrameworkVersionModel.query(on: app.db).filter(\.$status == "published").count() == 1)

            // The draft revision can go.
            try await b.get(revised)
            let gone = try await b.post(revised + "/delete", form: ["reason": "Nhầm"])
            #expect(gone.status == .seeOther)
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 1)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "framework").sort(\.$at).all()
            #expect(audit.map(\.action) == ["framework.upload", "framework.upload", "framework.publish", "framework.delete"])
            #expect(audit[0].reason == "Dự thảo")
        }
    }

    @Test(arguments: Engine.available)
    func theUploadFormListsEveryErrorWithItsLine(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let b = try await coordinatorBrowser(app)
            try await b.get("/frameworks")
            let broken = try FrameworkFixtures.broken()
            let res = try await b.upload("/frameworks", file: Data(), filename: "", fields: ["yaml": broken])
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("Bộ chỉ số có 3 lỗi; chưa có gì được lưu."))
            #expect(html.contains("<li>Dòng 35, tiêu chí 1.1 (lĩnh vực 1): Tổng điểm tối đa của các tiêu chí con là 4, khác điểm tối đa 3 của tiêu chí.</li>"))
            #expect(html.contains("<li>Dòng 50, tiêu chí 1.1.1 (lĩnh vực 1): Mã &#39;1.1.1&#39; bị trùng (đã dùng ở dòng 39).</li>")
                    || html.contains("<li>Dòng 50, tiêu chí 1.1.1 (lĩnh vực 1): Mã '1.1.1' bị trùng (đã dùng ở dòng 39).</li>"))
            #expect(html.contains("<li>Dòng 61, tiêu chí 1.1.3 (lĩnh vực 1): Phương pháp chấm chỉ đạt tối đa 1 điểm"))
            // The pasted text comes back for fixing.
            #expect(html.contains("code: &quot;1.1.3&quot;"))
            let empty = try await b.upload("/frameworks", file: Data(), filename: "")
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Chọn tệp YAML của bộ chỉ số hoặc dán nội dung tệp"))
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: Engine.available)
    func unitReportersSeeFrameworksWithoutManagementForms(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let p = try await Fixtures.province(app)
            let api = try await FrameworkFixtures.coordinator(app, "dieuphoi2")
            let id = try #require(try await api.send(.POST, "/api/v1/frameworks", raw: try FrameworkFixtures.source(),
                                                     contentType: FrameworkFixtures.yaml).json["id"] as? String)
            try await Fixtures.user(app, "baocao.snv", roles: [(.unitReporter, p.snv)])
            let b = Browser(app)
            _ = try await b.login("baocao.snv")
            let index = try await b.get("/frameworks")
            #expect(index.status == .ok)
            #expect(index.body.string.contains("href=\"/frameworks/\(id)\""))
            #expect(!index.body.string.contains("Tải lên bản nháp"))
            let show = try await b.get("/frameworks/\(id)")
            #expect(show.status == .ok)
            #expect(show.body.string.contains("Có: 1 điểm; Không: 0 điểm."))
            #expect(!show.body.string.contains("/publish"))
            let upload = try await b.upload("/frameworks", file: Data(try FrameworkFixtures.revised().utf8), filename: "x.yaml")
            #expect(upload.status == .forbidden)
            #expect(try await b.post("/frameworks/\(id)/publish", form: ["reason": "x"]).status == .forbidden)
            #expect(try await b.post("/frameworks/\(id)/delete").status == .forbidden)
            #expect(try await FrameworkVersionModel.query(on: app.db).count() == 1)
        }
    }
}
