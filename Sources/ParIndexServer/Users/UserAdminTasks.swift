import Foundation
import Vapor

extension AdminTasks {
    /// `parindex user unlock NAME`: lifts the login throttle of a username on every address.
    /// Returns how many counters were cleared.
    public static func unlockUser(_ app: Application, username: String) async throws -> Int {
        let svc = UserService(context: .system(app, actor: cliActor))
        let user = try await svc.find(username: username)
        return try await svc.unlock(userID: user.id!, reason: "Gỡ chặn bằng dòng lệnh")
    }
}
