/// The people of an index campaign (seed 004 section I.4: the units that self-score, the
/// secretariat that appraises, the council that decides, the survey operators) plus the
/// coordinator and the administrator. Each assignment of a role is scoped to the whole installation
/// or to one unit (optionally with its descendants); see ``RoleAssignment``.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case admin
    case coordinator
    case unitReporter = "unit_reporter"
    case unitHead = "unit_head"
    case appraiser
    case council
    case surveyOperator = "survey_operator"
    case inspector
    case `public`

    public var labelVI: String {
        switch self {
        case .admin: "Quản trị hệ thống"
        case .coordinator: "Điều phối (Sở/Phòng Nội vụ)"
        case .unitReporter: "Cán bộ báo cáo của đơn vị"
        case .unitHead: "Thủ trưởng đơn vị"
        case .appraiser: "Thành viên Tổ thư ký (thẩm định)"
        case .council: "Hội đồng đánh giá"
        case .surveyOperator: "Nhập phiếu điều tra"
        case .inspector: "Đoàn kiểm tra"
        case .public: "Công chúng"
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where a role assignment applies.
public enum RoleScope: Hashable, Sendable {
    /// The whole installation (all units).
    case installation
    /// One unit; with `includeDescendants`, every unit below it too.
    case unit(UnitID, includeDescendants: Bool)
}

public struct RoleAssignment: Hashable, Sendable {
    public var role: Role
    public var scope: RoleScope
    public init(role: Role, scope: RoleScope) {
        self.role = role
        self.scope = scope
    }
}
