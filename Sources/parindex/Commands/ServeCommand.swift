import ArgumentParser
import Foundation
import ParIndexCore
import ParIndexDemo
import ParIndexServer
import Vapor

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve ParIndex (migrates the database first; creates an admin on first start)."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let app = try await options.makeApplication(defaultLogLevel: "info")
        try await app.run { app in
            if let admin = try await Bootstrap.ensureAdmin(app) {
                print("""
                Lần khởi động đầu tiên: đã tạo tài khoản quản trị.
                  Tên đăng nhập: \(admin.username)
                  Mật khẩu:      \(admin.password)   (chỉ hiển thị một lần; phải đổi khi đăng nhập)
                """)
            }
            let s = app.settings
            print("ParIndex đang chạy tại http://\(s.hostname):\(s.port) — \(describeDatabase(s))")
            try await app.execute()
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load the demo province (seed 004: Hải Dương) and serve it. Reuses existing data unless --reset."
    )

    @OptionGroup var options: ServerOptions

    @ArgumentParser.Flag(help: "Delete the demo data directory first and load everything again.")
    var reset = false

    func run() async throws {
        var opts = options
        if opts.dataDirectory == nil && ProcessInfo.processInfo.environment["PARINDEX_DATA_DIR"] == nil {
            opts.dataDirectory = "./data-demo"
        }
        if reset, let dir = opts.dataDirectory, ProcessInfo.processInfo.environment["DATABASE_URL"] == nil {
            try? FileManager.default.removeItem(atPath: dir)
        }
        let app = try await opts.makeApplication(defaultLogLevel: "notice")
        try await app.run { app in
            let loaded = try await DemoProvince.load(into: app)
            let s = app.settings
            print(loaded ? "Đã tạo dữ liệu mẫu tỉnh Hải Dương." : "Dùng lại dữ liệu mẫu đã có (thêm --reset để tạo lại).")
            print("ParIndex (bản mẫu) đang chạy tại http://localhost:\(s.port) — \(describeDatabase(s))")
            print("Dữ liệu mẫu: 18 sở, ban, ngành và 12 huyện, thị xã, thành phố của tỉnh Hải Dương (seed 004).")
            for line in DemoProvince.contentsVI { print("  • \(line)") }
            print("Đăng nhập bằng baocao.snv để tiếp tục tự đánh giá năm 2023 của Sở Nội vụ.")
            print("Tài khoản mẫu (mật khẩu chung: \(DemoProvince.password)):")
            for l in DemoProvince.logins {
                print("  \(l.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(l.role.labelVI) — \(l.scope)")
            }
            try await app.execute()
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations and exit."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let app = try await options.makeApplication()
        try await app.run { app in print("Cơ sở dữ liệu đã được cập nhật: \(describeDatabase(app.settings)).") }
    }
}
