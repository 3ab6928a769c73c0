import Fluent
import ParIndexCore
import Vapor

/// The start page: what the user can do, by role.
struct HomeController {
    func register(_ web: GuardedRoutes) {
        web.get(permission: .authenticated, use: home)
    }

    struct HomePage: Encodable, Sendable {
        var page: PageContext
        var unitCount: String
        var activeUnitCount: String
        var userCount: String?
        var mustChangePassword: Bool
        /// Periodic reports to hand in or decide on (issue #14).
        var reports: [ReportTodoDTO]
    }

    @Sendable func home(req: Request) async throws -> View {
        let user = try req.requireUser()
        let visible = try await req.context.unitsVisible(for: .unitsRead)
        var units = UnitModel.query(on: req.db)
        if let visible { units = units.filter(\.$id ~~ Array(visible)) }
        let total = try await units.count()
        let active = try await units.filter(\.$active == true).count()
        let users = user.policy.allowsSomewhere(.usersRead) ? try await UserModel.query(on: req.db).count() : nil
        return try await req.view.render("home", HomePage(page: PageContext(req, title: "Trang chủ"),
                                                          unitCount: VietnameseNumber.format(total),
                                                          activeUnitCount: VietnameseNumber.format(active),
                                                          userCount: users.map(VietnameseNumber.format),
                                                          mustChangePassword: user.mustChangePassword,
                                                          reports: user.policy.allowsSomewhere(.reportsRead)
                                                              ? try await ReportingService(request: req).todo() : []))
    }
}
