import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Walks every registered route for every role (and for nobody), and checks each answer
/// against this table, which is written out by hand on purpose: a route added without a
/// line here, or declared with another permission, fails the test.
@Suite struct AuthorizationMatrixTests {
    static let expected: [String: Permission] = [
        "GET /healthz": .anonymous, "GET /readyz": .anonymous, "GET /": .authenticated,
        "GET /login": .anonymous, "POST /login": .anonymous, "POST /logout": .anonymous,
        "GET /account": .authenticated, "POST /account/password": .authenticated,
        "POST /account/tokens": .authenticated, "POST /account/tokens/:tokenID/revoke": .authenticated,
        "GET /units": .unitsRead, "GET /units/new": .unitsManage, "POST /units": .unitsManage,
        "GET /units/import": .unitsManage, "POST /units/import": .unitsManage,
        "GET /units/:unitID/edit": .unitsManage, "POST /units/:unitID": .unitsManage,
        "POST /units/:unitID/deactivate": .unitsManage, "POST /units/:unitID/activate": .unitsManage,
        "GET /users": .usersRead, "POST /users": .usersManage, "GET /users/:userID": .usersRead,
        "POST /users/:userID/roles": .usersManage, "POST /users/:userID/roles/:assignmentID/remove": .usersManage,
        "POST /users/:userID/reset-password": .usersManage, "POST /users/:userID/unlock": .usersManage,
        "POST /users/:userID/deactivate": .usersManage,
        "POST /users/:userID/activate": .usersManage, "GET /audit": .auditRead,
        "GET /frameworks": .frameworksRead, "POST /frameworks": .frameworksManage,
        "GET /frameworks/:frameworkID": .frameworksRead, "GET /frameworks/:frameworkID/diff": .frameworksRead,
        "GET /frameworks/:frameworkID/export": .frameworksRead, "POST /frameworks/:frameworkID/publish": .frameworksManage,
        "POST /frameworks/:frameworkID/delete": .frameworksManage,
        "POST /api/v1/auth/token": .anonymous, "GET /api/v1/me": .authenticated,
        "POST /api/v1/me/password": .authenticated, "GET /api/v1/tokens": .authenticated,
        "POST /api/v1/tokens": .authenticated, "DELETE /api/v1/tokens/:tokenID": .authenticated,
        "GET /api/v1/units": .unitsRead, "POST /api/v1/units": .unitsManage,
        "POST /api/v1/units/import": .unitsManage, "GET /api/v1/units/:unitID": .unitsRead,
        "PATCH /api/v1/units/:unitID": .unitsManage, "POST /api/v1/units/:unitID/deactivate": .unitsManage,
        "POST /api/v1/units/:unitID/activate": .unitsManage,
        "GET /api/v1/users": .usersRead, "POST /api/v1/users": .usersManage, "GET /api/v1/users/:userID": .usersRead,
        "POST /api/v1/users/:userID/roles": .usersManage, "DELETE /api/v1/users/:userID/roles/:assignmentID": .usersManage,
        "POST /api/v1/users/:userID/reset-password": .usersManage, "POST /api/v1/users/:userID/unlock": .usersManage,
        "POST /api/v1/users/:userID/deactivate": .usersManage,
        "POST /api/v1/users/:userID/activate": .usersManage, "GET /api/v1/roles": .authenticated,
        "GET /api/v1/audit": .auditRead, "GET /api/v1/openapi.json": .anonymous,
        "GET /api/v1/frameworks": .frameworksRead, "POST /api/v1/frameworks": .frameworksManage,
        "GET /api/v1/frameworks/:frameworkID": .frameworksRead, "DELETE /api/v1/frameworks/:frameworkID": .frameworksManage,
        "GET /api/v1/frameworks/:frameworkID/export": .frameworksRead, "GET /api/v1/frameworks/:frameworkID/diff": .frameworksRead,
        "POST /api/v1/frameworks/:frameworkID/publish": .frameworksManage,
        "GET /campaigns": .assessmentsRead, "POST /campaigns": .campaignsManage,
        "GET /campaigns/:campaignID": .assessmentsRead, "POST /campaigns/:campaignID/reopen": .campaignsManage,
        "GET /assessments/:assessmentID": .assessmentsRead,
        "POST /assessments/:assessmentID/entries/:leafCode": .assessmentsEdit,
        "POST /assessments/:assessmentID/approve": .assessmentsApprove,
        "POST /assessments/:assessmentID/submit": .assessmentsEdit,
        "POST /assessments/:assessmentID/evidence": .assessmentsEdit,
        "GET /evidence/:documentID/download": .assessmentsRead,
        "GET /api/v1/campaigns": .assessmentsRead, "POST /api/v1/campaigns": .campaignsManage,
        "GET /api/v1/campaigns/:campaignID": .assessmentsRead, "POST /api/v1/campaigns/:campaignID/reopen": .campaignsManage,
        "GET /api/v1/assessments/:assessmentID": .assessmentsRead,
        "PUT /api/v1/assessments/:assessmentID/entries/:leafCode": .assessmentsEdit,
        "POST /api/v1/assessments/:assessmentID/approve": .assessmentsApprove,
        "POST /api/v1/assessments/:assessmentID/submit": .assessmentsEdit,
        "POST /api/v1/assessments/:assessmentID/evidence": .assessmentsEdit,
        "GET /api/v1/evidence/:documentID/download": .assessmentsRead,
        "GET /campaigns/:campaignID/appraisal": .appraisalsRead, "POST /campaigns/:campaignID/appraisers": .campaignsManage,
        "POST /assessments/:assessmentID/appraisals/:leafCode": .appraisalsWrite,
        "POST /assessments/:assessmentID/explanations/:leafCode": .assessmentsEdit,
        "GET /campaigns/:campaignID/results": .resultsRead, "POST /campaigns/:campaignID/publish": .resultsPublish,
        "GET /public": .anonymous, "GET /public/campaigns/:campaignID": .anonymous,
        "GET /api/v1/campaigns/:campaignID/appraisers": .appraisalsRead,
        "POST /api/v1/campaigns/:campaignID/appraisers": .campaignsManage,
        "GET /api/v1/campaigns/:campaignID/appraisal": .appraisalsRead,
        "GET /api/v1/campaigns/:campaignID/results": .resultsRead,
        "GET /api/v1/campaigns/:campaignID/results/versions": .resultsRead,
        "POST /api/v1/campaigns/:campaignID/publish": .resultsPublish,
        "PUT /api/v1/assessments/:assessmentID/appraisals/:leafCode": .appraisalsWrite,
        "PUT /api/v1/assessments/:assessmentID/explanations/:leafCode": .assessmentsEdit,
        "GET /api/v1/public/campaigns": .anonymous, "GET /api/v1/public/campaigns/:campaignID": .anonymous,
        "GET /notifications": .authenticated, "POST /notifications/read": .authenticated,
        "GET /api/v1/notifications": .authenticated, "POST /api/v1/notifications/read": .authenticated,
        "GET /assessments/:assessmentID/report": .assessmentsRead, "GET /api/v1/assessments/:assessmentID/report": .assessmentsRead,
        "POST /api/v1/assessments/:assessmentID/preview/:leafCode": .assessmentsRead,
        "PUT /api/v1/campaigns/:campaignID/schedule": .campaignsManage, "POST /campaigns/:campaignID/schedule": .campaignsManage,
        // Surveys (issue 6)
        "GET /surveys": .surveysRead, "GET /campaigns/:campaignID/surveys": .surveysRead,
        "POST /campaigns/:campaignID/surveys/questionnaires": .surveysManage, "POST /campaigns/:campaignID/surveys/xlsform": .surveysManage,
        "POST /campaigns/:campaignID/surveys/groups": .surveysManage, "POST /campaigns/:campaignID/surveys/groups/:code/delete": .surveysManage,
        "POST /campaigns/:campaignID/surveys/batches": .surveysEnter, "GET /campaigns/:campaignID/surveys/report": .surveysRead,
        "GET /surveys/questionnaires/:questionnaireID/xlsform": .surveysRead,
        "POST /surveys/questionnaires/:questionnaireID/delete": .surveysManage,
        "GET /surveys/batches/:batchID": .surveysRead, "GET /surveys/batches/:batchID/entry": .surveysEnter,
        "POST /surveys/batches/:batchID/entry": .surveysEnter, "POST /surveys/batches/:batchID/import": .surveysEnter,
        "POST /surveys/batches/:batchID/close": .surveysEnter, "GET /surveys/ballots/:ballotID/correct": .surveysManage,
        "POST /surveys/ballots/:ballotID/correct": .surveysManage, "POST /surveys/ballots/:ballotID/review": .surveysManage,
        "GET /api/v1/campaigns/:campaignID/surveys": .surveysRead,
        "POST /api/v1/campaigns/:campaignID/surveys/questionnaires": .surveysManage,
        "POST /api/v1/campaigns/:campaignID/surveys/xlsform": .surveysManage,
        "PUT /api/v1/campaigns/:campaignID/surveys/groups/:code": .surveysManage,
        "DELETE /api/v1/campaigns/:campaignID/surveys/groups/:code": .surveysManage,
        "POST /api/v1/campaigns/:campaignID/surveys/batches": .surveysEnter,
        "GET /api/v1/campaigns/:campaignID/surveys/report": .surveysRead,
        "GET /api/v1/surveys/sample-size": .surveysRead,
        "GET /api/v1/surveys/questionnaires/:questionnaireID": .surveysRead,
        "GET /api/v1/surveys/questionnaires/:questionnaireID/xlsform": .surveysRead,
        "DELETE /api/v1/surveys/questionnaires/:questionnaireID": .surveysManage,
        "GET /api/v1/surveys/batches/:batchID": .surveysRead, "GET /api/v1/surveys/batches/:batchID/ballots": .surveysRead,
        "POST /api/v1/surveys/batches/:batchID/ballots": .surveysEnter, "POST /api/v1/surveys/batches/:batchID/import": .surveysEnter,
        "POST /api/v1/surveys/batches/:batchID/close": .surveysEnter,
        "PUT /api/v1/surveys/ballots/:ballotID": .surveysManage, "POST /api/v1/surveys/ballots/:ballotID/review": .surveysManage,
        // Annual report (issue 7)
        "GET /reports/annual/:year": .resultsRead, "GET /public/reports/:year": .anonymous,
        "GET /api/v1/reports/annual/:year": .resultsRead, "GET /api/v1/public/reports/:year": .anonymous,
        "GET /campaigns/:campaignID/units/:unitCode": .resultsRead, "GET /public/campaigns/:campaignID/units/:unitCode": .anonymous,
        "GET /api/v1/campaigns/:campaignID/units/:unitCode/score-sheet": .resultsRead,
        "GET /api/v1/public/campaigns/:campaignID/units/:unitCode": .anonymous,
    ]

    static func key(_ route: Route) -> String {
        route.method.rawValue + " /" + route.path.map(\.description).joined(separator: "/")
    }

    @Test func everyRouteDeclaresTheExpectedPermission() async throws {
        try await withTestApp { app in
            let declared = Dictionary(uniqueKeysWithValues: app.routes.all.map { (Self.key($0), $0.permission) })
            #expect(Set(declared.keys) == Set(Self.expected.keys))
            for (route, permission) in Self.expected { #expect(declared[route] == permission, "\(route)") }
        }
    }

    /// Issue #20: while a temporary password is unchanged, only these answer (the rest
    /// redirect to the change page or answer 403 `auth.password_change_required`).
    static let openBeforePasswordChange: Set<String> = [
        "GET /account", "POST /account/password", "GET /api/v1/me", "POST /api/v1/me/password",
    ]

    @Test func onlyTheAccountRoutesStayOpenBeforeAPasswordChange() async throws {
        try await withTestApp { app in
            let open = Set(app.routes.all.filter(\.openBeforePasswordChange).map(Self.key))
            #expect(open == Self.openBeforePasswordChange)
        }
    }

    @Test(arguments: [Role?.none] + Role.allCases.map(Optional.some))
    func everyRoleGetsTheRightAnswerOnEveryRoute(role: Role?) async throws {
        try await withTestApp { app in
            let p = try await Fixtures.province(app)
            let target = try await Fixtures.user(app, "muctieu")
            // Unit-scoped roles sit on the department they report for; the others are installation-wide.
            let scoped: Set<Role> = [.unitReporter, .unitHead]
            let actor = try await Fixtures.user(app, "actor", roles: role.map { [($0, scoped.contains($0) ? p.snv : nil)] } ?? [])
            let token = try await Fixtures.token(app, userID: actor)
            let browser = Browser(app)
            if role != nil { #expect(try await browser.login("actor").status == .seeOther) } else { try await browser.get("/login") }
            let granted = role.map { RolePermissions.permissions(of: $0) } ?? [.anonymous]
            for route in app.routes.all {
                let key = Self.key(route)
                guard let permission = Self.expected[key], key != "POST /logout" else { continue }
                let path = "/" + route.path.map { c -> String in
                    switch c.description {
                    case ":unitID": return p.snv.uuidString
                    case ":userID": return target.uuidString
                    case ":tokenID", ":assignmentID", ":frameworkID", ":campaignID", ":assessmentID", ":documentID": return UUID().uuidString
                    case ":leafCode": return "1.1.1"
                    default: return c.description
                    }
                }.joined(separator: "/")
                let status: HTTPStatus
                if key.contains(" /api/") {
                    let client = APIClient(app: app, token: role == nil ? nil : token)
                    status = try await client.send(route.method, path, json: route.method == .GET ? nil : [:]).status
                } else if route.method == .GET {
                    status = try await browser.get(path).status
                } else {
                    status = try await browser.post(path, form: [:]).status
                }
                let allowed = permission == .anonymous || granted.contains(permission)
                if allowed {
                    #expect(status != .forbidden && status != .unauthorized, "\(role?.rawValue ?? "anonymous") \(key) → \(status.code)")
                } else if role == nil {
                    let wanted: Set<HTTPStatus> = key.contains(" /api/") ? [.unauthorized] : [.seeOther]
                    #expect(wanted.contains(status), "anonymous \(key) → \(status.code)")
                } else {
                    #expect(status == .forbidden, "\(role!.rawValue) \(key) → \(status.code)")
                }
            }
        }
    }
}
