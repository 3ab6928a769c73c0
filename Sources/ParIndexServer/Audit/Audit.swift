import Fluent
import Foundation
import SQLKit
import Vapor

/// The audit line's storage. Services write through ``ServiceContext/audit(on:_:entity:entityID:unitID:before:after:reason:)``
/// (its actor, request id and clock), on the same database handle as the write (inside its
/// transaction) so that a write and its audit line commit together or not at all.
package enum Audit {
    package struct Actor: Sendable {
        package var id: UUID?
        package var name: String
        package static let system = Actor(id: nil, name: "system")
    }

    static func record(on db: any Database, actor: Actor, action: String, entity: String, entityID: String,
                       unitID: UUID? = nil, before: (any Encodable & Sendable)? = nil,
                       after: (any Encodable & Sendable)? = nil, reason: String? = nil,
                       requestID: String? = nil, at: Date = Date()) async throws {
        let e = AuditEntryModel()
        e.at = at
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

extension Request {
    /// The id that ties this request's audit lines and log lines together.
    var requestID: String? { headers.first(name: .xRequestId) }
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
    /// held the write lock for 569 s), through SQLKit because Fluent's batch `create` reflects
    /// over every model. The same columns and encoding as the one-line ``record``.
    static func record(on sql: any SQLDatabase, actor: Actor, entity: String, lines: [Line],
                       requestID: String? = nil, at: Date, batchSize: Int = 400) async throws {
        let columns = ["id", "at", "actor_id", "actor_name", "action", "entity", "entity_id", "unit_id",
                       "before", "after", "reason", "request_id"]
        var start = 0
        while start < lines.count {
            var insert = sql.insert(into: AuditEntryModel.schema).columns(columns)
            for l in lines[start..<min(start + batchSize, lines.count)] {
                insert = insert.values([UUID(), at, actor.id, actor.name, l.action, entity, l.entityID, l.unitID,
                                        try l.before.map(encode), try l.after.map(encode),
                                        l.reason.flatMap { $0.isEmpty ? nil : $0 }, requestID] as [any Encodable & Sendable])
            }
            try await insert.run()
            start += batchSize
        }
    }
}
