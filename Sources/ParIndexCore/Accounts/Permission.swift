/// What a route or an action needs. Routes declare exactly one permission; the server's
/// single authorization layer asks ``AccessPolicy`` whether the current user has it.
public enum Permission: String, CaseIterable, Sendable, Codable {
    /// Anyone, logged in or not (login page, public results, health checks).
    case anonymous
    /// Any logged-in user (their own account, password, tokens).
    case authenticated
    /// See units (unit-scoped: a reporter sees their own unit and its parents' names).
    case unitsRead = "units.read"
    /// Create, edit, deactivate and import units.
    case unitsManage = "units.manage"
    /// List users and their roles.
    case usersRead = "users.read"
    /// Create users, assign roles, reset passwords, deactivate.
    case usersManage = "users.manage"
    /// Read the audit trail.
    case auditRead = "audit.read"
    /// See criteria frameworks, drafts included: every evaluated unit must be able to read
    /// the criteria, methods and rule texts it is scored on.
    case frameworksRead = "frameworks.read"
    /// Upload, delete (drafts only) and publish criteria frameworks.
    case frameworksManage = "frameworks.manage"
}

/// The role × permission table. Scope is checked separately (``AccessPolicy``).
public enum RolePermissions {
    public static func permissions(of role: Role) -> Set<Permission> {
        switch role {
        case .admin:
            return Set(Permission.allCases)
        case .coordinator:
            return [.anonymous, .authenticated, .unitsRead, .unitsManage, .usersRead, .auditRead,
                    .frameworksRead, .frameworksManage]
        case .unitReporter, .unitHead, .appraiser, .council, .surveyOperator, .inspector:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead]
        case .public:
            return [.anonymous, .authenticated]
        }
    }
}
