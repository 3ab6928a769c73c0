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

        /// What an open correction lets the council and appraisers change again (issue #19: a
        /// correction goes through the appraisal; the units' own claims and the ballots stay frozen).
        var correctable: Bool { self == .appraisal || self == .explanation }

        var labelVI: String {
            switch self {
            case .selfAssessment: "bản tự đánh giá"
            case .appraisal: "kết quả thẩm định"
            case .explanation: "giải trình"
            case .survey: "dữ liệu điều tra xã hội học"
            }
        }
    }

    /// A correction opened by a holder of `results.publish` (``ResultsService/openCorrection(_:reason:)``)
    /// reopens appraisals and explanations until the republication that closes it.
    static func requireWritable(_ campaignID: UUID, _ data: Data, on db: any Database) async throws {
        guard let latest = try await ResultSnapshotModel.query(on: db).filter(\.$campaign.$id == campaignID)
            .sort(\.$version, .descending).first() else { return }
        let correction = try await ResultCorrectionModel.open(campaignID, on: db)
        if correction != nil && data.correctable { return }
        let published = "Kết quả của đợt đánh giá đã được công bố (phiên bản \(latest.version), \(VietnameseDate.formatDateTime(latest.publishedAt)))"
        if let correction {
            throw AppError.publishedReadOnly(
                "\(published); đợt hiệu chỉnh đang mở (\(correction.reason)) chỉ cho sửa kết quả thẩm định và giải trình, "
                    + "không sửa được \(data.labelVI).")
        }
        throw AppError.publishedReadOnly(
            "\(published); không sửa được \(data.labelVI) nữa. Muốn hiệu chỉnh: người có quyền công bố mở đợt hiệu chỉnh (ghi lý do), "
                + "sửa kết quả thẩm định, rồi công bố lại kết quả (ghi lý do).")
    }
}
