import Foundation

public typealias UnitID = UUID

/// The kinds of organisation unit. The same software serves the ministry (evaluating
/// provinces), a province (departments and districts, seed 004) and a district (communes,
/// seed 000), so the hierarchy is ministry → province → department | district → commune.
public enum UnitKind: String, CaseIterable, Codable, Sendable {
    case ministry
    case province
    case department
    case district
    case commune

    public var labelVI: String {
        switch self {
        case .ministry: "Bộ, ngành Trung ương"
        case .province: "Tỉnh, thành phố"
        case .department: "Sở, ban, ngành"
        case .district: "Huyện, thị xã, thành phố thuộc tỉnh"
        case .commune: "Xã, phường, thị trấn"
        }
    }

    /// Kinds a unit of this kind may sit under (`nil` parent is allowed for roots).
    public var allowedParentKinds: Set<UnitKind> {
        switch self {
        case .ministry: []
        case .province: [.ministry]
        case .department: [.province, .ministry]
        case .district: [.province]
        case .commune: [.district]
        }
    }

    public var canBeRoot: Bool { self == .ministry || self == .province }

    /// Accepts the English code or the Vietnamese name as typed in spreadsheets
    /// (`Sở`, `huyen`, `Xã` …), accent-insensitively.
    public init?(loose text: String) {
        let f = VietnameseText.fold(text)
        if let k = UnitKind(rawValue: f) { self = k; return }
        let table: [(String, UnitKind)] = [
            ("bo", .ministry), ("nganh trung uong", .ministry), ("tinh", .province), ("thanh pho truc thuoc", .province),
            ("so", .department), ("ban", .department), ("nganh", .department), ("so ban nganh", .department),
            ("huyen", .district), ("thi xa", .district), ("quan", .district), ("cap huyen", .district),
            ("xa", .commune), ("phuong", .commune), ("thi tran", .commune), ("cap xa", .commune),
        ]
        guard let hit = table.first(where: { $0.0 == f }) else { return nil }
        self = hit.1
    }
}
