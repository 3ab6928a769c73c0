import ArgumentParser
import Foundation
import ParIndexServer

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage user accounts.",
        subcommands: [Create.self, List.self, ResetPassword.self, UnlockUser.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user.",
            discussion: """
            Roles: admin, coordinator, unit_reporter, unit_head, appraiser, council, survey_operator, inspector, public.
            Scope a role to a unit with @CODE, and to its descendants with @CODE+ (e.g. --role unit_reporter@SNV).
            Without --password a password is generated, printed once, and must be changed at first login.
            """
        )
        @OptionGroup var options: ServerOptions
        @Argument(help: "Username (letters without accents, digits, . _ -).") var username: String
        @Option(name: .customLong("name"), help: "Full name (Vietnamese).") var fullName: String
        @Option(name: .customLong("role"), help: "A role, repeatable: ROLE or ROLE@UNITCODE or ROLE@UNITCODE+.") var roles: [String] = []
        @Option(help: "E-mail address for notification mail (optional).") var email: String?
        @Option(help: "Initial password (at least 10 characters, not a common or trivial one).") var password: String?

        func run() async throws {
            let app = try await options.makeApplication()
            try await app.run { app in
                do {
                    let generated = try await AdminTasks.createUser(app, username: username, fullName: fullName,
                                                                    email: email, password: password, roles: roles)
                    print("Đã tạo người dùng \(username).")
                    if let generated { print("Mật khẩu tạm thời: \(generated)") }
                } catch {
                    AdminTasks.describe(error).forEach { printError($0) }
                    throw ExitCode.failure
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their roles.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let app = try await options.makeApplication()
            try await app.run { app in
                for u in try await AdminTasks.listUsers(app) {
                    print([u.username, u.fullName, u.active ? "hoạt động" : "đã khóa", u.roles.joined(separator: ",")]
                        .joined(separator: "\t"))
                }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a temporary password that must be changed at next login."
        )
        @OptionGroup var options: ServerOptions
        @Argument(help: "Username.") var username: String
        @Option(help: "The new password (generated when omitted).") var password: String?

        func run() async throws {
            let app = try await options.makeApplication()
            try await app.run { app in
                do {
                    let pw = try await AdminTasks.resetPassword(app, username: username, newPassword: password)
                    print("Mật khẩu tạm thời của \(username): \(pw)")
                } catch {
                    AdminTasks.describe(error).forEach { printError($0) }
                    throw ExitCode.failure
                }
            }
        }
    }
}

/// `parindex user unlock NAME`.
struct UnlockUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Lift the login throttle of a user (after too many failed logins), on every address."
    )
    @OptionGroup var options: ServerOptions
    @Argument(help: "Username.") var username: String

    func run() async throws {
        let app = try await options.makeApplication()
        try await app.run { app in
            do {
                let cleared = try await AdminTasks.unlockUser(app, username: username)
                print(cleared == 0 ? "Tài khoản \(username) không bị chặn đăng nhập."
                                   : "Đã gỡ chặn đăng nhập cho \(username) (\(cleared) địa chỉ).")
            } catch {
                AdminTasks.describe(error).forEach { printError($0) }
                throw ExitCode.failure
            }
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
