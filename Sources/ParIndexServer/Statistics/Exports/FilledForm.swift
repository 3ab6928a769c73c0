import Foundation
import ParIndexCore

/// One form of a submission with its figures evaluated (computed cells filled), as the files
/// people file print it: row numbers, row labels, numbers as numbers, texts as texts.
struct FilledForm: Sendable {
    enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
        case none
    }

    let form: CompiledForm
    let grid: FormGrid

    var code: String { form.form.code }
    var title: String { form.form.title }
    var columns: [FormColumn] { form.form.columns }

    func value(row r: Int, column c: Int) -> Value {
        let row = form.rows[r], col = columns[c]
        switch col.source {
        case .rowNumber: return row.isTotal ? .none : .text(String(r + 1))
        case .rowLabel: return .text(row.label)
        case .value:
            if col.type == .text { return grid.texts[r * form.width + c].map { .text($0) } ?? .none }
            guard let v = grid[r, c], v.isFinite else { return .none }
            return .number(Self.rounded(v, type: col.type))
        }
    }

    /// A rate as the form shows it (`83,9`), so the file and the page say the same figure.
    static func rounded(_ v: Double, type: CellType) -> Double {
        type == .percent ? (v * 10).rounded(.toNearestOrAwayFromZero) / 10 : v
    }
}

/// Who files a report, to whom, for which period, where and when: the heading and the
/// signature of every document of one submission (Decree 30/2020/NĐ-CP, appendix I).
struct ReportPaper: Sendable {
    var unitName: String
    var unitCode: String
    var unitKind: UnitKind
    /// The issuing body's superior ("UBND TỈNH HẢI DƯƠNG" over "SỞ NỘI VỤ"), nil for a root unit.
    var parentName: String?
    var parentKind: UnitKind?
    var receivingUnitName: String
    var regimeName: String
    var periodCode: String
    var periodLabel: String
    var window: String
    var place: String
    var date: Date

    /// A People's Committee issues under its own name ("UBND XÃ SƠN HÀM"); other bodies as named.
    static func issuer(_ name: String, kind: UnitKind) -> String {
        let lower = name.lowercased()
        let committee = [UnitKind.province, .district, .commune].contains(kind) && !lower.hasPrefix("ubnd") && !lower.hasPrefix("ủy ban")
        return (committee ? "UBND " + name : name).uppercased()
    }

    var issuer: String { Self.issuer(unitName, kind: unitKind) }
    var parentIssuer: String? { parentName.map { Self.issuer($0, kind: parentKind ?? .province) } }

    /// `…/BC-SNV`, `…/BC-UBND`: the number is given when the document is registered.
    var number: String {
        let symbol = [UnitKind.province, .district, .commune].contains(unitKind) ? "UBND" : unitCode.uppercased()
        return "…/BC-\(symbol)"
    }

    /// Decree 30/2020: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" for a committee, the head's title otherwise.
    var signerTitle: String {
        switch unitKind {
        case .province, .district, .commune: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        case .department: "GIÁM ĐỐC"
        case .ministry: "BỘ TRƯỞNG"
        }
    }

    /// `Hải Dương, ngày 05 tháng 02 năm 2024`: Decree 30/2020 writes a 0 before a day under 10
    /// and a month under 3.
    var placeAndDate: String {
        let c = VietnameseDate.calendar.dateComponents([.day, .month, .year], from: date)
        let day = c.day! < 10 ? "0\(c.day!)" : "\(c.day!)"
        let month = c.month! < 3 ? "0\(c.month!)" : "\(c.month!)"
        return "\(place), ngày \(day) tháng \(month) năm \(c.year!)"
    }

    /// The place name of a unit's seat: "Hải Dương" for "Tỉnh Hải Dương", "Nam Sách" for "UBND huyện Nam Sách".
    static func place(of name: String, shortName: String) -> String {
        if !shortName.isEmpty { return shortName }
        var text = name
        for prefix in ["UBND ", "Ủy ban nhân dân ", "Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "Huyện ", "huyện ", "Thị xã ", "thị xã ",
                       "Quận ", "quận ", "Xã ", "xã ", "Phường ", "phường ", "Thị trấn ", "thị trấn "] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        return text
    }
}
