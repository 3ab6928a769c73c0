import Fluent
import Foundation
import ParIndexCore
import Vapor

/// The survey report of a campaign: responses against quotas per unit and group, satisfaction
/// per element and per unit, points with their rule, and units under the alert threshold.
struct SurveyReportDTO: Content {
    struct GroupCount: Content {
        var code: String
        var ballots: Int
        var quota: Int
        var met: Bool
    }

    /// One line of a unit's detail: a question, or a respondent group.
    struct DetailRow: Content {
        var code: String
        var label: String
        var answers: Int
        var meanDisplay: String
        var shareDisplay: String
    }

    struct UnitRow: Content {
        var unitCode: String
        var unitName: String
        var ballots: Int
        var groups: [GroupCount]
        /// Share satisfied per section (element), `87,5 %` or `—`.
        var sectionShares: [String]
        var shareSatisfied: Double?
        var shareDisplay: String
        var index: Double?
        var indexDisplay: String
        var meanScoreDisplay: String
        var points: Double?
        var pointsDisplay: String
        var explanation: String
        var alert: Bool
        /// Per question: valid answers, mean score and share satisfied.
        var questions: [DetailRow]
        /// Per respondent group: ballots, mean score and share satisfied.
        var groupScores: [DetailRow]
    }

    struct QuestionnaireReport: Content {
        var id: UUID
        var formId: String
        var title: String
        var kindLabel: String
        var pointsFormula: String
        var leafCode: String?
        var maxPointsDisplay: String
        var ballots: Int
        var computedAt: String?
        var alertThreshold: Double
        var alertThresholdDisplay: String
        var groups: [RespondentGroupDTO]
        var sections: [SurveySection]
        var units: [UnitRow]
        var alerts: [String]
    }

    var campaignId: UUID
    var campaignName: String
    var questionnaires: [QuestionnaireReport]
}

extension SurveyReportDTO {
    static func percent(_ share: Double?) -> String { share.map { VietnameseNumber.format($0 * 100) + " %" } ?? "—" }
    static func mean(_ score: Double?) -> String { score.map { VietnameseNumber.format($0) } ?? "—" }

    static func build(campaign: CampaignModel, on db: any Database) async throws -> SurveyReportDTO {
        let scored = try await SurveyTallyService.score(campaign: campaign, on: db)
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaign.id!).with(\.$unit).all()
            .map(\.unit).sortedVietnamese(by: { $0.name })
        let reports = scored.map { s in
            let rows = units.map { u -> UnitRow in
                let score = s.scores[u.code]
                let perGroup = s.tallies?.units[u.code] ?? [:]
                let groups = s.groups.map { g in
                    let n = perGroup[g.code]?.ballots ?? 0
                    return GroupCount(code: g.code, ballots: n, quota: g.quotaPerUnit, met: n >= g.quotaPerUnit)
                }
                let sections = s.questionnaire.sections.map { sec in
                    percent(score?.sections.first { $0.code == sec.code }?.shareSatisfied)
                }
                let alert = score.map { $0.shareSatisfied * 100 < s.model.alertThreshold } ?? false
                return UnitRow(unitCode: u.code, unitName: u.name, ballots: score?.ballots ?? perGroup.values.reduce(0) { $0 + $1.ballots },
                               groups: groups, sectionShares: sections, shareSatisfied: score?.shareSatisfied,
                               shareDisplay: percent(score?.shareSatisfied), index: score?.index, indexDisplay: percent(score?.index),
                               meanScoreDisplay: score.map { VietnameseNumber.format($0.meanScore) } ?? "—",
                               points: score?.points, pointsDisplay: score.map { VietnameseNumber.format($0.points) } ?? "—",
                               explanation: score?.explanationVI ?? "Chưa có phiếu hợp lệ trong các lô đã khóa.", alert: alert,
                               questions: (score?.questions ?? []).map {
                                   DetailRow(code: $0.code, label: $0.label, answers: $0.validAnswers, meanDisplay: mean($0.meanScore),
                                             shareDisplay: percent($0.shareSatisfied))
                               },
                               groupScores: (score?.groups ?? []).map {
                                   DetailRow(code: $0.code, label: $0.name, answers: $0.ballots, meanDisplay: mean($0.meanScore),
                                             shareDisplay: percent($0.shareSatisfied))
                               })
            }
            return QuestionnaireReport(
                id: s.model.id!, formId: s.questionnaire.formID, title: s.questionnaire.title, kindLabel: s.questionnaire.kind.labelVI,
                pointsFormula: s.questionnaire.pointsFormula, leafCode: s.leafCode, maxPointsDisplay: VietnameseNumber.format(s.maxPoints),
                ballots: s.ballots, computedAt: s.computedAt.map(VietnameseDate.formatDateTime), alertThreshold: s.model.alertThreshold,
                alertThresholdDisplay: VietnameseNumber.format(s.model.alertThreshold) + " %",
                groups: s.groups.map { RespondentGroupDTO(code: $0.code, name: $0.name, formId: $0.formID, plannedBallots: $0.plannedBallots,
                                                          quotaPerUnit: $0.quotaPerUnit, weight: $0.weight) },
                sections: s.questionnaire.sections, units: rows,
                alerts: rows.filter(\.alert).map { "\($0.unitName): \($0.shareDisplay) hài lòng" })
        }
        return SurveyReportDTO(campaignId: campaign.id!, campaignName: campaign.name, questionnaires: reports)
    }

    private var header: [String] {
        ["Phiếu", "Mã đơn vị", "Đơn vị", "Số phiếu", "Nhóm đối tượng (đã có/chỉ tiêu)", "Tỷ lệ hài lòng", "Chỉ số", "Điểm TB",
         "Điểm", "Cách tính", "Cảnh báo"]
    }

    /// Shares and the index keep their `%` sign (text, `89,45 %`); counts and points are numbers.
    private func rows(_ q: QuestionnaireReport) -> [[CSVWriter.Cell]] {
        q.units.map { u in
            [.text(q.formId), .text(u.unitCode), .text(u.unitName), .integer(u.ballots),
             .text(u.groups.map { "\($0.code) \($0.ballots)/\($0.quota)" }.joined(separator: "; ")),
             .text(u.shareDisplay), .text(u.indexDisplay), .text(u.meanScoreDisplay),
             .numberOrDash(u.points), .text(u.explanation), .text(u.alert ? "Dưới ngưỡng" : "")]
        }
    }

    func csv() -> Data { CSVWriter.data(header: header, rows: questionnaires.flatMap(rows)) }

    /// One sheet per questionnaire, numbers as numbers, the sections' shares as columns.
    func xlsx() throws -> Data {
        let sheets = questionnaires.map { q -> XLSXWriter.Sheet in
            var rows: [[XLSXWriter.Cell]] = [[.line("\(q.title) — \(campaignName)")],
                                             [.line("Điểm = \(q.pointsFormula); tối đa \(q.maxPointsDisplay) điểm (tiêu chí \(q.leafCode ?? "—")); ngưỡng cảnh báo \(q.alertThresholdDisplay)")],
                                             []]
            rows.append((["Mã đơn vị", "Đơn vị", "Số phiếu"] + q.groups.map { "\($0.name) (chỉ tiêu \($0.quotaPerUnit))" }
                         + q.sections.map(\.label) + ["Tỷ lệ hài lòng (%)", "Chỉ số (%)", "Điểm", "Cách tính", "Cảnh báo"]).map { .bold($0) })
            for u in q.units {
                var r: [XLSXWriter.Cell] = [.text(u.unitCode), .text(u.unitName), .number(Double(u.ballots))]
                r += u.groups.map { .number(Double($0.ballots)) }
                r += u.sectionShares.map { .text($0) }
                r += [u.shareSatisfied.map { .number(($0 * 10000).rounded() / 100) } ?? .empty,
                      u.index.map { .number(($0 * 10000).rounded() / 100) } ?? .empty,
                      u.points.map { .number($0) } ?? .empty, .text(u.explanation), .text(u.alert ? "Dưới ngưỡng" : "")]
                rows.append(r)
            }
            let widths = [12.0, 40, 10] + q.groups.map { _ in 14.0 } + q.sections.map { _ in 14.0 } + [14, 12, 10, 50, 12]
            return XLSXWriter.Sheet(name: String(q.formId.prefix(31)), columnWidths: widths, rows: rows)
        }
        // Per unit, per question and per respondent group: counts, mean score, share satisfied.
        let details = questionnaires.map { q -> XLSXWriter.Sheet in
            var rows: [[XLSXWriter.Cell]] = [["Mã đơn vị", "Đơn vị", "Loại", "Mã", "Nội dung", "Số trả lời / phiếu", "Điểm TB",
                                              "Tỷ lệ hài lòng"].map { .bold($0) }]
            for u in q.units {
                for (kind, list) in [("Câu hỏi", u.questions), ("Nhóm đối tượng", u.groupScores)] {
                    for d in list {
                        rows.append([.text(u.unitCode), .text(u.unitName), .text(kind), .text(d.code), .text(d.label),
                                     .number(Double(d.answers)), .text(d.meanDisplay), .text(d.shareDisplay)])
                    }
                }
            }
            return XLSXWriter.Sheet(name: String(("CT " + q.formId).prefix(31)), columnWidths: [12, 36, 14, 10, 60, 14, 10, 14], rows: rows)
        }
        return try XLSXWriter(sheets: sheets.isEmpty ? [.init(name: "Điều tra", columnWidths: [60], rows: [[.line("Chưa có phiếu điều tra.")]])] : sheets + details).data()
    }
}

extension SurveyReportDTO {
    /// The report narrowed to the units on which the reader holds `surveys.read` (issue #20:
    /// unit-scoped roles read every unit's survey scores).
    func visible(to req: Request) async throws -> SurveyReportDTO {
        guard let ids = try await req.context.unitsVisible(for: .surveysRead) else { return self }
        let codes = Set(try await UnitModel.query(on: req.db).filter(\.$id ~~ Array(ids)).all().map(\.code))
        var r = self
        for i in r.questionnaires.indices {
            let units = r.questionnaires[i].units.filter { codes.contains($0.unitCode) }
            r.questionnaires[i].units = units
            r.questionnaires[i].alerts = units.filter(\.alert).map { "\($0.unitName): \($0.shareDisplay) hài lòng" }
        }
        return r
    }
}
