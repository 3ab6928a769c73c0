import Foundation

/// Ready-made questionnaires a campaign starts from; users adjust them and export XLSForm.
public enum QuestionnaireTemplates {
    /// The five-point satisfaction scale, plus "no opinion", which is counted but not scored.
    public static let satisfactionScale: [SurveyChoice] = [
        SurveyChoice(code: "1", label: "Rất không hài lòng", score: 1, satisfied: false),
        SurveyChoice(code: "2", label: "Không hài lòng", score: 2, satisfied: false),
        SurveyChoice(code: "3", label: "Bình thường", score: 3, satisfied: false),
        SurveyChoice(code: "4", label: "Hài lòng", score: 4, satisfied: true),
        SurveyChoice(code: "5", label: "Rất hài lòng", score: 5, satisfied: true),
        SurveyChoice(code: "0", label: "Không ý kiến", score: nil, satisfied: false),
    ]
    public static let satisfactionListName = "muc_do"

    /// The framework survey sources (`method: {type: survey, source: …}`) the templates fill, with
    /// the survey each names. A survey criterion with any other source could never get points from
    /// a questionnaire, and publication would freeze it so (issue #12, item 4).
    public static let knownSources: [(source: String, kind: SurveyKind)] = [sipas(), organisational()].map { ($0.source, $0.kind) }

    /// "sipas (Đo lường sự hài lòng (SIPAS)), organisation_survey (…)", for messages.
    public static var knownSourcesVI: String {
        knownSources.map { "\($0.source) (\($0.kind.labelVI))" }.joined(separator: ", ")
    }

    /// SIPAS after 1001/QĐ-BNV: five elements of five questions each. The feedback element
    /// is optional because only citizens who gave feedback can rate its handling.
    public static func sipas(formID: String = "sipas", title: String = "Phiếu khảo sát sự hài lòng của người dân, tổ chức (SIPAS)",
                             version: String = "1") -> Questionnaire {
        let elements: [(code: String, prefix: String, label: String, required: Bool, questions: [String])] = [
            ("tiep_can", "tc", "Tiếp cận dịch vụ", true, [
                "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi",
                "Trang thiết bị phục vụ người dân, tổ chức tại Bộ phận Một cửa đầy đủ",
                "Trang thiết bị tại Bộ phận Một cửa hiện đại, dễ sử dụng",
                "Thông tin về dịch vụ công trực tuyến dễ tìm, dễ hiểu",
                "Việc nộp hồ sơ trực tuyến, đặt lịch hẹn dễ thực hiện",
            ]),
            ("thu_tuc", "tt", "Thủ tục hành chính", true, [
                "Thủ tục hành chính được niêm yết công khai đầy đủ",
                "Thủ tục hành chính được niêm yết công khai chính xác",
                "Thành phần hồ sơ phải nộp đúng quy định",
                "Phí, lệ phí phải nộp đúng quy định",
                "Thời hạn giải quyết ghi trên giấy tiếp nhận đúng quy định",
            ]),
            ("cong_chuc", "cc", "Công chức giải quyết công việc", true, [
                "Công chức có thái độ giao tiếp lịch sự",
                "Công chức chú ý lắng nghe ý kiến của người dân, tổ chức",
                "Công chức trả lời, giải thích đầy đủ các ý kiến",
                "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo",
                "Công chức hướng dẫn kê khai hồ sơ dễ hiểu, đúng quy định",
            ]),
            ("ket_qua", "kq", "Kết quả giải quyết", true, [
                "Kết quả giải quyết đúng quy định",
                "Kết quả giải quyết có thông tin đầy đủ, chính xác",
                "Hồ sơ được giải quyết đúng hạn hoặc sớm hơn hạn",
                "Chỉ phải đi lại một lần để nộp hồ sơ và một lần để nhận kết quả",
                "Không phải trả thêm khoản tiền nào ngoài phí, lệ phí theo quy định",
            ]),
            ("phan_anh", "pa", "Tiếp nhận, xử lý phản ánh, kiến nghị", false, [
                "Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
                "Dễ dàng thực hiện góp ý, phản ánh, kiến nghị",
                "Cơ quan tiếp nhận và xử lý tích cực các góp ý, phản ánh, kiến nghị",
                "Cơ quan thông báo kịp thời kết quả xử lý góp ý, phản ánh, kiến nghị",
                "Kết quả xử lý góp ý, phản ánh, kiến nghị thỏa đáng",
            ]),
        ]
        let questions = elements.flatMap { e in
            e.questions.enumerated().map { i, label in
                SurveyQuestion(code: "\(e.prefix)\(i + 1)", label: label, section: e.code,
                               choiceList: satisfactionListName, required: e.required)
            }
        }
        return Questionnaire(formID: formID, title: title, version: version, kind: .sipas, source: "sipas",
                             targetMode: .single, sections: elements.map { SurveySection(code: $0.code, label: $0.label) },
                             questions: questions, choiceLists: [satisfactionListName: satisfactionScale])
    }

    /// The organisational survey (876/QĐ-BNV): leaders and delegates rate each unit's work
    /// in the eight reform fields; one ballot rates several units.
    public static func organisational(formID: String = "khao-sat-to-chuc",
                                      title: String = "Phiếu điều tra xã hội học đánh giá công tác cải cách hành chính",
                                      version: String = "1") -> Questionnaire {
        let labels = [
            "Công tác chỉ đạo, điều hành cải cách hành chính của đơn vị",
            "Cải cách thể chế: chất lượng văn bản do đơn vị tham mưu ban hành",
            "Cải cách thủ tục hành chính: công khai, đơn giản hóa, giải quyết đúng hạn",
            "Cải cách tổ chức bộ máy: sắp xếp tinh gọn, phân cấp rõ ràng",
            "Xây dựng đội ngũ công chức: năng lực, trách nhiệm, kỷ luật, kỷ cương",
            "Cải cách tài chính công: quản lý, sử dụng ngân sách và tài sản công",
            "Xây dựng, phát triển chính quyền điện tử, chính quyền số",
            "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
        ]
        let questions = labels.enumerated().map { i, label in
            SurveyQuestion(code: "ld\(i + 1)", label: label, section: nil, choiceList: satisfactionListName, required: true)
        }
        return Questionnaire(formID: formID, title: title, version: version, kind: .organisational,
                             source: "organisation_survey", targetMode: .multiple, sections: [],
                             questions: questions, choiceLists: [satisfactionListName: satisfactionScale])
    }
}
