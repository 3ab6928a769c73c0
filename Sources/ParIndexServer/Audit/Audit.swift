import Fluent
import Foundation
import Vapor

/// The one audit call every write goes through. Call it on the same database handle as the
/// write (inside its transaction) so that a write and its audit line commit together or not at all.
enum Audit {
    struct Actor: Sendable {
        var id: UUID?
        var name: String
        static let system = Actor(id: nil, name: "system")
    }

    static func record(on db: any Database, actor: Actor, action: String, entity: String, entityID: String,
                       unitID: UUID? = nil, before: (any Encodable & Sendable)? = nil,
                       after: (any Encodable & Sendable)? = nil, reason: String? = nil,
                       requestID: String? = nil) async throws {
        let e = AuditEntryModel()
        e.at = Date()
        e.actorID = actor.id
        e.actorName = actor.name
        e.action = action
        e.entity = entity
        e.entityID = entityID
        e.unitID = unitID
        e.before = try before.map(encode)
        e.after = try after.map(encode)
        e.reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        e.requestID = requestID
        try await e.create(on: db)
    }

    private static func encode(_ value: any Encodable & Sendable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension Audit.Actor {
    /// The logged-in user making the request, or `system`.
    init(_ request: Request) {
        self = request.currentUser.map { Audit.Actor(id: $0.id, name: $0.username) } ?? .system
    }
}

extension Request {
    /// The id that ties this request's audit lines and log lines together.
    var requestID: String? { headers.first(name: .xRequestId) }

    /// Records an audit line for the current user and request.
    func audit(on db: any Database, _ action: String, entity: String, entityID: String, unitID: UUID? = nil,
               before: (any Encodable & Sendable)? = nil, after: (any Encodable & Sendable)? = nil,
               reason: String? = nil) async throws {
        try await Audit.record(on: db, actor: Audit.Actor(self), action: action, entity: entity, entityID: entityID,
                               unitID: unitID, before: before, after: after, reason: reason, requestID: requestID)
    }
}

extension Audit {
    /// One audit line of a bulk write (entity, actor and request are shared).
    struct Line: Sendable {
        var action: String
        var entityID: String
        var unitID: UUID?
        var before: (any Encodable & Sendable)?
        var after: (any Encodable & Sendable)?
        var reason: String?
    }

    /// The audit lines of a bulk write (the unit import), written as multi-row INSERTs of
    /// `batchSize` lines instead of one statement per line (issue #20: a 200.000-unit import
    /// held the write lock for 569 s). Same columns and encoding as ``record(on:actor:action:entity:entityID:unitID:before:after:reason:requestID:)``.
    static func record(on db: any Database, actor: Actor, entity: String, lines: [Line],
                       requestID: String? = nil, batchSize: Int = 500) async throws {
        let at = Date()
        var start = 0
        while start < lines.count {
            let chunk = lines[start..<min(start + batchSize, lines.count)]
            let models = try chunk.map { l in
                let e = AuditEntryModel()
                e.id = UUID()
                e.at = at
                e.actorID = actor.id
                e.actorName = actor.name
                e.action = l.action
                e.entity = entity
                e.entityID = l.entityID
                e.unitID = l.unitID
                e.before = try l.before.map(encode)
                e.after = try l.after.map(encode)
                e.reason = l.reason.flatMap { $0.isEmpty ? nil : $0 }
                e.requestID = requestID
                return e
            }
            try await models.create(on: db)
            start += batchSize
        }
    }
}
