import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The units pages: list with search, create/edit forms with errors beside fields,
/// deactivate/activate, CSV import with a dry run.
struct UnitsWebController {
    func register(_ web: GuardedRoutes) {
        let units = web.grouped("units")
        units.get(permission: .unitsRead, use: index)
        units.get("new", permission: .unitsManage, use: newForm)
        units.post(permission: .unitsManage, use: create)
        units.get("import", permission: .unitsManage, use: importForm)
        units.on(.POST, "import", permission: .unitsManage, body: .collect(maxSize: "20mb"), use: importCSV)
        units.get(":unitID", "edit", permission: .unitsManage, use: editForm)
        units.post(":unitID", permission: .unitsManage, use: update)
        units.post(":unitID", "deactivate", permission: .unitsManage, use: deactivate)
        units.post(":unitID", "activate", permission: .unitsManage, use: activate)
    }

    struct IndexPage: Encodable, Sendable {
        var page: PageContext
        var units: [UnitDTO]
        var filter: UnitFilter
        var kinds: [KindOption]
        var canManage: Bool
        var pageNumber: Int
        var pageCount: Int
        var total: String
        var prevQuery: String?
        var nextQuery: String?
    }

    struct KindOption: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    static func kindOptions(selected: String?) -> [KindOption] {
        UnitKind.allCases.map { KindOption(value: $0.rawValue, label: $0.labelVI, selected: $0.rawValue == selected) }
    }

    @Sendable func index(req: Request) async throws -> View {
        let filter = try req.query.decode(UnitFilter.self)
        let pageReq = try req.pageRequest()
        let result = try await UnitService(request: req).list(filter, restrictTo: try await req.context.unitsVisible(for: .unitsRead),
                                                              page: pageReq)
        let m = result.metadata
        func query(_ page: Int) -> String {
            var items = [URLQueryItem(name: "page", value: String(page))]
            if let q = filter.q { items.append(.init(name: "q", value: q)) }
            if let k = filter.kind { items.append(.init(name: "kind", value: k)) }
            var c = URLComponents(); c.queryItems = items
            return c.percentEncodedQuery ?? ""
        }
        let user = try req.requireUser()
        return try await req.view.render("units/index", IndexPage(
            page: PageContext(req, title: "Đơn vị"), units: result.items, filter: filter,
            kinds: Self.kindOptions(selected: filter.kind), canManage: user.policy.allowsSomewhere(.unitsManage),
            pageNumber: m.page, pageCount: max(1, m.pageCount), total: VietnameseNumber.format(m.total),
            prevQuery: m.page > 1 ? query(m.page - 1) : nil, nextQuery: m.page < m.pageCount ? query(m.page + 1) : nil))
    }

    struct FormPage: Encodable, Sendable {
        var page: PageContext
        var unit: UnitInput
        var unitId: UUID?
        var kinds: [KindOption]
        var errors: FormErrors
        var active: Bool
    }

    @Sendable func newForm(req: Request) async throws -> View {
        try await req.view.render("units/form", FormPage(page: PageContext(req, title: "Thêm đơn vị"), unit: UnitInput(),
                                                         unitId: nil, kinds: Self.kindOptions(selected: nil),
                                                         errors: FormErrors(), active: true))
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let id = try req.parameters.require("unitID", as: UUID.self)
        let svc = UnitService(request: req)
        let dto = try await svc.dto(try await svc.find(id))
        let input = UnitInput(code: dto.code, name: dto.name, shortName: dto.shortName, kind: dto.kind,
                              parentCode: dto.parentCode, active: dto.active)
        return try await req.view.render("units/form", FormPage(page: PageContext(req, title: "Sửa đơn vị \(dto.name)"),
                                                                unit: input, unitId: id,
                                                                kinds: Self.kindOptions(selected: dto.kind),
                                                                errors: FormErrors(), active: dto.active))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UnitInput.self)
        do {
            let unit = try await UnitService(request: req).create(input.draft(), reason: input.reason)
            req.flash(.success, "Đã thêm đơn vị “\(unit.name)”.")
            return req.redirect(to: "/units?q=\(unit.code)")
        } catch where FormErrors.isUserError(error) {
            return try await rerender(req, input, id: nil, error)
        }
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try req.parameters.require("unitID", as: UUID.self)
        var input = try req.content.decode(UnitInput.self)
        if input.parentCode == nil { input.parentCode = "" }
        do {
            let current = try await UnitService(request: req).find(id)
            let draft = input.draft(defaults: current, parentCode: nil)
            let unit = try await UnitService(request: req).update(id, draft, reason: input.reason)
            req.flash(.success, "Đã lưu đơn vị “\(unit.name)”.")
            return req.redirect(to: "/units?q=\(unit.code)")
        } catch where FormErrors.isUserError(error) {
            return try await rerender(req, input, id: id, error)
        }
    }

    private func rerender(_ req: Request, _ input: UnitInput, id: UUID?, _ error: any Error) async throws -> Response {
        let page = FormPage(page: PageContext(req, title: id == nil ? "Thêm đơn vị" : "Sửa đơn vị"), unit: input, unitId: id,
                            kinds: Self.kindOptions(selected: input.kind), errors: FormErrors(error),
                            active: input.active ?? true)
        let response = try await req.view.render("units/form", page).encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }

    @Sendable func deactivate(req: Request) async throws -> Response { try await setActive(req, false) }
    @Sendable func activate(req: Request) async throws -> Response { try await setActive(req, true) }

    private func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let id = try req.parameters.require("unitID", as: UUID.self)
        let reason = try req.optionalBodyField("reason")
        let unit = try await UnitService(request: req).setActive(id, active, reason: reason)
        req.flash(.success, active ? "Đã kích hoạt lại “\(unit.name)”." : "Đã ngừng hoạt động “\(unit.name)”.")
        return req.redirect(to: "/units?q=\(unit.code)")
    }

    struct ImportPage: Encodable, Sendable {
        var page: PageContext
        var errors: [String]
        var summary: String?
    }

    @Sendable func importForm(req: Request) async throws -> View {
        try await req.view.render("units/import", ImportPage(page: PageContext(req, title: "Nhập đơn vị từ CSV"), errors: []))
    }

    struct ImportUpload: Content {
        var file: File
        var dryRun: String?
    }

    @Sendable func importCSV(req: Request) async throws -> Response {
        let upload = try req.content.decode(ImportUpload.self)
        let dryRun = upload.dryRun != nil
        do {
            let s = try await UnitService(request: req).importCSV(Data(buffer: upload.file.data), dryRun: dryRun)
            let text = dryRun
                ? "Kiểm tra xong: \(s.rows) dòng hợp lệ (\(s.created) đơn vị mới, \(s.updated) cập nhật). Chưa có gì được lưu."
                : "Đã nhập \(s.rows) dòng: \(s.created) đơn vị mới, \(s.updated) cập nhật."
            if dryRun {
                return try await req.view.render("units/import", ImportPage(page: PageContext(req, title: "Nhập đơn vị từ CSV"),
                                                                            errors: [], summary: text)).encodeResponse(for: req)
            }
            req.flash(.success, text)
            return req.redirect(to: "/units")
        } catch let AppError.importFailed(rows) {
            let page = ImportPage(page: PageContext(req, title: "Nhập đơn vị từ CSV"),
                                  errors: [ImportErrors(rows: rows).messageVI] + ImportErrors(rows: rows).listed.map(\.displayVI))
            let response = try await req.view.render("units/import", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
