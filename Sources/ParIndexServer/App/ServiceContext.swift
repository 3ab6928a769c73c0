import Fluent
import Foundation
import ParIndexCore
import Vapor

/// What every service is built from: the database handle it works on, who acts, the request
/// that ties the audit lines together, and the clock. Issue #19: some services held the request
/// and others a database plus an actor, so the same check was written two ways. Now every
/// service is `init(context:)`, from a request (``Request/context``) or from the CLI, the demo
/// loader and the job runner (``system(_:db:actor:)``), and the scope checks live here once.
package struct ServiceContext: Sendable {
    /// Who acts. A request is a user or anonymous; the system (CLI, demo, jobs) holds every right.
    enum Principal: Sendable {
        case anonymous
        case user(CurrentUser)
        case system(Audit.Actor)
    }

    package let db: any Database
    let principal: Principal
    let requestID: String?
    /// The request's `If-Match`: the version the client saw, when its body names none
    /// (``VersionedWrite/expected(_:_:entity:)``).
    var ifMatch: String? = nil
    let clock: Clock
    let application: Application

    /// The same actor and request on another handle (the transaction a write runs in).
    func on(_ db: any Database) -> ServiceContext {
        ServiceContext(db: db, principal: principal, requestID: requestID, ifMatch: ifMatch, clock: clock, application: application)
    }

    /// The CLI's, the demo loader's and the job runner's context.
    package static func system(_ app: Application, db: (any Database)? = nil, actor: Audit.Actor = .system) -> ServiceContext {
        ServiceContext(db: db ?? app.db, principal: .system(actor), requestID: nil, clock: app.clock, application: app)
    }

    var isSystem: Bool {
        if case .system = principal { return true }
        return false
    }

    var user: CurrentUser? {
        if case let .user(u) = principal { return u }
        return nil
    }

    var actor: Audit.Actor {
        switch principal {
        case .anonymous: .system
        case let .user(u): Audit.Actor(id: u.id, name: u.username)
        case let .system(a): a
        }
    }

    /// The acting user, or `notAuthenticated` (the system is no user: its writes name it as actor).
    func requireUser() throws -> CurrentUser {
        guard let u = user else { throw AppError.notAuthenticated }
        return u
    }

    /// The actor's rights: nil for the system, which may do everything; anonymous has none.
    func policy() throws -> AccessPolicy? {
        switch principal {
        case .anonymous: throw AppError.notAuthenticated
        case let .user(u): u.policy
        case .system: nil
        }
    }

    /// The one audit call of a service: this actor, this request, this clock. Call it on the
    /// handle of the write (inside its transaction) so both commit or neither does.
    package func audit(on db: any Database, _ action: String, entity: String, entityID: String, unitID: UUID? = nil,
               before: (any Encodable & Sendable)? = nil, after: (any Encodable & Sendable)? = nil,
               reason: String? = nil) async throws {
        try await Audit.record(on: db, actor: actor, action: action, entity: entity, entityID: entityID,
                               unitID: unitID, before: before, after: after, reason: reason, requestID: requestID,
                               at: clock.now())
    }
}

/// The one service shape: built from a context (the memberwise `init(context:)`), or
/// `init(request:)` in controllers.
protocol ContextService: Sendable {
    var context: ServiceContext { get }
    init(context: ServiceContext)
}

extension ContextService {
    init(request: Request) { self.init(context: request.context) }
    var db: any Database { context.db }
}

extension Request {
    /// This request as a service context: its database, its user (or anonymous), its id, the clock.
    var context: ServiceContext {
        ServiceContext(db: db, principal: currentUser.map { .user($0) } ?? .anonymous, requestID: requestID,
                       ifMatch: headers.first(name: .ifMatch), clock: clock, application: application)
    }
}
