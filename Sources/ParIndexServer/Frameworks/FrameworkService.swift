import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Criteria framework versions: upload (validate, then store or replace a draft), publish
/// (freeze), delete a draft, and read them back as a tree, a diff or the YAML. Shared by the
/// web pages and the JSON API so the same rules and audit lines apply through either door.
/// A published version is never changed or deleted: results computed on it must stay
/// reproducible.
struct FrameworkService: ContextService {
    let context: ServiceContext

    // MARK: Queries

    /// Newest year first; within a year by unit kind, then newest version first.
    func list(page: PageRequest) async throws -> Page<FrameworkSummaryDTO> {
        try await FrameworkVersionModel.query(on: db)
            .sort(\.$year, .descending).sort(\.$unitKind).sort(\.$version, .descending).sort(\.$createdAt, .descending)
            .paginate(page).map(FrameworkSummaryDTO.init)
    }

    func find(_ id: UUID) async throws -> FrameworkVersionModel {
        guard let m = try await FrameworkVersionModel.find(id, on: db) else { throw AppError.notFound(entity: "bộ chỉ số") }
        return m
    }

    /// Every other stored version, for choosing what to compare with.
    func others(than id: UUID) async throws -> [FrameworkSummaryDTO] {
        try await FrameworkVersionModel.query(on: db).filter(\.$id != id)
            .sort(\.$year, .descending).sort(\.$unitKind).sort(\.$version, .descending).all()
            .map(FrameworkSummaryDTO.init)
    }

    func show(_ id: UUID) async throws -> FrameworkDetailDTO {
        let m = try await find(id)
        return FrameworkDetailDTO(m, try Self.framework(of: m))
    }

    /// `against` is the baseline (e.g. last year's), `id` the version being reviewed.
    func diff(_ id: UUID, against: UUID) async throws -> FrameworkDiffDTO {
        let new = try await find(id)
        let old = try await find(against)
        let diff = FrameworkDiff.compare(try Self.framework(of: old), try Self.framework(of: new))
        return FrameworkDiffDTO(from: FrameworkSummaryDTO(old), to: FrameworkSummaryDTO(new),
                                changes: diff.changes.map(FrameworkDiffDTO.Change.init))
    }

    /// The exact uploaded text and a download name such as `hai-duong-department-2022.1.yaml`.
    func export(_ id: UUID) async throws -> (yaml: String, filename: String) {
        let m = try await find(id)
        let safe = "\(m.code)-\(m.version)".map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" }
        return (m.yaml, String(safe) + ".yaml")
    }

    /// Reads and validates a file, turning its problems into the API's and pages' error.
    static func validated(_ yaml: String) throws(AppError) -> Framework {
        do { return try FrameworkYAML.load(yaml) } catch { throw AppError.frameworkInvalid(FrameworkProblem.list(error)) }
    }

    /// Stored versions were validated at upload; reading them without validating again keeps a
    /// published version viewable even if later releases tighten the validation rules.
    static func framework(of m: FrameworkVersionModel) throws -> Framework {
        do { return try FrameworkYAMLReader.read(m.yaml).0 } catch {
            throw AppError.frameworkInvalid(FrameworkProblem.list(error))
        }
    }

    // MARK: Writes

    enum UploadOutcome: Sendable { case created, replaced }

    /// Validates `yaml` (every problem reported, nothing stored on any), then stores it as a
    /// new draft or replaces the draft with the same unit kind, year and version.
    func upload(_ yaml: String, reason: String? = nil) async throws -> (FrameworkVersionModel, UploadOutcome) {
        let framework = try Self.validated(yaml)
        do {
            return try await db.writeTransaction { db in
                let svc = FrameworkService(context: context.on(db))
                let existing = try await FrameworkVersionModel.query(on: db)
                    .filter(\.$unitKind == framework.unitKind.rawValue).filter(\.$year == framework.year)
                    .filter(\.$version == framework.version).first()
                if let existing, existing.frameworkStatus == .published {
                    throw AppError.conflict(Self.frozenMessage(existing, action: "thay thế")
                                            + " Hãy tải lên với số phiên bản mới (khóa 'version' trong tệp).")
                }
                let model = existing ?? FrameworkVersionModel()
                let before = existing.map(FrameworkSummaryDTO.init)
                model.apply(framework, yaml: yaml, by: context.actor.name, at: context.clock.now())
                try await model.save(on: db)
                try await svc.audit(existing == nil ? "framework.upload" : "framework.replace", model,
                                    before: before, after: FrameworkSummaryDTO(model), reason: reason)
                return (model, existing == nil ? .created : .replaced)
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            // Two uploads of the same new version at once: the unique key let one through.
            throw AppError.conflict("Phiên bản \(framework.version) của bộ chỉ số \(framework.unitKind.labelVI.lowercased()) năm \(framework.year) vừa được tải lên đồng thời; vui lòng thử lại.")
        }
    }

    /// Freezes a draft. The text is validated again with today's rules before it becomes final.
    func publish(_ id: UUID, reason: String?) async throws -> FrameworkVersionModel {
        let reason = try TextRules.validated(reason ?? "", .multiline, field: "reason", fieldVI: "Lý do công bố",
                                             maxLength: TextRules.reasonMaxLength)
        return try await db.writeTransaction { db in
            let svc = FrameworkService(context: context.on(db))
            let m = try await svc.find(id)
            guard m.frameworkStatus == .draft else { throw AppError.conflict(Self.frozenMessage(m, action: "công bố lại")) }
            guard !reason.isEmpty else {
                throw AppError.validation([.init(field: "reason", message: "Vui lòng nêu lý do công bố (ví dụ số quyết định ban hành bộ chỉ số).")])
            }
            _ = try Self.validated(m.yaml)
            let before = FrameworkSummaryDTO(m)
            m.status = FrameworkStatus.published.rawValue
            m.publishedAt = context.clock.now()
            m.publishedBy = context.actor.name
            try await m.save(on: db)
            try await svc.audit("framework.publish", m, before: before, after: FrameworkSummaryDTO(m), reason: reason)
            return m
        }
    }

    /// Deletes a draft; a published version cannot be deleted.
    func deleteDraft(_ id: UUID, reason: String?) async throws -> FrameworkSummaryDTO {
        try await db.writeTransaction { db in
            let svc = FrameworkService(context: context.on(db))
            let m = try await svc.find(id)
            guard m.frameworkStatus == .draft else { throw AppError.conflict(Self.frozenMessage(m, action: "xóa")) }
            let before = FrameworkSummaryDTO(m)
            try await m.delete(on: db)
            try await svc.audit("framework.delete", m, before: before, after: nil, reason: reason)
            return before
        }
    }

    static func frozenMessage(_ m: FrameworkVersionModel, action: String) -> String {
        let when = m.publishedAt.map { " ngày \(VietnameseDate.format($0))" } ?? ""
        return "Bộ chỉ số “\(m.title)” năm \(m.year), phiên bản \(m.version) đã được công bố\(when) nên không thể \(action): "
            + "kết quả đánh giá tính trên phiên bản này phải luôn tái lập được."
    }

    private func audit(_ action: String, _ m: FrameworkVersionModel, before: FrameworkSummaryDTO?,
                       after: FrameworkSummaryDTO?, reason: String?) async throws {
        try await context.audit(on: db, action, entity: "framework", entityID: m.key, before: before, after: after, reason: reason)
    }
}
