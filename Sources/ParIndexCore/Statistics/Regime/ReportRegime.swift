import Foundation

/// Which units report under a regime (within the owning unit).
public enum ReportingUnitSelector: Sendable, Hashable {
    case kinds(Set<UnitKind>)
    case units([String])

    public func includes(code: String, kind: UnitKind) -> Bool {
        switch self {
        case .kinds(let k): k.contains(kind)
        case .units(let list): list.contains(code)
        }
    }
}

/// A section of the report outline (*đề cương*), with the forms whose tables it carries.
public struct OutlineSection: Sendable, Hashable {
    public var code: String
    public var title: String
    public var formCodes: [String]
    public var children: [OutlineSection]

    public init(code: String, title: String, formCodes: [String] = [], children: [OutlineSection] = []) {
        self.code = code
        self.title = title
        self.formCodes = formCodes
        self.children = children
    }
}

public struct ReportOutline: Sendable, Hashable {
    public var sections: [OutlineSection]

    public init(sections: [OutlineSection]) { self.sections = sections }

    /// The seven PAR areas (YEAR-ROUND §1), in their usual order.
    public static let parAreas: [(code: String, title: String)] = [
        ("chi_dao", "Công tác chỉ đạo, điều hành cải cách hành chính"),
        ("the_che", "Cải cách thể chế"),
        ("tthc", "Cải cách thủ tục hành chính"),
        ("to_chuc", "Cải cách tổ chức bộ máy hành chính nhà nước"),
        ("cong_vu", "Cải cách chế độ công vụ"),
        ("tai_chinh", "Cải cách tài chính công"),
        ("chinh_phu_so", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"),
    ]

    /// The PAR periodic report outline [inferred from practice, not a published template]:
    /// I. results by the seven areas → II. overall assessment → III. tasks for the next
    /// period → IV. proposals. The TTHC area carries the shipped indicator tables.
    public static let parDefault = ReportOutline(sections: [
        OutlineSection(code: "I", title: "Kết quả thực hiện công tác cải cách hành chính", children: parAreas.map {
            OutlineSection(code: $0.code, title: $0.title, formCodes: $0.code == "tthc"
                ? ["tthc-thuoc-tham-quyen", "tthc-ket-qua-giai-quyet", "dich-vu-cong-truc-tuyen", "so-hoa-ho-so", "phan-anh-kien-nghi"]
                : [])
        }),
        OutlineSection(code: "II", title: "Đánh giá chung", children: [
            OutlineSection(code: "uu_diem", title: "Ưu điểm"),
            OutlineSection(code: "han_che", title: "Tồn tại, hạn chế"),
            OutlineSection(code: "nguyen_nhan", title: "Nguyên nhân"),
        ]),
        OutlineSection(code: "III", title: "Nhiệm vụ trọng tâm kỳ tới"),
        OutlineSection(code: "IV", title: "Đề xuất, kiến nghị"),
    ])
}

/// A reporting regime (*chế độ báo cáo*): what the Government lists for each one — name,
/// content, reporting units, receiving unit, frequency, data cut-off, deadline, outline, forms.
public struct ReportRegime: Sendable, Hashable {
    public var code: String
    public var name: String
    public var content: String
    public var reportingUnits: ReportingUnitSelector
    public var receivingUnit: String
    public var frequencies: [ReportFrequency]
    public var cutOff: CutOffPreset
    public var deadline: DeadlineRule
    public var outline: ReportOutline
    public var formCodes: [String]

    public init(code: String, name: String, content: String = "", reportingUnits: ReportingUnitSelector, receivingUnit: String,
                frequencies: [ReportFrequency], cutOff: CutOffPreset = .fifteenthToFourteenth,
                deadline: DeadlineRule = .dayOfLastMonth(20), outline: ReportOutline = .parDefault, formCodes: [String] = []) {
        self.code = code
        self.name = name
        self.content = content
        self.reportingUnits = reportingUnits
        self.receivingUnit = receivingUnit
        self.frequencies = frequencies
        self.cutOff = cutOff
        self.deadline = deadline
        self.outline = outline
        self.formCodes = formCodes
    }

    /// Every period of `year` for each frequency, in date order.
    public func periods(year: Int, holidays: Set<CalendarDay> = []) -> [ReportPeriod] {
        frequencies.flatMap { PeriodGenerator.periods(year: year, frequency: $0, cutOff: cutOff, deadline: deadline, holidays: holidays) }
            .sorted()
    }

    /// The units that submit for one period: one submission each when the period opens.
    public func reportingUnits(among units: [(code: String, kind: UnitKind)]) -> [String] {
        units.filter { reportingUnits.includes(code: $0.code, kind: $0.kind) }.map(\.code)
    }
}
