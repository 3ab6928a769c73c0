import Fluent
import Foundation
import ParIndexCore
import ParIndexServer
import Vapor

/// The demo province: seed 004's Hải Dương, its 18 departments and 12 districts by their
/// real names, a few communes under each district, one login per role, the 2022 frameworks
/// and two years of campaigns (see DemoCampaigns). Deterministic: the same data every time
/// (seeded generator, DemoRandom). Grows with the index-cycle features (issue 8).
public enum DemoProvince {
    public static let password = "parindex-demo"

    static let province = ("HD", "Tỉnh Hải Dương", "Hải Dương")

    /// Seed 004, section III.1 (17 departments and the industrial-zones board).
    static let departments: [(String, String, String)] = [
        ("SGTVT", "Sở Giao thông vận tải", "GTVT"), ("SNV", "Sở Nội vụ", "Nội vụ"),
        ("SKHCN", "Sở Khoa học và Công nghệ", "KH&CN"), ("VPUBND", "Văn phòng UBND tỉnh", "VP UBND"),
        ("STTTT", "Sở Thông tin và Truyền thông", "TT&TT"), ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
        ("SCT", "Sở Công thương", "Công thương"), ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "VHTT&DL"),
        ("STC", "Sở Tài chính", "Tài chính"), ("SXD", "Sở Xây dựng", "Xây dựng"), ("TTT", "Thanh tra tỉnh", "Thanh tra"),
        ("SKHDT", "Sở Kế hoạch và Đầu tư", "KH&ĐT"), ("STNMT", "Sở Tài nguyên và Môi trường", "TN&MT"),
        ("STP", "Sở Tư pháp", "Tư pháp"), ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "LĐ-TB&XH"),
        ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "BQL KCN"), ("SGDDT", "Sở Giáo dục và Đào tạo", "GD&ĐT"),
        ("SYT", "Sở Y tế", "Y tế"),
    ]

    /// Seed 004, section III.2, with a few communes each.
    static let districts: [(String, String, String, [String])] = [
        ("TPHD", "UBND thành phố Hải Dương", "TP Hải Dương", ["Phường Trần Phú", "Phường Nguyễn Trãi", "Xã Gia Xuyên"]),
        ("TPCL", "UBND thành phố Chí Linh", "TP Chí Linh", ["Phường Sao Đỏ", "Phường Phả Lại", "Xã Lê Lợi"]),
        ("TXKM", "UBND thị xã Kinh Môn", "TX Kinh Môn", ["Phường An Lưu", "Phường Hiệp Sơn", "Xã Lê Ninh"]),
        ("HNS", "UBND huyện Nam Sách", "Nam Sách", ["Thị trấn Nam Sách", "Xã An Lâm", "Xã Nam Hưng"]),
        ("HKT", "UBND huyện Kim Thành", "Kim Thành", ["Thị trấn Phú Thái", "Xã Kim Xuyên", "Xã Đồng Cẩm"]),
        ("HTK", "UBND huyện Tứ Kỳ", "Tứ Kỳ", ["Thị trấn Tứ Kỳ", "Xã Đại Sơn", "Xã Quang Phục"]),
        ("HTM", "UBND huyện Thanh Miện", "Thanh Miện", ["Thị trấn Thanh Miện", "Xã Đoàn Tùng", "Xã Lê Hồng"]),
        ("HGL", "UBND huyện Gia Lộc", "Gia Lộc", ["Thị trấn Gia Lộc", "Xã Yết Kiêu", "Xã Phạm Trấn"]),
        ("HCG", "UBND huyện Cẩm Giàng", "Cẩm Giàng", ["Thị trấn Lai Cách", "Thị trấn Cẩm Giang", "Xã Cẩm Điền"]),
        ("HBG", "UBND huyện Bình Giang", "Bình Giang", ["Thị trấn Kẻ Sặt", "Xã Thái Học", "Xã Vĩnh Hưng"]),
        ("HNG", "UBND huyện Ninh Giang", "Ninh Giang", ["Thị trấn Ninh Giang", "Xã Ứng Hòe", "Xã Đông Xuyên"]),
        ("HTH", "UBND huyện Thanh Hà", "Thanh Hà", ["Thị trấn Thanh Hà", "Xã Thanh Lang", "Xã Tân Việt"]),
    ]

    public struct Login: Sendable {
        public var username: String
        public var role: Role
        public var scope: String
    }

    /// Demo accounts, one per role; the reporter and head of Sở Nội vụ (2023 half done) and
    /// of Sở Tư pháp (2023 complete, waiting for the head's approval).
    public static let logins: [Login] = [
        .init(username: "admin", role: .admin, scope: "toàn hệ thống"),
        .init(username: "dieuphoi", role: .coordinator, scope: "toàn hệ thống"),
        .init(username: "baocao.snv", role: .unitReporter, scope: "SNV"),
        .init(username: "thutruong.snv", role: .unitHead, scope: "SNV"),
        .init(username: "baocao.stp", role: .unitReporter, scope: "STP"),
        .init(username: "thutruong.stp", role: .unitHead, scope: "STP"),
        .init(username: "thamdinh", role: .appraiser, scope: "toàn hệ thống"),
        .init(username: "hoidong", role: .council, scope: "toàn hệ thống"),
        .init(username: "nhapphieu", role: .surveyOperator, scope: "toàn hệ thống"),
        .init(username: "kiemtra", role: .inspector, scope: "toàn hệ thống"),
    ]

    /// What the demo holds besides units and accounts, for the `demo` command to print.
    public static let contentsVI: [String] = [
        "Bộ chỉ số CCHC năm 2022 của sở, ban, ngành và của cấp huyện (seed 004), đã ban hành.",
        "Chỉ số CCHC năm 2022 (sở, ban, ngành; huyện, thị xã, thành phố): đã hết hạn tự đánh giá, mọi đơn vị đã gửi, có tài liệu kiểm chứng.",
        "Chỉ số CCHC năm 2023: đang tự đánh giá (mở từ 10 ngày trước đến 20 ngày sau); Sở Nội vụ đang soạn khoảng một nửa, vài đơn vị đã duyệt hoặc đã gửi.",
        "Báo cáo công tác CCHC định kỳ: năm 2021–2023 (số liệu TTHC của Sở Nội vụ đúng như seed 003, kèm các lỗi phần mềm phát hiện), 6 tháng đầu năm 2023 (xã An Lâm mang số liệu của seed 002; vài đơn vị nộp muộn, một báo cáo bị trả lại) và quý hiện tại đang mở.",
    ]

    /// Loads the province unless it is already there (returns false then): units, accounts,
    /// the published 2022 frameworks and two years of campaigns with self-assessments and
    /// evidence. Everything is computed first (deterministic seeds), the evidence files are
    /// written to the store, then every row goes in one transaction with one audit line.
    public static func load(into app: Application) async throws -> Bool {
        if try await UnitModel.query(on: app.db).filter(\.$code == province.0).count() > 0 { return false }
        let started = ContinuousClock.now
        let hash = try await app.password.async.hash(password).get()
        let frameworks = try DemoFrameworks.load()
        let plan = DemoCampaigns.plan(frameworks: frameworks, now: Date())
        let store = EvidenceService.store(app)
        let written = try DemoEvidence.writeFiles(plan.flatMap { $0.assessments.flatMap(\.documents) }, to: store)
        do {
            try await app.db.writeTransaction { db in
                let root = try await makeUnit(province.0, province.1, province.2, .province, parent: nil, on: db)
                var ids: [String: UUID] = [province.0: root]
                for d in departments { ids[d.0] = try await makeUnit(d.0, d.1, d.2, .department, parent: root, on: db) }
                for (code, name, short, communes) in districts {
                    let district = try await makeUnit(code, name, short, .district, parent: root, on: db)
                    ids[code] = district
                    for (i, commune) in communes.enumerated() {
                        _ = try await makeUnit("\(code)-X\(i + 1)", commune, commune, .commune, parent: district, on: db)
                    }
                }
                for login in logins {
                    if try await UserModel.query(on: db).filter(\.$username == login.username).count() > 0 { continue }
                    let user = UserModel(username: login.username, fullName: "Tài khoản mẫu: \(login.role.labelVI)", passwordHash: hash)
                    try await user.create(on: db)
                    let unit = login.scope == "toàn hệ thống" ? nil : ids[login.scope]
                    try await RoleAssignmentModel(userID: user.id!, role: login.role, unitID: unit, includeDescendants: false).create(on: db)
                }
                let frameworkIDs = try await DemoFrameworks.store(frameworks, on: db)
                let counts = try await DemoCampaigns.store(plan, units: ids, frameworks: frameworkIDs, on: db)
                let tuned = plan.reduce(into: [String: Double]()) { $0.merge($1.satisfaction) { a, _ in a } }
                let ballots = try await DemoSurveys.store(tuned: tuned, on: db)
                let reports = try await DemoReports.store(now: Date(), on: db)
                let system = ServiceContext.system(app, db: db)
                let published = try await DemoPublication.publish2022(system)
                // One summary line rather than one per row: the demo is one act of the system.
                try await system.audit(on: db, "demo.load", entity: "unit", entityID: province.0, unitID: root, after: [
                    "units": 1 + departments.count + districts.count * 4, "frameworks": frameworkIDs.count,
                    "campaigns": counts.campaigns, "assessments": counts.assessments,
                    "entries": counts.entries, "documents": counts.documents, "files": counts.files, "ballots": ballots,
                    "appraisals": counts.appraisals, "published": published,
                    "reportPeriods": reports.periods, "reportSubmissions": reports.submissions,
                ], reason: "Dữ liệu mẫu tỉnh Hải Dương")
            }
        } catch {
            // Files are written before the transaction (as uploads are); drop the new ones.
            for sha in written { store.remove(sha) }
            throw error
        }
        app.logger.info("Dữ liệu mẫu đã tạo trong \(ContinuousClock.now - started).")
        return true
    }

    private static func makeUnit(_ code: String, _ name: String, _ short: String, _ kind: UnitKind, parent: UUID?,
                                 on db: any Database) async throws -> UUID {
        let unit = UnitModel()
        unit.apply(UnitRules.Draft(code: code, name: name, shortName: short, kind: kind), parentID: parent)
        try await unit.create(on: db)
        return unit.id!
    }
}
