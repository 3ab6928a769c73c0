import Foundation
import Testing
@testable import ParIndexCore

@Suite struct BallotEntryTests {
    static let sipas = QuestionnaireTemplates.sipas(formID: "s", title: "SIPAS", version: "1")
    static let org = QuestionnaireTemplates.organisational(formID: "o", title: "Tổ chức", version: "1")

    static func context(_ q: Questionnaire) -> BallotImportContext {
        BallotImportContext(questionnaire: q, groupCodes: ["cd"], unitCodes: ["SNV", "SYT"])
    }

    static func answers(_ q: Questionnaire, _ code: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: q.questions.map { ($0.code, code) })
    }

    @Test func aOneUnitFormTakesExactlyOneUnit() {
        let ok = BallotImport.validateEntry(number: "1", group: "cd", ratings: [.init(unit: "SNV", answers: Self.answers(Self.sipas, "4"))],
                                            context: Self.context(Self.sipas))
        #expect((try? ok.get())?.count == 1)
        let none = BallotImport.validateEntry(number: "1", group: "cd", ratings: [], context: Self.context(Self.sipas))
        #expect((none.failureErrors ?? []).map(\.messageVI) == ["Phiếu chưa có đơn vị được đánh giá."])
        let two = BallotImport.validateEntry(number: "1", group: "cd",
                                             ratings: [.init(unit: "SNV", answers: Self.answers(Self.sipas, "4")),
                                                       .init(unit: "SYT", answers: Self.answers(Self.sipas, "4"))],
                                             context: Self.context(Self.sipas))
        #expect(two.failureErrors?.contains { $0.messageVI == "Phiếu này chỉ đánh giá một đơn vị." } == true)
    }

    @Test func aSeveralUnitFormRefusesAUnitTwiceAndReportsEveryProblem() {
        var bad = Self.answers(Self.org, "4")
        bad[Self.org.questions[0].code] = "9"
        let r = BallotImport.validateEntry(number: "7", group: "cd",
                                           ratings: [.init(unit: "SNV", answers: Self.answers(Self.org, "5")),
                                                     .init(unit: "SNV", answers: Self.answers(Self.org, "5")),
                                                     .init(unit: "SYT", answers: bad)],
                                           context: Self.context(Self.org))
        let errors = r.failureErrors ?? []
        #expect(errors.contains { $0.messageVI == "Đơn vị SNV được đánh giá hai lần trên cùng một phiếu." })
        #expect(errors.contains { $0.field == Self.org.questions[0].code })
        let good = BallotImport.validateEntry(number: "7", group: "cd",
                                              ratings: [.init(unit: "SNV", answers: Self.answers(Self.org, "5")),
                                                        .init(unit: "SYT", answers: Self.answers(Self.org, "3"))],
                                              context: Self.context(Self.org))
        #expect((try? good.get())?.map(\.unit) == [0, 1])
    }

    @Test func storedAnswersRoundTripAndReadUnknownCodesAsNoAnswer() throws {
        let codec = StoredAnswers(Self.sipas)
        var answers = try #require(try? BallotImport.validateEntry(
            number: "1", group: "cd", ratings: [.init(unit: "SNV", answers: Self.answers(Self.sipas, "5"))],
            context: Self.context(Self.sipas)).get().first?.answers)
        answers[1] = ParsedBallot.missing
        let text = codec.encode(answers)
        #expect(text.hasPrefix("5,,5,"))
        #expect(text.split(separator: ",", omittingEmptySubsequences: false).count == 25)
        #expect(codec.decode(text) == answers)
        #expect(codec.decode("5,x")[1] == ParsedBallot.missing)
        #expect(codec.decode("5").dropFirst().allSatisfy { $0 == ParsedBallot.missing })
    }
}

extension Result where Failure == BallotRowErrors {
    var failureErrors: [ImportRowError]? {
        if case let .failure(e) = self { return e.errors }
        return nil
    }
}
