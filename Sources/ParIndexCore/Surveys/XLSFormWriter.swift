import Foundation

extension XLSForm {
    /// Writes a form for KoboToolbox or ODK. The reserved fields come first so collected
    /// data carries the ballot number, the respondent group and the rated unit; their lists
    /// are filled from the survey plan and the campaign's units.
    public static func sheets(for q: Questionnaire, groups: [RespondentGroup] = [],
                              units: [(code: String, name: String)] = []) -> XLSFormSheets {
        var survey: [[String]] = [["type", "name", "label", "required", "hint"]]
        survey.append(["text", "so_phieu", "Số phiếu", "yes", "Số in trên phiếu giấy"])
        survey.append(["select_one nhom", "nhom", "Nhóm người trả lời", "yes", ""])
        survey.append(["select_one don_vi", "don_vi", "Đơn vị được đánh giá", "yes",
                       q.targetMode == .multiple
                           ? "Phiếu đánh giá nhiều đơn vị: nhập mỗi đơn vị thành một bản ghi cùng số phiếu"
                           : ""])
        let sectionLabels = Dictionary(q.sections.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
        var open: String? = nil
        var written = Set<String>()
        for question in q.questions {
            if question.section != open {
                if open != nil { survey.append(["end_group", "", "", "", ""]) }
                if let s = question.section {
                    survey.append(["begin_group", s, sectionLabels[s] ?? s, "", ""])
                    written.insert(s)
                }
                open = question.section
            }
            survey.append(["select_one \(question.choiceList)", question.code, question.label,
                           question.required ? "yes" : "", ""])
        }
        if open != nil { survey.append(["end_group", "", "", "", ""]) }
        // Sections without questions still travel, so the form comes back unchanged.
        for section in q.sections where !written.contains(section.code) {
            survey.append(["begin_group", section.code, section.label, "", ""])
            survey.append(["end_group", "", "", "", ""])
        }

        var choices: [[String]] = [["list_name", "name", "label", "score", "satisfied"]]
        choices += groups.map { ["nhom", $0.code, $0.name, "", ""] }
        choices += units.map { ["don_vi", $0.code, $0.name, "", ""] }
        var listOrder: [String] = []
        for question in q.questions where !listOrder.contains(question.choiceList) { listOrder.append(question.choiceList) }
        listOrder += q.choiceLists.keys.filter { !listOrder.contains($0) }.sorted()
        for name in listOrder {
            for choice in q.choiceLists[name] ?? [] {
                choices.append([name, choice.code, choice.label, choice.score.map(formatScore) ?? "",
                                choice.satisfied ? "yes" : "no"])
            }
        }

        let settings = [["form_title", "form_id", "version", "kind", "source", "target_mode", "points_formula"],
                        [q.title, q.formID, q.version, q.kind.rawValue, q.source, q.targetMode.rawValue, q.pointsFormula]]
        return XLSFormSheets(survey: survey, choices: choices, settings: settings)
    }

    /// `4` rather than `4.0`, and a dot for decimals, as XLSForm calculations expect.
    static func formatScore(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
