import Fluent
import Foundation
import ParIndexCore

/// What a published campaign still allows. Issue #19: appraisals, entries and ballots could
/// change after publication, so published numbers moved. Once a campaign has a published
/// snapshot, its self-assessments, appraisals, explanations and survey data are read-only;
/// every write path calls ``requireWritable(_:_:on:)`` inside its write transaction, on a
/// fresh read, so a write racing a publication cannot slip in after it.
enum PublicationLock {
    /// The data a write touches, for the message (and for what a correction may reopen).
    enum Data: Sendable {
        case selfAssessment, appraisal, explanation, survey

        var labelVI: String {
            switch self {
            case .selfAssessment: "bản tự đánh giá"
            case .appraisal: "kết quả thẩm định"
            case .explanation: "giải trình"
            case .survey: "dữ liệu điều tra xã hội học"
            }
        }
    }

    static func requireWritable(_ campaignID: UUID, _ data: Data, on db: any Database) async throws {
        guard let latest = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .sort(\.$version, .descending).first() else { return }
        throw AppError.publishedReadOnly(
            "Kết quả của đợt đánh giá đã được công bố (phiên bản \(latest.version), \(VietnameseDate.formatDateTime(latest.publishedAt))); "
                + "không sửa được \(data.labelVI) nữa. Việc hiệu chỉnh phải qua công bố lại kết quả, có ghi lý do.")
    }
}
