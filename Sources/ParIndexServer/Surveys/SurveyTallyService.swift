import Fluent
import Foundation
import ParIndexCore
import SQLKit
import Vapor

/// Tallies of the ballots in closed batches, and what they turn into: the survey report and the
/// points of the framework's survey criteria.
package enum SurveyTallyService {
    /// Re-reads every counted ballot of the questionnaire (closed batch, not void, not rejected)
    /// and stores fresh tallies. Runs inside the write that changed the ballots.
    package static func recompute(questionnaireID: UUID, on db: any Database) async throws {
        guard let qm = try await QuestionnaireModel.find(questionnaireID, on: db) else { return }
        let q = try qm.questionnaire()
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == qm.$campaign.id).with(\.$unit).all()
            .map(\.unit).sorted { $0.code < $1.code }
        let index = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1.id!, $0) })
        let stored = StoredAnswers(q)
        // Streamed row by row: a province's million ballots never sit in memory as rows.
        final class Accumulator: @unchecked Sendable {
            // @unchecked: SQLKit calls the row handler serially, never concurrently.
            var builder: SurveyTallyBuilder
            var counted = Set<String>()
            var failure: (any Error)?
            init(_ builder: SurveyTallyBuilder) { self.builder = builder }
        }
        let acc = Accumulator(SurveyTallyBuilder(questionnaire: q, unitCodes: units.map(\.code)))
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            SELECT b.ballot_no, b.group_code, b.unit_id, b.answers FROM survey_ballots b
            JOIN survey_batches t ON t.id = b.batch_id
            WHERE b.questionnaire_id = \(bind: questionnaireID) AND t.status = 'closed'
              AND b.voided = \(bind: false) AND b.review <> 'rejected'
            """).run { row in
            do {
                let unitID = try row.decode(column: "unit_id", as: UUID.self)
                guard let unit = index[unitID] else { return }
                let number = try row.decode(column: "ballot_no", as: String.self)
                let answers = stored.decode(try row.decode(column: "answers", as: String.self))
                acc.builder.add(ParsedBallot(line: 0, number: number, group: try row.decode(column: "group_code", as: String.self),
                                             unit: unit, answers: answers))
                acc.counted.insert(number)
            } catch { acc.failure = error }
        }
        if let failure = acc.failure { throw failure }
        let builder = acc.builder
        let counted = acc.counted
        let tallies = builder.build()
        let m = try await SurveyTallyModel.query(on: db).filter(\.$questionnaire.$id == questionnaireID).first() ?? SurveyTallyModel()
        m.campaignID = qm.$campaign.id
        m.$questionnaire.id = questionnaireID
        m.tallies = String(decoding: try JSONEncoder().encode(tallies), as: UTF8.self)
        m.ballots = counted.count
        m.computedAt = Date()
        try await m.save(on: db)
    }

    struct Scored {
        var questionnaire: Questionnaire
        var model: QuestionnaireModel
        var groups: [RespondentGroup]
        var tallies: SurveyTallies?
        var ballots: Int
        var computedAt: Date?
        /// The framework criterion that gets the points, and its max.
        var leafCode: String?
        var maxPoints: Double
        var scores: [String: SurveyUnitScore]
    }

    /// Every questionnaire of the campaign scored for every unit.
    static func score(campaign: CampaignModel, on db: any Database) async throws -> [Scored] {
        let framework = try await FrameworkCache.shared.framework(campaign.framework)
        let qms = try await QuestionnaireModel.query(on: db).filter(\.$campaign.$id == campaign.id!).sort(\.$formID).all()
        let groups = try await RespondentGroupModel.query(on: db).filter(\.$campaign.$id == campaign.id!).sort(\.$code).all()
        let tallyRows = try await SurveyTallyModel.query(on: db).filter(\.$campaignID == campaign.id!).all()
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaign.id!).with(\.$unit).all().map(\.unit)
        var out: [Scored] = []
        for qm in qms {
            let q = try qm.questionnaire()
            let leaf = framework.leaves.first { if case let .survey(source)? = $0.method { source == q.source } else { false } }
            let mine = groups.filter { $0.formID == q.formID }.map(\.group)
            let row = tallyRows.first { $0.$questionnaire.id == qm.id }
            let tallies = try row.map { try JSONDecoder().decode(SurveyTallies.self, from: Data($0.tallies.utf8)) }
            var scores: [String: SurveyUnitScore] = [:]
            if let tallies {
                let scoring = try SurveyScoring(questionnaire: q, groups: mine)
                for u in units {
                    if let s = scoring.score(tallies, unit: u.code, maxPoints: leaf?.maxPoints ?? 0) { scores[u.code] = s }
                }
            }
            out.append(Scored(questionnaire: q, model: qm, groups: mine, tallies: tallies, ballots: row?.ballots ?? 0,
                              computedAt: row?.computedAt, leafCode: leaf?.code, maxPoints: leaf?.maxPoints ?? 0, scores: scores))
        }
        return out
    }

    /// Survey points per unit id and criterion code, for the results engine.
    package static func points(campaign: CampaignModel, on db: any Database) async throws -> [UUID: [String: Double]] {
        let scored = try await score(campaign: campaign, on: db)
        guard scored.contains(where: { !$0.scores.isEmpty }) else { return [:] }
        let units = try await AssessmentModel.query(on: db).filter(\.$campaign.$id == campaign.id!).with(\.$unit).all().map(\.unit)
        var out: [UUID: [String: Double]] = [:]
        for s in scored {
            guard let leaf = s.leafCode else { continue }
            for u in units { if let score = s.scores[u.code] { out[u.id!, default: [:]][leaf] = score.points } }
        }
        return out
    }
}
