import Fluent
import Foundation
import ParIndexCore
import Vapor

/// Evidence documents: upload (validated: type by content, size, document number, date,
/// criteria), list, download. One file can support several criteria; replacing a document
/// keeps the earlier version.
package struct EvidenceService: ContextService {
    let context: ServiceContext

    package static func store(_ app: Application) -> EvidenceStore {
        EvidenceStore(root: app.settings.dataDirectory + "/evidence")
    }

    struct Upload: Sendable {
        var data: Data
        var filename: String
        var documentNumber: String
        var documentDate: String
        var issuer: String
        var title: String
        var leafCodes: [String]
        var replaces: UUID?
    }

    func documents(of assessmentID: UUID) async throws -> [EvidenceDocumentDTO] {
        let docs = try await EvidenceDocumentModel.query(on: db).filter(\.$assessment.$id == assessmentID)
            .filter(\.$superseded == false).with(\.$file).sort(\.$createdAt).all()
        guard !docs.isEmpty else { return [] }
        let links = try await EvidenceLinkModel.query(on: db).filter(\.$document.$id ~~ docs.map { $0.id! }).all()
        let codes = Dictionary(grouping: links, by: { $0.$document.id }).mapValues { $0.map(\.leafCode).sorted() }
        return docs.map { Self.dto($0, codes: codes[$0.id!] ?? []) }
    }

    static func dto(_ d: EvidenceDocumentModel, codes: [String]) -> EvidenceDocumentDTO {
        EvidenceDocumentDTO(id: d.id!, documentNumber: d.documentNumber, documentDate: VietnameseDate.format(d.documentDate),
                            issuer: d.issuer, title: d.title, filename: d.filename, fileType: d.file.fileType,
                            size: d.file.size, sha256: d.file.sha256, leafCodes: codes, replacesId: d.replacesID,
                            uploadedBy: d.uploadedBy, uploadedAt: d.createdAt.map(VietnameseDate.formatDateTime))
    }

    func upload(_ a: AssessmentModel, _ u: Upload) async throws -> EvidenceDocumentDTO {
        // Evidence is added while self-assessing, and as supplementary files to an explanation
        // in the explanation window (issue 5: "the unit explains (text and supplementary files)").
        do { try AssessmentService(context: context).requireWritable(a) } catch {
            guard a.campaign.schedule.decision(.explanation, unit: a.$unit.id, at: context.clock.now()) == .open else { throw error }
        }
        let framework = try await FrameworkCache.shared.framework(a.campaign.framework)
        var problems: [AppError.FieldProblem] = []
        let limit = context.application.settings.evidenceMaxBytes
        if u.data.isEmpty { problems.append(.init(field: "file", message: "Chưa chọn tệp hoặc tệp rỗng.")) }
        if u.data.count > limit {
            problems.append(.init(field: "file", message: "Tệp lớn hơn giới hạn \(VietnameseNumber.format(limit / 1_048_576)) MB."))
        }
        var type: EvidenceFileType?
        if !u.data.isEmpty, u.data.count <= limit {
            do { type = try EvidenceFileType.detect(u.data, filename: u.filename) } catch {
                problems.append(.init(field: "file", message: error.messageVI))
            }
        }
        var number: DocumentNumber?
        do { number = try DocumentNumber.parse(u.documentNumber) } catch {
            problems.append(.init(field: "documentNumber", message: error.messageVI))
        }
        var date: Date?
        do { date = try VietnameseDate.parse(u.documentDate) } catch {
            problems.append(.init(field: "documentDate", message: error.messageVI))
        }
        if let date, date > context.clock.now() { problems.append(.init(field: "documentDate", message: "Ngày văn bản không được sau ngày hôm nay.")) }
        let (issuer, issuerProblem) = TextRules.check(u.issuer, .name, fieldVI: "Cơ quan ban hành", maxLength: 255).pair
        if let issuerProblem { problems.append(.init(field: "issuer", message: issuerProblem)) }
        let (title, titleProblem) = TextRules.check(u.title, .name, fieldVI: "Trích yếu văn bản", maxLength: 500).pair
        if let titleProblem { problems.append(.init(field: "title", message: titleProblem)) }
        let leaves = Set(AssessmentService.selfScoredLeaves(framework).map(\.code))
        let codes = Array(Set(u.leafCodes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        if codes.isEmpty { problems.append(.init(field: "leafCodes", message: "Chọn ít nhất một tiêu chí mà tài liệu chứng minh.")) }
        if let bad = codes.first(where: { !leaves.contains($0) }) {
            problems.append(.init(field: "leafCodes", message: "Tiêu chí “\(bad)” không có trong bộ chỉ số hoặc không do đơn vị tự chấm."))
        }
        var replaced: EvidenceDocumentModel?
        if let r = u.replaces {
            replaced = try await EvidenceDocumentModel.query(on: db).filter(\.$id == r).filter(\.$assessment.$id == a.id!).first()
            if replaced == nil || replaced!.superseded {
                problems.append(.init(field: "replaces", message: "Không tìm thấy tài liệu cần thay thế (hoặc đã được thay thế)."))
            }
        }
        if !problems.isEmpty { throw AppError.validation(problems) }

        let fileType = type!, docNumber = number!.description, docDate = date!, previous = replaced
        let sha = EvidenceStore.sha256(u.data)
        let store = Self.store(context.application)
        let isNewFile = try store.put(u.data, sha: sha)
        do {
            return try await db.writeTransaction { db in
                let file = try await EvidenceFileModel.query(on: db).filter(\.$sha256 == sha).first() ?? {
                    let f = EvidenceFileModel()
                    f.sha256 = sha
                    f.size = u.data.count
                    f.fileType = fileType.rawValue
                    return f
                }()
                if file.id == nil { try await file.create(on: db) }
                let doc = EvidenceDocumentModel()
                doc.$assessment.id = a.id!
                doc.documentNumber = docNumber
                doc.documentDate = docDate
                doc.issuer = issuer
                doc.title = title
                doc.$file.id = file.id!
                doc.filename = SafeFilename.named(u.filename, as: fileType)
                doc.replacesID = previous?.id
                doc.superseded = false
                doc.uploadedBy = context.actor.name
                try await doc.create(on: db)
                for code in codes { try await EvidenceLinkModel(documentID: doc.id!, leafCode: code).create(on: db) }
                if let replaced = previous {
                    replaced.superseded = true
                    try await replaced.save(on: db)
                }
                doc.$file.value = file
                let dto = Self.dto(doc, codes: codes)
                try await context.audit(on: db, previous == nil ? "evidence.upload" : "evidence.replace", entity: "evidence",
                                        entityID: doc.id!.uuidString, unitID: a.$unit.id,
                                        before: previous.map { ["id": $0.id!.uuidString, "number": $0.documentNumber] },
                                        after: dto)
                return dto
            }
        } catch {
            // No orphan: drop the file we just wrote unless a committed row uses it.
            if isNewFile, try await EvidenceFileModel.query(on: db).filter(\.$sha256 == sha).count() == 0 { store.remove(sha) }
            throw error
        }
    }

    /// The document and its bytes, after checking the reader may see that unit.
    func download(_ id: UUID) async throws -> (EvidenceDocumentModel, Data) {
        guard let doc = try await EvidenceDocumentModel.query(on: db).filter(\.$id == id).with(\.$file)
            .with(\.$assessment).first() else { throw AppError.notFound(entity: "tài liệu kiểm chứng") }
        try await context.requirePermission(.assessmentsRead, onUnit: doc.assessment.$unit.id)
        // Names stored before the extension was tied to the detected type are corrected on the way out.
        if let type = EvidenceFileType(rawValue: doc.file.fileType) { doc.filename = SafeFilename.named(doc.filename, as: type) }
        do { return (doc, try Self.store(context.application).get(doc.file.sha256)) } catch {
            throw AppError.notFound(entity: "tệp của tài liệu kiểm chứng")
        }
    }
}
