import Fluent
import Foundation
import ParIndexCore
import Vapor

struct NotificationDTO: Content {
    var id: UUID
    var title: String
    var body: String
    var link: String
    var createdAt: String
    var read: Bool
}

/// Creates and lists in-app notifications. Recipients are chosen by permission: on a unit (its
/// reporters and heads) or on the aggregate's owning unit (issue #19); a notice with a key already delivered to a user is
/// skipped, so the same event never notifies twice.
enum Notifier {
    struct Notice: Sendable {
        var key: String
        var title: String
        var body: String
        var link: String
    }

    /// The unit's own staff: users holding `permission` on `unitID` through a unit-scoped
    /// assignment (on the unit, or on an ancestor with descendants). Default `assessments.edit`:
    /// the unit's reporters and heads. Issue #19: chosen by permission, not by role name.
    static func unitStaff(_ unitID: UUID, holding permission: Permission = .assessmentsEdit,
                          on db: any Database) async throws -> [UUID] {
        let ancestors = try await UnitTree.ancestors(of: unitID, on: db)
        let rows = try await RoleAssignmentModel.query(on: db).filter(\.$role ~~ granting(permission))
            .filter(\.$unit.$id ~~ ([unitID] + ancestors)).all()
        return Array(Set(rows.filter { $0.$unit.id == unitID || $0.includeDescendants }.map { $0.$user.id }))
    }

    /// Users holding `permission` on an aggregate owned by `owner` (installation-wide, on the
    /// owner, or through an ancestor with descendants) or on one of `units`: e.g. `results.read`
    /// on a campaign's owner. Issue #19: recipients used to be every holder of a role name,
    /// whichever province they worked for.
    static func holders(of permission: Permission, onOwner owner: UUID, units: [UUID] = [],
                        on db: any Database) async throws -> [UUID] {
        let rows = try await RoleAssignmentModel.query(on: db).filter(\.$role ~~ granting(permission)).all()
        var targets: [(unit: UUID, ancestors: [UUID])] = []
        for u in Set([owner] + units) { targets.append((u, try await UnitTree.ancestors(of: u, on: db))) }
        return Array(Set(rows.filter { row in
            guard let a = row.assignment else { return false }
            let policy = AccessPolicy(assignments: [a])
            return targets.contains { policy.allows(permission, on: $0.unit, ancestors: $0.ancestors) }
        }.map { $0.$user.id }))
    }

    /// The stored role codes whose roles grant `permission` (from the role × permission table).
    private static func granting(_ permission: Permission) -> [String] {
        Role.allCases.filter { RolePermissions.permissions(of: $0).contains(permission) }.map(\.rawValue)
    }

    /// Delivers `notice` to each user once (by key) and queues an e-mail for each new recipient
    /// who has an address, both on `db`: pass the write transaction's database, so the
    /// notification and its mail commit or roll back with the write that caused them (issue #19:
    /// a rolled-back write used to notify, and mail left before the commit). The job runner
    /// sends the mail after commit (``Outbox``). Returns how many notifications were new.
    @discardableResult
    static func send(_ notice: Notice, to users: [UUID], on db: any Database, now: Date = Date()) async throws -> Int {
        guard !users.isEmpty else { return 0 }
        let already = Set(try await NotificationModel.query(on: db).filter(\.$key == notice.key)
            .filter(\.$user.$id ~~ users).all().map { $0.$user.id })
        let fresh = Array(Set(users).subtracting(already))
        for u in fresh {
            let n = NotificationModel()
            n.$user.id = u
            n.key = notice.key
            n.title = notice.title
            n.body = notice.body
            n.link = notice.link
            n.createdAt = now
            try await n.create(on: db)
        }
        guard !fresh.isEmpty else { return 0 }
        for user in try await UserModel.query(on: db).filter(\.$id ~~ fresh).filter(\.$active == true).all() {
            guard let email = user.email, !email.isEmpty else { continue }
            try await Outbox.enqueueMail(to: email, subject: notice.title, body: notice.body, link: notice.link,
                                         dedupeKey: "notice/\(notice.key)/\(user.id!)", now: now, on: db)
        }
        return fresh.count
    }

    static func list(for userID: UUID, on db: any Database, limit: Int = 100) async throws -> [NotificationDTO] {
        try await NotificationModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt, .descending)
            .limit(limit).all().map {
                NotificationDTO(id: $0.id!, title: $0.title, body: $0.body, link: $0.link,
                                createdAt: VietnameseDate.formatDateTime($0.createdAt), read: $0.readAt != nil)
            }
    }

    static func unreadCount(for userID: UUID, on db: any Database) async throws -> Int {
        try await NotificationModel.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
    }

    static func markRead(_ id: UUID?, userID: UUID, on db: any Database, now: Date) async throws {
        var q = NotificationModel.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil)
        if let id { q = q.filter(\.$id == id) }
        try await q.set(\.$readAt, to: now).update()
    }
}

/// Time-based notices, checked periodically by the job runner: a phase window opens, a
/// self-assessment deadline is two days away. Safe to run on every instance (notices and their
/// mail are keyed). Each notice is one write transaction: its notifications and e-mails commit together.
enum DeadlineNotices {
    static func run(on db: any Database, now: Date) async throws -> Int {
        var created = 0
        for c in try await CampaignModel.query(on: db).all() {
            let schedule = c.schedule
            let assessments = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == c.id!).all()
            for (phase, window) in schedule.windows where window.contains(now) {
                let users: [UUID]
                switch phase {
                case .selfAssessment, .explanation:
                    var all: Set<UUID> = []
                    for a in assessments { all.formUnion(try await Notifier.unitStaff(a.$unit.id, on: db)) }
                    users = Array(all)
                case .appraisalRound1, .appraisalRound2:
                    users = try await Notifier.holders(of: .appraisalsRound, onOwner: c.$ownerUnit.id,
                                                       units: assessments.map { $0.$unit.id }, on: db)
                case .councilReview, .publication:
                    users = try await Notifier.holders(of: .resultsPublish, onOwner: c.$ownerUnit.id, on: db)
                }
                let notice = Notifier.Notice(
                    key: "window-open/\(c.id!)/\(phase.rawValue)/\(Int(window.opens.timeIntervalSince1970))",
                    title: "\(phase.labelVI) đã mở", body: "\(c.name): từ \(window.firstDayVI) đến 24 giờ ngày \(window.lastDayVI).",
                    link: "/campaigns/\(c.id!)")
                created += try await db.writeTransaction { db in try await Notifier.send(notice, to: users, on: db, now: now) }
            }
            if let w = schedule.windows[.selfAssessment], w.contains(now), w.closes.timeIntervalSince(now) <= 2 * 86_400 {
                for a in assessments where a.assessmentStatus != .submitted {
                    let staff = try await Notifier.unitStaff(a.$unit.id, on: db)
                    let notice = Notifier.Notice(
                        key: "deadline-2d/\(c.id!)/\(a.id!)/\(Int(w.closes.timeIntervalSince1970))",
                        title: "Sắp hết hạn tự đánh giá",
                        body: "\(c.name): hạn chót 24 giờ ngày \(w.lastDayVI). Bản tự đánh giá của đơn vị chưa được gửi.",
                        link: "/assessments/\(a.id!)")
                    created += try await db.writeTransaction { db in try await Notifier.send(notice, to: staff, on: db, now: now) }
                }
            }
        }
        return created + (try await reportReminders(on: db, now: now))
    }

    /// Periodic reports (issue #14): a unit whose report is not handed in hears of it two days
    /// before its deadline (its own, with an extension), and once the deadline has passed.
    static func reportReminders(on db: any Database, now: Date) async throws -> Int {
        var created = 0
        let today = CalendarDay(now)
        let periods = try await ReportPeriodModel.query(on: db).with(\.$regime).all()
            .filter { (try? CalendarDay(iso: $0.deadline)).map { $0.adding(days: 30) >= today } ?? false }
        for p in periods {
            let subs = try await ReportSubmissionModel.query(on: db).filter(\.$period.$id == p.id!)
                .filter(\.$state ~~ [SubmissionState.draft.rawValue, SubmissionState.returned.rawValue]).all()
            for s in subs {
                let deadline = UnitDeadline(deadline: try CalendarDay(iso: p.deadline), extendedTo: try s.extendedTo.map(CalendarDay.init(iso:)))
                let overdue = deadline.isPast(at: now)
                guard overdue || deadline.effective.end.timeIntervalSince(now) <= 2 * 86_400 else { continue }
                let notice = Notifier.Notice(
                    key: "report-\(overdue ? "overdue" : "due")/\(s.id!)/\(deadline.effective.iso)",
                    title: overdue ? "Quá hạn nộp báo cáo" : "Sắp hết hạn nộp báo cáo",
                    body: "\(p.regime.name) — \(p.label): hạn nộp hết ngày \(deadline.effective); báo cáo của đơn vị chưa được nộp.",
                    link: "/reports/submissions/\(s.id!)")
                let staff = try await Notifier.unitStaff(s.$unit.id, holding: .reportsEdit, on: db)
                created += try await db.writeTransaction { db in try await Notifier.send(notice, to: staff, on: db, now: now) }
            }
        }
        return created
    }
}
