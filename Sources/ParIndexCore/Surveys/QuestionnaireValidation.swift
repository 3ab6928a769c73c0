import Foundation

extension Questionnaire {
    /// Field names that travel in the XLSForm and the ballot files but are not questions
    /// (ballot number, respondent group, rated unit). A question may not take them.
    public static let reservedFieldNames: Set<String> = ["so_phieu", "nhom", "don_vi"]

    /// Answer indices are stored in one byte with 255 meaning "missing".
    static let maxChoicesPerList = 254

    /// Checks everything ballots and scoring rely on and lists every problem found.
    public func validate() throws(SurveyError) {
        var issues: [String] = []
        if formID.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append("Thiếu mã phiếu (form_id).")
        }
        if let m = TextRules.check(title, .name, fieldVI: "Tên phiếu (form_title)", maxLength: 500, required: false).messageVI {
            issues.append(m)
        }
        var sectionCodes = Set<String>()
        for section in sections where !sectionCodes.insert(section.code).inserted {
            issues.append("Mã phần “\(section.code)” bị trùng.")
        }
        for section in sections where !Self.isValidName(section.code) {
            issues.append("Mã phần “\(section.code)” không hợp lệ (chỉ dùng chữ không dấu, số, “_”, “-”, “.”, bắt đầu bằng chữ hoặc “_”).")
        }
        if questions.isEmpty { issues.append("Phiếu không có câu hỏi nào.") }
        var questionCodes = Set<String>()
        for q in questions {
            if !Self.isValidName(q.code) {
                issues.append("Mã câu hỏi “\(q.code)” không hợp lệ (chỉ dùng chữ không dấu, số, “_”, “-”, “.”, bắt đầu bằng chữ hoặc “_”).")
            } else if Self.reservedFieldNames.contains(q.code) {
                issues.append("Mã câu hỏi “\(q.code)” trùng với tên trường dành riêng (so_phieu, nhom, don_vi).")
            }
            if !questionCodes.insert(q.code).inserted { issues.append("Mã câu hỏi “\(q.code)” bị trùng.") }
            if let s = q.section, !sectionCodes.contains(s) {
                issues.append("Câu hỏi “\(q.code)” thuộc phần “\(s)” không có trong phiếu.")
            }
            if choiceLists[q.choiceList] == nil {
                issues.append("Câu hỏi “\(q.code)” dùng danh sách lựa chọn “\(q.choiceList)” không có trong phiếu.")
            }
        }
        for name in choiceLists.keys.sorted() {
            let list = choiceLists[name]!
            if Self.reservedFieldNames.contains(name) {
                issues.append("Tên danh sách lựa chọn “\(name)” được dành riêng cho nhóm người trả lời hoặc đơn vị.")
            }
            if list.isEmpty { issues.append("Danh sách lựa chọn “\(name)” không có lựa chọn nào.") ; continue }
            if list.count > Self.maxChoicesPerList {
                issues.append("Danh sách lựa chọn “\(name)” có quá \(Self.maxChoicesPerList) lựa chọn.")
            }
            var codes = Set<String>()
            for choice in list {
                if !Self.isValidChoiceCode(choice.code) {
                    issues.append("Danh sách “\(name)”: mã lựa chọn “\(choice.code)” không hợp lệ (không được trống, chứa khoảng trắng, dấu phẩy, chấm phẩy hoặc ngoặc kép).")
                }
                if !codes.insert(choice.code).inserted {
                    issues.append("Danh sách “\(name)”: mã lựa chọn “\(choice.code)” bị trùng.")
                }
                if let s = choice.score, !s.isFinite {
                    issues.append("Danh sách “\(name)”: điểm của lựa chọn “\(choice.code)” không hợp lệ.")
                }
            }
            if !list.contains(where: { $0.score != nil }) {
                issues.append("Danh sách lựa chọn “\(name)” không có lựa chọn nào có điểm.")
            }
        }
        do {
            _ = try Formula(pointsFormula, inputs: SurveyScoring.formulaInputs)
        } catch {
            issues.append("Công thức tính điểm “\(pointsFormula)”: \(error.messageVI)")
        }
        if !issues.isEmpty { throw .invalidQuestionnaire(issues: issues) }
    }

    /// XLSForm names become CSV column headers and XML element names in ODK.
    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".")
        }
    }

    /// Option codes are keyed in ballot files: no characters that CSV or typing would mangle.
    static func isValidChoiceCode(_ s: String) -> Bool {
        !s.isEmpty && !s.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "," || $0 == ";" || $0 == "\"" }
    }
}
