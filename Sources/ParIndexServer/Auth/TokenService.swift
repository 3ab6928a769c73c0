import Fluent
import Foundation
import ParIndexCore
import Vapor

struct TokenDTO: Content {
    var id: UUID
    var name: String
    var prefix: String
    var createdAt: String?
    var lastUsedAt: String?
    var expiresAt: String?
    var revoked: Bool
}

/// Returned once, at creation: the only time the secret is visible.
struct CreatedToken: Content {
    var id: UUID
    var name: String
    var token: String
    var expiresAt: String?
}

/// API tokens of the current user: create, list, revoke. Audited.
struct TokenService: ContextService {
    let context: ServiceContext

    func list(for userID: UUID) async throws -> [TokenDTO] {
        try await APITokenModel.query(on: db).filter(\.$user.$id == userID)
            .sort(\.$createdAt, .descending).all()
            .map { t in
                TokenDTO(id: t.id!, name: t.name, prefix: t.prefix, createdAt: t.createdAt.map(VietnameseDate.formatDateTime),
                         lastUsedAt: t.lastUsedAt.map(VietnameseDate.formatDateTime),
                         expiresAt: t.expiresAt.map(VietnameseDate.formatDateTime), revoked: t.revokedAt != nil)
            }
    }

    func create(name: String, expiresInDays: Int?) async throws -> CreatedToken {
        let user = try context.requireUser()
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        var problems: [AppError.FieldProblem] = []
        if trimmed.isEmpty || trimmed.count > 100 {
            problems.append(.init(field: "name", message: "Tên mã truy cập phải có từ 1 đến 100 ký tự."))
        }
        if let d = expiresInDays, !(1...3650).contains(d) {
            problems.append(.init(field: "expiresInDays", message: "Thời hạn phải từ 1 đến 3.650 ngày."))
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        let secret = APITokens.generate()
        let token = APITokenModel()
        token.$user.id = user.id
        token.name = trimmed
        token.tokenHash = APITokens.hash(secret)
        token.prefix = String(secret.prefix(10))
        token.expiresAt = expiresInDays.map { context.clock.now().addingTimeInterval(Double($0) * 86400) }
        try await db.writeTransaction { db in
            try await token.create(on: db)
            try await context.audit(on: db, "token.create", entity: "api_token", entityID: token.id!.uuidString,
                                    after: ["name": trimmed, "prefix": token.prefix, "user": user.username])
        }
        return CreatedToken(id: token.id!, name: trimmed, token: secret,
                            expiresAt: token.expiresAt.map(VietnameseDate.formatDateTime))
    }

    func revoke(_ id: UUID) async throws {
        let user = try context.requireUser()
        guard let token = try await APITokenModel.find(id, on: db), token.$user.id == user.id else {
            throw AppError.notFound(entity: "mã truy cập")
        }
        guard token.revokedAt == nil else { return }
        token.revokedAt = context.clock.now()
        defer { context.application.authCache.invalidate(userID: user.id) }
        try await db.writeTransaction { db in
            try await token.save(on: db)
            try await context.audit(on: db, "token.revoke", entity: "api_token", entityID: id.uuidString,
                                    before: ["revoked": false], after: ["revoked": true])
        }
    }
}
