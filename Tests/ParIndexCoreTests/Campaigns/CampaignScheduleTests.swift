import Foundation
import Testing
@testable import ParIndexCore

@Suite struct CampaignScheduleTests {
    func day(_ s: String) throws -> Date { try VietnameseDate.parse(s) }

    /// Seed 004: self-assessment from 25/12/2022 to 24:00 on 10/01/2023.
    func seedSchedule() throws -> CampaignSchedule {
        CampaignSchedule(windows: [
            .selfAssessment: .days(from: try day("25/12/2022"), through: try day("10/01/2023")),
            .appraisalRound1: .days(from: try day("11/01/2023"), through: try day("16/01/2023")),
        ])
    }

    @Test func theDeadlineIsMidnightAtTheEndOfTheLastDayInVietnam() throws {
        let s = try seedSchedule()
        let lastSecond = try day("11/01/2023").addingTimeInterval(-1)
        #expect(s.decision(.selfAssessment, unit: nil, at: lastSecond) == .open)
        let midnight = try day("11/01/2023")
        #expect(s.decision(.selfAssessment, unit: nil, at: midnight) == .closed(closedAt: midnight))
        #expect(s.decision(.selfAssessment, unit: nil, at: try day("24/12/2022")) == .notYetOpen(opens: try day("25/12/2022")))
        #expect(s.decision(.councilReview, unit: nil, at: midnight) == .notScheduled)
        #expect(s.windows[.selfAssessment]?.lastDayVI == "10/01/2023")
    }

    @Test func aClosedWindowGivesAClearVietnameseError() throws {
        let s = try seedSchedule()
        #expect(throws: ScheduleError.self) { try s.requireOpen(.selfAssessment, unit: nil, at: try day("12/01/2023")) }
        let e = ScheduleError.closed(phase: .selfAssessment, closedAt: try day("11/01/2023"))
        #expect(e.messageVI.contains("hạn chót 24 giờ ngày 10/01/2023"))
        #expect(e.code == "campaign.deadline_passed")
    }

    @Test func aReopeningExtendsTheWindowForThatUnitOnly() throws {
        var s = try seedSchedule()
        let unit = UUID(), other = UUID()
        s.reopenings.append(.init(unitID: unit, phase: .selfAssessment, closes: try day("14/01/2023"), reason: "Mất điện"))
        let when = try day("13/01/2023")
        #expect(s.decision(.selfAssessment, unit: unit, at: when) == .open)
        #expect(s.decision(.selfAssessment, unit: other, at: when) != .open)
        #expect(s.decision(.selfAssessment, unit: unit, at: try day("14/01/2023")) != .open)
    }

    @Test func overlappingOrInvertedWindowsAreReported() throws {
        var s = try seedSchedule()
        s.windows[.explanation] = PhaseWindow(opens: try day("15/01/2023"), closes: try day("14/01/2023"))
        let problems = s.validate()
        #expect(problems.count == 2)
        #expect(try seedSchedule().validate().isEmpty)
    }
}

@Suite struct DocumentNumberTests {
    @Test(arguments: ["54/KH-UBND", "3396/QĐ-UBND", "27/BC-UBND", "02/BC-ĐKT", "52/2017/QĐ-UBND", "508/UBND-VP",
                      "324/SNV-STC", "06/QĐ-TTg", "2476/UBND-VX1", "892/QĐ-BNV"])
    func acceptsRealNumbersFromTheSeeds(text: String) throws {
        #expect(try DocumentNumber.parse(text).description == text)
    }

    @Test(arguments: ["", "KH-UBND", "54", "54/", "54/KH", "abc/KH-UBND", "54/kh-ubnd", "54/KH-UBND/x", "54/1800/QĐ-UBND", "54/KH--UBND"])
    func rejectsMalformedNumbers(text: String) {
        #expect(throws: DocumentNumber.ParseError.self) { try DocumentNumber.parse(text) }
    }
}

@Suite struct AssessmentWorkflowTests {
    @Test func draftApproveSubmitLocks() throws {
        var s = AssessmentStatus.draft
        s = try AssessmentWorkflow.apply(.edit, to: s)
        #expect(throws: AssessmentWorkflowError.needsHeadApproval) { try AssessmentWorkflow.apply(.submit, to: .draft) }
        #expect(throws: AssessmentWorkflowError.incomplete(missing: 3)) { try AssessmentWorkflow.apply(.approve, to: .draft, missing: 3) }
        s = try AssessmentWorkflow.apply(.approve, to: s)
        #expect(s == .headApproved)
        #expect(try AssessmentWorkflow.apply(.edit, to: .headApproved) == .draft)
        s = try AssessmentWorkflow.apply(.submit, to: s)
        #expect(s == .submitted)
        for action in [AssessmentAction.edit, .approve, .submit] {
            #expect(throws: AssessmentWorkflowError.locked) { try AssessmentWorkflow.apply(action, to: .submitted) }
        }
        #expect(try AssessmentWorkflow.apply(.reopen, to: .submitted) == .draft)
        #expect(throws: AssessmentWorkflowError.notSubmitted) { try AssessmentWorkflow.apply(.reopen, to: .draft) }
    }

    @Test func progressCountsMissingAndWarns() {
        let entries: [String: AssessmentProgress.Entry] = [
            "1.1": .init(input: .yesNo(true), points: 1, evidenceCount: 1, explanation: ""),
            "1.2": .init(input: .yesNo(true), points: 1, evidenceCount: 0, explanation: ""),
            "1.3": .init(input: .yesNo(true), points: 1, evidenceCount: 0, explanation: "Văn bản đang trình ký"),
            "1.4": .init(input: .notApplicable, points: 0, evidenceCount: 0, explanation: ""),
            "1.5": .init(input: nil, points: 0, evidenceCount: 0, explanation: ""),
        ]
        let p = AssessmentProgress.compute(selfScoredLeaves: ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"], entries: entries)
        #expect(p.total == 6 && p.filled == 4 && p.missing == 2)
        #expect(p.missingCodes == ["1.5", "1.6"])
        #expect(p.warnings == ["1.2": [.scoredWithoutEvidence], "1.4": [.notApplicableWithoutExplanation]])
    }
}

@Suite struct LeafInputFormTests {
    @Test func readsVietnameseNotationPerMethod() throws {
        #expect(try LeafInputForm.parse(method: .yesNo, fields: ["value": "Có"]) == .yesNo(true))
        #expect(try LeafInputForm.parse(method: .ratio(zeroDenominator: .fullPoints), fields: ["numerator": "1.234", "denominator": "2.476"])
                == .ratio(numerator: 1234, denominator: 2476))
        #expect(try LeafInputForm.parse(method: .manual(step: 0.25), fields: ["points": "0,75"]) == .points(0.75))
        #expect(try LeafInputForm.parse(method: .normalizedRatio, fields: ["value": "71,5"]) == .value(71.5))
        #expect(try LeafInputForm.parse(method: .yesNo, fields: ["na": "1"]) == .notApplicable)
        #expect(try LeafInputForm.parse(method: .yesNo, fields: [:]) == nil)
    }

    @Test func explainsWhatCannotBeRead() {
        #expect(throws: LeafInputForm.FieldError.self) { try LeafInputForm.parse(method: .manual(step: 0.25), fields: ["points": "bảy"]) }
        do {
            _ = try LeafInputForm.parse(method: .ratio(zeroDenominator: .fullPoints), fields: ["numerator": "3"])
            Issue.record("expected an error")
        } catch { #expect(error.messageVI == "Nhập đủ tử số và mẫu số.") }
        #expect(throws: LeafInputForm.FieldError.self) { try LeafInputForm.parse(method: .occurrences(.init(mode: .deduct, pointsPerOccurrence: 0.5, cap: nil)), fields: ["count": "1,5"]) }
        #expect(throws: LeafInputForm.FieldError.self) { try LeafInputForm.parse(method: .survey(source: "sipas"), fields: ["points": "3"]) }
    }

    @Test func inputsRoundTripThroughJSON() throws {
        let inputs: [LeafInput] = [.notApplicable, .yesNo(false), .level("cham"), .ratio(numerator: 1, denominator: 3),
                                   .value(2.5), .count(4), .points(0.75), .values(["a": 1, "b": 2])]
        for i in inputs {
            let data = try JSONEncoder().encode(i)
            #expect(try JSONDecoder().decode(LeafInput.self, from: data) == i)
        }
    }
}

@Suite struct EvidenceFileTypeTests {
    @Test func recognisesByContentNotName() throws {
        #expect(try EvidenceFileType.detect(Data("%PDF-1.7\n...".utf8), filename: "kehoach.docx") == .pdf)
        #expect(try EvidenceFileType.detect(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), filename: "a") == .png)
        #expect(try EvidenceFileType.detect(Data([0xFF, 0xD8, 0xFF, 0xE0]), filename: "a") == .jpeg)
        let odt = Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 26) + Array("mimetypeapplication/vnd.oasis.opendocument.text".utf8))
        #expect(try EvidenceFileType.detect(odt, filename: "a.odt") == .odt)
        let docx = Data([0x50, 0x4B, 0x03, 0x04] + Array("....word/document.xml".utf8))
        #expect(try EvidenceFileType.detect(docx, filename: "a.docx") == .docx)
        #expect(throws: EvidenceFileType.Rejected.self) { try EvidenceFileType.detect(Data("MZ\u{90}".utf8), filename: "virus.pdf") }
        #expect(throws: EvidenceFileType.Rejected.self) { try EvidenceFileType.detect(Data([0x50, 0x4B, 0x03, 0x04]), filename: "x.zip") }
    }

    @Test func filenamesLoseDirectoriesAndControlCharacters() {
        #expect(SafeFilename.clean("../../etc/passwd", fallbackExtension: "pdf") == "passwd")
        #expect(SafeFilename.clean("C:\\tai lieu\\Kế hoạch 54.pdf", fallbackExtension: "pdf") == "Kế hoạch 54.pdf")
        #expect(SafeFilename.clean("a\u{0}b\nc.pdf", fallbackExtension: "pdf") == "abc.pdf")
        #expect(SafeFilename.clean("..", fallbackExtension: "pdf") == "tai-lieu.pdf")
        #expect(SafeFilename.clean(String(repeating: "x", count: 300), fallbackExtension: "pdf").count == 174)
    }
}

@Suite struct AppraisalRulesTests {
    @Test func aChangedValueNeedsAReason() throws {
        try AppraisalRules.check(leaf: "1.1", claimed: .yesNo(true), appraised: .yesNo(true), reason: "")
        #expect(throws: AppraisalError.reasonRequired(leaf: "1.1")) {
            try AppraisalRules.check(leaf: "1.1", claimed: .yesNo(true), appraised: .yesNo(false), reason: "  ")
        }
        try AppraisalRules.check(leaf: "1.1", claimed: .yesNo(true), appraised: .yesNo(false), reason: "Kế hoạch ban hành sau hạn")
    }

    @Test func theLatestStageStands() {
        #expect(AppraisalRules.standing(claimed: .points(3), appraised: [:]) == .points(3))
        #expect(AppraisalRules.standing(claimed: .points(3), appraised: [.round1: .points(2)]) == .points(2))
        #expect(AppraisalRules.standing(claimed: .points(3), appraised: [.round1: .points(2), .round2: .points(2.5)]) == .points(2.5))
        #expect(AppraisalRules.standing(claimed: nil, appraised: [.council: .points(1), .round1: .points(2)]) == .points(1))
    }

    @Test func assignmentsCoverTheSubtree() {
        #expect(AppraisalRules.covers(["3"], leaf: "3.2.1"))
        #expect(!AppraisalRules.covers(["3"], leaf: "31.1"))
        #expect(AppraisalRules.covers(["1.1.2"], leaf: "1.1.2"))
        #expect(!AppraisalRules.covers([], leaf: "1"))
    }
}
