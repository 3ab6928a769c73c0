import Foundation
import ParIndexCore
import Vapor

/// What every page's layout needs: the user, the navigation their roles allow, flash
/// messages and the CSRF token for forms. Built once per page render.
struct PageContext: Encodable, Sendable {
    struct NavItem: Encodable, Sendable {
        var href: String
        var label: String
        var active: Bool
    }

    struct Flash: Codable, Sendable {
        var kind: String
        var message: String
    }

    var title: String
    var user: UserSummary?
    var nav: [NavItem]
    var flashes: [Flash]
    var csrf: String
    var requestId: String?
    var unread: Int

    struct UserSummary: Encodable, Sendable {
        var username: String
        var fullName: String
        var roles: String
    }

    init(_ req: Request, title: String = "ParIndex") {
        self.title = title
        let user = req.currentUser
        self.user = user.map {
            UserSummary(username: $0.username, fullName: $0.fullName,
                        roles: $0.roles.sorted().map(\.labelVI).joined(separator: ", "))
        }
        let path = req.url.path
        self.nav = Self.navigation(for: user).map { NavItem(href: $0.0, label: $0.1, active: path.hasPrefix($0.0) && $0.0 != "/" || path == $0.0) }
        self.flashes = req.takeFlashes()
        // Free for a visitor who is not signed in (a cookie, no session row: issue #19), so every
        // page's forms get one, including a login form re-rendered after a wrong password.
        self.csrf = req.csrfToken
        self.requestId = req.headers.first(name: .xRequestId)
        self.unread = req.unreadNotifications
    }

    /// Menu entries by permission, so a menu never offers a page the server would refuse.
    static func navigation(for user: CurrentUser?) -> [(String, String)] {
        guard let user else { return [("/public", "Kết quả công bố"), ("/login", "Đăng nhập")] }
        var items: [(String, String)] = [("/", "Trang chủ")]
        let p = user.policy
        if p.allowsSomewhere(.unitsRead) { items.append(("/units", "Đơn vị")) }
        if p.allowsSomewhere(.frameworksRead) { items.append(("/frameworks", "Bộ chỉ số")) }
        if p.allowsSomewhere(.assessmentsRead) { items.append(("/campaigns", "Đợt đánh giá")) }
        if p.allowsSomewhere(.surveysRead) { items.append(("/surveys", "Điều tra XHH")) }
        if p.allowsSomewhere(.reportsRead) { items.append(("/reports", "Báo cáo định kỳ")) }
        if p.allowsSomewhere(.usersRead) { items.append(("/users", "Người dùng")) }
        if p.allowsSomewhere(.auditRead) { items.append(("/audit", "Nhật ký thay đổi")) }
        items.append(("/account", "Tài khoản"))
        return items
    }
}

extension Request {
    private static let flashKey = "flash"

    enum FlashKind: String { case success, info, warning, danger }

    /// Queues a message for the next page the user sees (post/redirect/get).
    func flash(_ kind: FlashKind, _ message: String) {
        var list = (session.data[Self.flashKey].flatMap { try? JSONDecoder().decode([PageContext.Flash].self, from: Data($0.utf8)) }) ?? []
        list.append(.init(kind: kind.rawValue, message: message))
        session.data[Self.flashKey] = String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    func takeFlashes() -> [PageContext.Flash] {
        guard hasSessionCookie || hasSession, let raw = session.data[Self.flashKey] else { return [] }
        session.data[Self.flashKey] = nil
        return (try? JSONDecoder().decode([PageContext.Flash].self, from: Data(raw.utf8))) ?? []
    }
}
