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
    /// Create campaigns and reopen a unit's self-assessment.
    case campaignsManage = "campaigns.manage"
    /// See campaigns and self-assessments (unit-scoped for the unit's own staff; appraisers
    /// and council see every unit: they appraise and decide, seed 004 section I.4.2).
    case assessmentsRead = "assessments.read"
    /// Score criteria, upload evidence and submit the unit's self-assessment.
    case assessmentsEdit = "assessments.edit"
    /// The head of unit's approval before submission.
    case assessmentsApprove = "assessments.approve"
    /// See the appraisal queue and assignments.
    case appraisalsRead = "appraisals.read"
    /// Record appraisal results (appraisers: rounds 1 and 2; council: its adjustment).
    case appraisalsWrite = "appraisals.write"
    /// Appraise in rounds 1 and 2 (the secretariat's appraisers). Issue #19: this was a
    /// comparison with the role name `appraiser`; it is now a permission like any other.
    case appraisalsRound = "appraisals.round"
    /// Record the council's adjustment (the council; formerly a role-name comparison too).
    case appraisalsAdjust = "appraisals.adjust"
    /// See every unit's live results before publication (coordinator, appraisers, council: the results are
    /// aggregated before they are announced, seed 004 section III).
    case resultsRead = "results.read"
    /// Approve and publish (freeze) results; republish with a reason.
    case resultsPublish = "results.publish"
    /// See questionnaires, the survey plan, ballot batches and survey reports.
    case surveysRead = "surveys.read"
    /// Define questionnaires and the survey plan, review flagged ballots, correct closed batches.
    case surveysManage = "surveys.manage"
    /// Record handed-over batches, key and import ballots, close batches (survey operators).
    case surveysEnter = "surveys.enter"
    /// See report regimes, periods, submissions and roll-ups (issue #14; unit-scoped for a
    /// reporting unit's staff, who see their own submissions).
    case reportsRead = "reports.read"
    /// Enter a unit's figures and narrative, explain violations, submit (the unit's staff).
    case reportsEdit = "reports.edit"
    /// Return, accept, approve and unapprove the submissions of the units below (the receiving
    /// level: the coordinating office, a district head over its communes).
    case reportsApprove = "reports.approve"
    /// Define regimes, open periods, grant extensions, remind the missing units.
    case reportsManage = "reports.manage"
}

/// The role × permission table. Scope is checked separately (``AccessPolicy``).
public enum RolePermissions {
    public static func permissions(of role: Role) -> Set<Permission> {
        switch role {
        case .admin:
            return Set(Permission.allCases)
        case .coordinator:
            return [.anonymous, .authenticated, .unitsRead, .unitsManage, .usersRead, .auditRead,
                    .frameworksRead, .frameworksManage, .campaignsManage, .assessmentsRead, .appraisalsRead,
                    .resultsRead, .resultsPublish, .surveysRead, .surveysManage, .surveysEnter,
                    .reportsRead, .reportsApprove, .reportsManage]
        case .unitReporter:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead, .assessmentsRead, .assessmentsEdit,
                    .reportsRead, .reportsEdit]
        case .unitHead:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead, .assessmentsRead, .assessmentsEdit,
                    .assessmentsApprove, .reportsRead, .reportsEdit, .reportsApprove]
        case .appraiser:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead, .assessmentsRead, .appraisalsRead,
                    .appraisalsWrite, .appraisalsRound, .resultsRead, .surveysRead]
        case .council:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead, .assessmentsRead, .appraisalsRead,
                    .appraisalsWrite, .appraisalsAdjust, .resultsRead, .resultsPublish, .surveysRead]
        case .surveyOperator:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead, .surveysRead, .surveysEnter]
        case .inspector:
            return [.anonymous, .authenticated, .unitsRead, .frameworksRead]
        case .public:
            return [.anonymous, .authenticated]
        }
    }
}
