import ArgumentParser
import Foundation
import ParIndexServer

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: "Manage organisation units.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import units from a UTF-8 CSV file: all rows or none.",
            discussion: """
            Columns (Vietnamese or English headers): ma/code, ten/name, ten_viet_tat/short_name,
            loai/kind (Bộ, Tỉnh, Sở, Huyện, Xã), ma_cap_tren/parent_code, hoat_dong/active.
            Existing codes are updated. Every error is listed with its line; nothing is written if any.
            """
        )
        @OptionGroup var options: ServerOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .customLong("dry-run"), help: "Validate only; write nothing.") var dryRun = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("Không đọc được tệp \(file).")
                throw ExitCode.failure
            }
            let app = try await options.makeApplication()
            try await app.run { app in
                do {
                    let r = try await AdminTasks.importUnits(app, csv: data, dryRun: dryRun)
                    print(dryRun ? "Kiểm tra xong: \(r.rows) dòng hợp lệ (\(r.created) mới, \(r.updated) cập nhật). Chưa lưu gì."
                                 : "Đã nhập \(r.rows) dòng: \(r.created) đơn vị mới, \(r.updated) cập nhật.")
                } catch {
                    AdminTasks.describe(error).forEach { printError($0) }
                    throw ExitCode.failure
                }
            }
        }
    }
}
