import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Unit CSV import messages that say what is wrong (issue #20, point 3), as the API gives them.
@Suite struct UnitImportMessagesTests {
    func coordinator(_ app: Application) async throws -> APIClient {
        let id = try await Fixtures.user(app, "dieuphoi", roles: [(.coordinator, nil)])
        return APIClient(app: app, token: try await Fixtures.token(app, userID: id))
    }

    func messages(_ res: TestingHTTPResponse) -> [String] {
        ((res.json["rows"] as? [[String: Any]]) ?? []).compactMap { $0["messageVI"] as? String }
    }

    @Test(arguments: Engine.available)
    func wrongFilesAreNamedForWhatTheyAre(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            _ = try await Fixtures.province(app)
            let api = try await coordinator(app)
            let xlsx = try HostileImportTests.workbook(#"<row r="1"><c r="A1" t="inlineStr"><is><t>ma</t></is></c></row>"#)
            let book = try await api.send(.POST, "/api/v1/units/import", bytes: xlsx)
            #expect(book.status == .unprocessableEntity)
            #expect(messages(book).first?.hasPrefix("Tệp là bảng tính Excel (.xlsx), không phải CSV: ") == true, "\(book.body.string)")

            let utf16 = try #require("ma,ten,loai\nSCT,Sở Công thương,Sở\n".data(using: .utf16LittleEndian))
            let wide = try await api.send(.POST, "/api/v1/units/import", bytes: utf16)
            #expect(messages(wide).first?.contains("UTF-16") == true, "\(wide.body.string)")

            let short = "ma,ten,ten_viet_tat,loai,ma_cap_tren,hoat_dong\nSCT,Sở Công thương,,Sở,HD,Có\nSXD,Sở Xây dựng,,Sở\n"
            let res = try await api.send(.POST, "/api/v1/units/import?dryRun=true", raw: short, contentType: .init(type: "text", subType: "csv"))
            #expect(res.status == .unprocessableEntity)
            let rows = try #require(res.json["rows"] as? [[String: Any]])
            #expect(rows.first?["row"] as? Int == 3)
            #expect(messages(res) == ["Thiếu 2 cột so với dòng tiêu đề (có 4, cần 6)."])

            let titled = "DANH SÁCH ĐƠN VỊ,,,\nma,ten,loai,ma_cap_tren\nSCT,Sở Công thương,Sở,HD\n"
            let t = try await api.send(.POST, "/api/v1/units/import?dryRun=true", raw: titled, contentType: .init(type: "text", subType: "csv"))
            #expect(messages(t).first?.contains("tiêu đề cột nằm ở dòng 2") == true, "\(t.body.string)")
        }
    }
}
