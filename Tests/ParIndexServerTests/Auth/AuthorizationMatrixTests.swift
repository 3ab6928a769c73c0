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
        "GET /campaigns/:campaignID/results/versions/:version": .resultsRead,
        "POST /campaigns/:campaignID/corrections": .resultsPublish,
        "GET /public": .anonymous, "GET /public/campaigns/:campaignID": .anonymous,
        "GET /api/v1/campaigns/:campaignID/appraisers": .appraisalsRead,
        "POST /api/v1/campaigns/:campaignID/appraisers": .campaignsManage,
        "GET /api/v1/campaigns/:campaignID/appraisal": .appraisalsRead,
        "GET /api/v1/campaigns/:campaignID/results": .resultsRead,
        "GET /api/v1/campaigns/:campaignID/results/versions": .resultsRead,
        "GET /api/v1/campaigns/:campaignID/results/versions/:version": .resultsRead,
        "GET /api/v1/campaigns/:campaignID/publish/preview": .resultsPublish,
        "POST /api/v1/campaigns/:campaignID/publish": .resultsPublish,
        "POST /api/v1/campaigns/:campaignID/corrections": .resultsPublish,
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
        // Periodic reports and statistics (issue 14)
        "GET /reports": .reportsRead, "POST /reports": .reportsManage,
        "GET /reports/regimes/:regimeID": .reportsRead, "POST /reports/regimes/:regimeID/periods": .reportsManage,
        "GET /reports/periods/:periodID": .reportsRead, "GET /reports/periods/:periodID/rollup/:formCode": .reportsRead,
        "POST /reports/periods/:periodID/remind": .reportsManage, "POST /api/v1/report-periods/:periodID/remind": .reportsManage,
        "GET /reports/submissions/:submissionID": .reportsRead, "POST /reports/submissions/:submissionID": .reportsEdit,
        "POST /reports/submissions/:submissionID/actions": .reportsRead,
        "POST /reports/submissions/:submissionID/extension": .reportsManage,
        "GET /api/v1/report-forms": .reportsRead, "POST /api/v1/report-forms": .reportsManage,
        "GET /api/v1/report-regimes": .reportsRead, "POST /api/v1/report-regimes": .reportsManage,
        "GET /api/v1/report-regimes/:regimeID": .reportsRead, "POST /api/v1/report-regimes/:regimeID/periods": .reportsManage,
        "GET /api/v1/report-periods/:periodID": .reportsRead, "GET /api/v1/report-periods/:periodID/rollup/:formCode": .reportsRead,
        "POST /api/v1/report-periods/:periodID/import/:formCode": .reportsManage,
        "GET /api/v1/report-submissions/:submissionID": .reportsRead, "PUT /api/v1/report-submissions/:submissionID": .reportsEdit,
        "POST /api/v1/report-submissions/:submissionID/actions": .reportsRead,
        "POST /api/v1/report-submissions/:submissionID/extension": .reportsManage,
        // A campaign's own results rules (issue 12, item 1)
        "PUT /api/v1/campaigns/:campaignID/results-rules": .campaignsManage, "POST /campaigns/:campaignID/results-rules": .campaignsManage,
        // Official survey results (issue 12, item 2)
        "GET /api/v1/campaigns/:campaignID/surveys/official": .surveysRead,
        "POST /api/v1/campaigns/:campaignID/surveys/official": .surveysManage,
        "POST /campaigns/:campaignID/surveys/official": .surveysManage,
        // Entry, import and the outline (issue 14, items 1 and 3)
        "PUT /api/v1/report-regimes/:regimeID/outline": .reportsManage, "POST /reports/regimes/:regimeID/outline": .reportsManage,
        "POST /api/v1/report-submissions/:submissionID/check": .reportsRead,
        "POST /api/v1/report-submissions/:submissionID/forms/:formCode/import": .reportsEdit,
        "POST /reports/submissions/:submissionID/import": .reportsEdit, "POST /reports/periods/:periodID/import": .reportsManage,
        // Documents people file (issue 14, item 6)
        "GET /reports/submissions/:submissionID/forms/:formCode/xlsx": .reportsRead, "GET /reports/submissions/:submissionID/document": .reportsRead,
        "GET /reports/periods/:periodID/rollup/:formCode/xlsx": .reportsRead, "GET /reports/periods/:periodID/data-values/:formCode/csv": .reportsRead,
        "GET /api/v1/report-submissions/:submissionID/forms/:formCode/xlsx": .reportsRead,
        "GET /api/v1/report-submissions/:submissionID/document": .reportsRead,
        "GET /api/v1/report-periods/:periodID/rollup/:formCode/xlsx": .reportsRead,
        "GET /api/v1/report-periods/:periodID/data-values/:formCode/csv": .reportsRead,
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

    /// What an allowed actor gets on each route, asked with an empty body and with real ids for
    /// every path parameter (issue #19: a 404 or a 500 used to count as "allowed"). One status
    /// per route; ``allowedStatusByRole`` lists where a role's answer differs.
    static let allowedStatus: [String: UInt] = {
        var table: [String: UInt] = [:]
        // 200: Reads, and writes that need no body.
        for key in [
            "GET /",
            "GET /account",
            "GET /api/v1/assessments/:assessmentID",
            "GET /api/v1/assessments/:assessmentID/report",
            "GET /api/v1/audit",
            "GET /api/v1/campaigns",
            "GET /api/v1/campaigns/:campaignID",
            "GET /api/v1/campaigns/:campaignID/appraisal",
            "GET /api/v1/campaigns/:campaignID/appraisers",
            "GET /api/v1/campaigns/:campaignID/results",
            "GET /api/v1/campaigns/:campaignID/results/versions",
            "GET /api/v1/campaigns/:campaignID/surveys",
            "GET /api/v1/campaigns/:campaignID/surveys/report",
            "GET /api/v1/campaigns/:campaignID/units/:unitCode/score-sheet",
            "GET /api/v1/evidence/:documentID/download",
            "GET /api/v1/frameworks",
            "GET /api/v1/frameworks/:frameworkID",
            "GET /api/v1/frameworks/:frameworkID/export",
            "GET /api/v1/me",
            "GET /api/v1/notifications",
            "GET /api/v1/openapi.json",
            "GET /api/v1/public/campaigns",
            "GET /api/v1/public/campaigns/:campaignID",
            "GET /api/v1/public/campaigns/:campaignID/units/:unitCode",
            "GET /api/v1/public/reports/:year",
            "GET /api/v1/reports/annual/:year",
            "GET /api/v1/roles",
            "GET /api/v1/surveys/batches/:batchID",
            "GET /api/v1/surveys/batches/:batchID/ballots",
            "GET /api/v1/surveys/questionnaires/:questionnaireID",
            "GET /api/v1/surveys/questionnaires/:questionnaireID/xlsform",
            "GET /api/v1/tokens",
            "GET /api/v1/units",
            "GET /api/v1/units/:unitID",
            "GET /api/v1/users",
            "GET /api/v1/users/:userID",
            "GET /assessments/:assessmentID",
            "GET /assessments/:assessmentID/report",
            "GET /audit",
            "GET /campaigns",
            "GET /campaigns/:campaignID",
            "GET /campaigns/:campaignID/appraisal",
            "GET /campaigns/:campaignID/results",
            "GET /campaigns/:campaignID/surveys",
            "GET /campaigns/:campaignID/surveys/report",
            "GET /campaigns/:campaignID/units/:unitCode",
            "GET /evidence/:documentID/download",
            "GET /frameworks",
            "GET /frameworks/:frameworkID",
            "GET /frameworks/:frameworkID/export",
            "GET /healthz",
            "GET /login",
            "GET /notifications",
            "GET /public",
            "GET /public/campaigns/:campaignID",
            "GET /public/campaigns/:campaignID/units/:unitCode",
            "GET /public/reports/:year",
            "GET /readyz",
            "GET /reports/annual/:year",
            "GET /surveys",
            "GET /surveys/ballots/:ballotID/correct",
            "GET /surveys/batches/:batchID",
            "GET /surveys/batches/:batchID/entry",
            "GET /surveys/questionnaires/:questionnaireID/xlsform",
            "GET /units",
            "GET /units/:unitID/edit",
            "GET /units/import",
            "GET /units/new",
            "GET /users",
            "GET /users/:userID",
            "PATCH /api/v1/units/:unitID",
            "POST /api/v1/assessments/:assessmentID/preview/:leafCode",
            "POST /api/v1/units/:unitID/activate",
            "POST /api/v1/units/:unitID/deactivate",
            "POST /api/v1/users/:userID/activate",
            "POST /api/v1/users/:userID/deactivate",
            "POST /api/v1/users/:userID/reset-password",
            "POST /api/v1/users/:userID/unlock",
            "POST /users/:userID/reset-password",
        ] { table[key] = 200 }
        // 204: Done, nothing to say.
        for key in [
            "DELETE /api/v1/tokens/:tokenID",
            "DELETE /api/v1/users/:userID/roles/:assignmentID",
            "POST /api/v1/notifications/read",
        ] { table[key] = 204 }
        // 303: Web forms done (or re-shown after a redirect).
        for key in [
            "POST /account/tokens/:tokenID/revoke",
            "POST /assessments/:assessmentID/entries/:leafCode",
            "POST /assessments/:assessmentID/explanations/:leafCode",
            "POST /notifications/read",
            "POST /units/:unitID/activate",
            "POST /units/:unitID/deactivate",
            "POST /users/:userID/activate",
            "POST /users/:userID/deactivate",
            "POST /users/:userID/roles/:assignmentID/remove",
            "POST /users/:userID/unlock",
        ] { table[key] = 303 }
        // 400: An empty body the endpoint cannot read (a required field is missing from the JSON or form).
        for key in [
            "GET /api/v1/frameworks/:frameworkID/diff",
            "GET /frameworks/:frameworkID/diff",
            "POST /account/password",
            "POST /account/tokens",
            "POST /api/v1/auth/token",
            "POST /api/v1/campaigns",
            "POST /api/v1/campaigns/:campaignID/appraisers",
            "POST /api/v1/campaigns/:campaignID/reopen",
            "POST /api/v1/campaigns/:campaignID/surveys/batches",
            "POST /api/v1/campaigns/:campaignID/surveys/questionnaires",
            "POST /api/v1/frameworks",
            "POST /api/v1/me/password",
            "POST /api/v1/surveys/ballots/:ballotID/review",
            "POST /api/v1/surveys/batches/:batchID/ballots",
            "POST /api/v1/tokens",
            "POST /api/v1/users",
            "POST /api/v1/users/:userID/roles",
            "POST /campaigns/:campaignID/appraisers",
            "POST /campaigns/:campaignID/reopen",
            "POST /campaigns/:campaignID/surveys/xlsform",
            "POST /login",
            "POST /surveys/batches/:batchID/import",
            "POST /units/import",
            "POST /users",
            "POST /users/:userID/roles",
            "PUT /api/v1/assessments/:assessmentID/appraisals/:leafCode",
            "PUT /api/v1/assessments/:assessmentID/entries/:leafCode",
            "PUT /api/v1/assessments/:assessmentID/explanations/:leafCode",
            "PUT /api/v1/campaigns/:campaignID/surveys/groups/:code",
            "PUT /api/v1/surveys/ballots/:ballotID",
        ] { table[key] = 400 }
        // 409: Refused by the object's state (a published framework, a submitted or published campaign, a closed batch…).
        for key in [
            "DELETE /api/v1/campaigns/:campaignID/surveys/groups/:code",
            "DELETE /api/v1/frameworks/:frameworkID",
            "DELETE /api/v1/surveys/questionnaires/:questionnaireID",
            "POST /api/v1/assessments/:assessmentID/submit",
            "POST /api/v1/frameworks/:frameworkID/publish",
            "POST /api/v1/surveys/batches/:batchID/close",
            "POST /api/v1/surveys/batches/:batchID/import",
            "POST /assessments/:assessmentID/approve",
            "POST /assessments/:assessmentID/submit",
            "POST /frameworks/:frameworkID/delete",
            "POST /frameworks/:frameworkID/publish",
        ] { table[key] = 409 }
        // 422: Read, but invalid: the Vietnamese field problems.
        for key in [
            "GET /api/v1/surveys/sample-size",
            "POST /api/v1/assessments/:assessmentID/approve",
            "POST /api/v1/assessments/:assessmentID/evidence",
            "POST /api/v1/campaigns/:campaignID/publish",
            "POST /api/v1/campaigns/:campaignID/surveys/xlsform",
            "POST /api/v1/units",
            "POST /api/v1/units/import",
            "POST /assessments/:assessmentID/appraisals/:leafCode",
            "POST /assessments/:assessmentID/evidence",
            "POST /campaigns",
            "POST /campaigns/:campaignID/publish",
            "POST /campaigns/:campaignID/schedule",
            "POST /campaigns/:campaignID/surveys/batches",
            "POST /campaigns/:campaignID/surveys/groups",
            "POST /campaigns/:campaignID/surveys/groups/:code/delete",
            "POST /campaigns/:campaignID/surveys/questionnaires",
            "POST /frameworks",
            "POST /surveys/ballots/:ballotID/correct",
            "POST /surveys/ballots/:ballotID/review",
            "POST /surveys/batches/:batchID/close",
            "POST /surveys/batches/:batchID/entry",
            "POST /surveys/questionnaires/:questionnaireID/delete",
            "POST /units",
            "POST /units/:unitID",
            "PUT /api/v1/campaigns/:campaignID/schedule",
        ] { table[key] = 422 }
        // Issue #19: the world's campaign is published, so its data is read-only (409
        // `campaign.published`), a republication needs an open correction (409), a versioned
        // write without a version is refused (428), and a correction needs a reason (422).
        for key in [
            "POST /api/v1/assessments/:assessmentID/approve",
            "POST /api/v1/assessments/:assessmentID/evidence",
            "POST /api/v1/campaigns/:campaignID/publish",
            "POST /assessments/:assessmentID/entries/:leafCode",
            "POST /assessments/:assessmentID/evidence",
            "POST /campaigns/:campaignID/publish",
        ] { table[key] = 409 }
        for key in [
            "POST /campaigns/:campaignID/surveys/groups/:code/delete",
            "POST /surveys/questionnaires/:questionnaireID/delete",
        ] { table[key] = 409 }
        for key in [
            "POST /api/v1/surveys/batches/:batchID/close",
            "POST /surveys/ballots/:ballotID/correct",
            "POST /surveys/ballots/:ballotID/review",
            "POST /surveys/batches/:batchID/close",
        ] { table[key] = 428 }
        table["POST /api/v1/surveys/batches/:batchID/import"] = 422
        for key in ["POST /api/v1/campaigns/:campaignID/corrections", "POST /campaigns/:campaignID/corrections"] { table[key] = 422 }
        for key in [
            "GET /api/v1/campaigns/:campaignID/publish/preview",
            "GET /api/v1/campaigns/:campaignID/results/versions/:version",
            "GET /campaigns/:campaignID/results/versions/:version",
        ] { table[key] = 200 }
        // Issue #14: reads answer 200; an empty body is refused as unreadable (400) or invalid
        // (422); a save without a version is 428.
        for key in [
            "GET /reports", "GET /reports/regimes/:regimeID", "GET /reports/periods/:periodID",
            "GET /reports/periods/:periodID/rollup/:formCode", "GET /reports/submissions/:submissionID",
            "GET /api/v1/report-forms", "GET /api/v1/report-regimes", "GET /api/v1/report-regimes/:regimeID",
            "GET /api/v1/report-periods/:periodID", "GET /api/v1/report-periods/:periodID/rollup/:formCode",
            "GET /api/v1/report-submissions/:submissionID", "POST /api/v1/report-periods/:periodID/remind",
            "GET /reports/submissions/:submissionID/forms/:formCode/xlsx", "GET /reports/submissions/:submissionID/document",
            "GET /reports/periods/:periodID/rollup/:formCode/xlsx", "GET /reports/periods/:periodID/data-values/:formCode/csv",
            "GET /api/v1/report-submissions/:submissionID/forms/:formCode/xlsx", "GET /api/v1/report-submissions/:submissionID/document",
            "GET /api/v1/report-periods/:periodID/rollup/:formCode/xlsx", "GET /api/v1/report-periods/:periodID/data-values/:formCode/csv",
        ] { table[key] = 200 }
        table["POST /reports/periods/:periodID/remind"] = 303
        // A campaign's own rules: an empty body is unreadable (400); the page's form without a reason is refused (422).
        table["PUT /api/v1/campaigns/:campaignID/results-rules"] = 400
        table["POST /campaigns/:campaignID/results-rules"] = 422
        // Official survey results: listed; an empty file is refused (422), a form without a file is unreadable (400).
        table["GET /api/v1/campaigns/:campaignID/surveys/official"] = 200
        table["POST /api/v1/campaigns/:campaignID/surveys/official"] = 422
        table["POST /campaigns/:campaignID/surveys/official"] = 400
        // The live check answers with the report as typed (nothing typed: as stored).
        table["POST /api/v1/report-submissions/:submissionID/check"] = 200
        table["POST /api/v1/report-submissions/:submissionID/forms/:formCode/import"] = 422
        for key in ["POST /reports/periods/:periodID/import", "POST /reports/submissions/:submissionID/import",
                    "POST /reports/regimes/:regimeID/outline", "PUT /api/v1/report-regimes/:regimeID/outline"] { table[key] = 400 }
        for key in [
            "POST /api/v1/report-regimes", "POST /api/v1/report-submissions/:submissionID/actions",
            "POST /api/v1/report-submissions/:submissionID/extension", "POST /reports/submissions/:submissionID/actions",
            "POST /reports/submissions/:submissionID/extension",
        ] { table[key] = 400 }
        for key in [
            "POST /api/v1/report-forms", "POST /api/v1/report-periods/:periodID/import/:formCode",
            "POST /api/v1/report-regimes/:regimeID/periods", "POST /reports", "POST /reports/regimes/:regimeID/periods",
        ] { table[key] = 422 }
        for key in ["POST /reports/submissions/:submissionID", "PUT /api/v1/report-submissions/:submissionID"] { table[key] = 428 }
        return table
    }()

    /// A route whose answer depends on the role (a scoped reader seeing less) gets its line here.
    static let allowedStatusByRole: [String: [Role: UInt]] = [
        // A roll-up covers the regime owner's whole tree: a unit's own staff are refused it (issue #14).
        "GET /reports/periods/:periodID/rollup/:formCode": [.unitReporter: 403, .unitHead: 403],
        "GET /api/v1/report-periods/:periodID/rollup/:formCode": [.unitReporter: 403, .unitHead: 403],
        "GET /reports/periods/:periodID/rollup/:formCode/xlsx": [.unitReporter: 403, .unitHead: 403],
        "GET /api/v1/report-periods/:periodID/rollup/:formCode/xlsx": [.unitReporter: 403, .unitHead: 403],
        // The data values name every unit's figures: the regime owner's staff only, as the roll-up.
        "GET /reports/periods/:periodID/data-values/:formCode/csv": [.unitReporter: 403, .unitHead: 403],
        "GET /api/v1/report-periods/:periodID/data-values/:formCode/csv": [.unitReporter: 403, .unitHead: 403],
    ]

    /// One object of each kind, so no allowed request can miss: the SNV/SYT campaign with its
    /// questionnaires, a batch with one ballot, an evidence document, a target user with a role,
    /// and two spare tokens of the actor to revoke (web, API).
    struct MatrixWorld {
        var province: Fixtures.Province
        var params: [String: String]
        /// Per-route values where one route's parameter must differ from another's (what the
        /// first revokes or removes, the second would no longer find).
        var perRoute: [String: [String: String]]
    }

    static func matrixWorld(_ app: Application, actor: UUID) async throws -> MatrixWorld {
        let s = try await SurveyTests.world(app)
        let w = s.base
        let target = try await Fixtures.user(app, "muctieu", roles: [(.unitReporter, w.province.syt), (.unitHead, w.province.syt)])
        let assignments = try await RoleAssignmentModel.query(on: app.db).filter(\.$user.$id == target).all().map { $0.id!.uuidString }
        #expect(assignments.count == 2)
        let pdf = Data("%PDF-1.4\n% Kế hoạch CCHC năm 2022\n%%EOF\n".utf8)
        let up = try await w.reporter.upload("/api/v1/assessments/\(w.snvAssessment)/evidence", file: pdf, filename: "kehoach.pdf", fields: [
            "documentNumber": "54/KH-UBND", "documentDate": "28/04/2022", "issuer": "Sở Nội vụ",
            "title": "Kế hoạch CCHC năm 2022", "leafCodes": "1.1.1"])
        #expect(up.status == .created, "\(up.body.string)")
        let batch = try await SurveyTests.batch(s, form: "sipas-2022", declared: 10)
        let keyed = try await s.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batch)/ballots", json: Self.ballot("S-1", unit: "SNV"))
        #expect(keyed.status == .created, "\(keyed.body.string)")
        let list = try await s.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batch)/ballots")
        let ballots = (try JSONSerialization.jsonObject(with: Data(list.body.string.utf8)) as? [[String: Any]]) ?? []
        let ballot = try #require(ballots.first?["id"] as? String)
        let campaign = try await w.coordinator.send(.GET, "/api/v1/campaigns/\(w.campaignID)")
        // Published once, so the public pages answer (and a second publication without a reason is refused).
        try await AppraisalCycleTests.openPhase(app, w.campaignID, .publication)
        try await PublicationFixtures.markSubmitted(app, w.campaignID)
        let published = try await PublicationFixtures.publishThroughAPI(w.coordinator, w.campaignID)
        #expect(published.status == .ok, "\(published.body.string.prefix(300))")
        // Issue #14: a regime over the departments with one open period.
        let regime = try await w.coordinator.send(.POST, "/api/v1/report-regimes", json: [
            "code": "cchc", "name": "Báo cáo CCHC", "ownerUnitCode": "HD", "unitKinds": ["department"], "formCodes": ["so-hoa-ho-so"]])
        #expect(regime.status == .created, "\(regime.body.string)")
        let regimeID = regime.json["id"] as? String ?? ""
        let period = try await w.coordinator.send(.POST, "/api/v1/report-regimes/\(regimeID)/periods", json: ["frequency": "year", "year": 2030])
        #expect(period.status == .created, "\(period.body.string)")
        let periodID = period.json["id"] as? String ?? ""
        let subs = try await w.coordinator.send(.GET, "/api/v1/report-periods/\(periodID)")
        let submission = ((subs.json["submissions"] as? [[String: Any]]) ?? []).first { $0["unitCode"] as? String == "SNV" }?["id"] as? String ?? ""
        var spare: [String] = []
        for _ in 0..<2 {
            let secret = try await Fixtures.token(app, userID: actor)
            spare.append(try #require(try await APITokenModel.query(on: app.db).filter(\.$prefix == String(secret.prefix(10))).first()?.id?.uuidString))
        }
        return MatrixWorld(province: w.province, params: [
            ":unitID": w.province.snv.uuidString, ":userID": target.uuidString,
            ":frameworkID": campaign.json["frameworkId"] as? String ?? "", ":campaignID": w.campaignID,
            ":assessmentID": w.snvAssessment, ":documentID": up.json["id"] as? String ?? "", ":leafCode": "1.1.1",
            ":questionnaireID": s.sipasID, ":batchID": batch, ":ballotID": ballot,
            ":code": "nguoi_dan", ":unitCode": "SNV", ":year": "2022", ":version": "1",
            ":regimeID": regimeID, ":periodID": periodID, ":submissionID": submission, ":formCode": "so-hoa-ho-so",
        ], perRoute: [
            "POST /account/tokens/:tokenID/revoke": [":tokenID": spare[0]], "DELETE /api/v1/tokens/:tokenID": [":tokenID": spare[1]],
            "POST /users/:userID/roles/:assignmentID/remove": [":assignmentID": assignments[0]],
            "DELETE /api/v1/users/:userID/roles/:assignmentID": [":assignmentID": assignments[1]],
        ])
    }

    @Test(arguments: [Role?.none] + Role.allCases.map(Optional.some))
    func everyRoleGetsTheRightAnswerOnEveryRoute(role: Role?) async throws {
        try await withTestApp { app in
            // Unit-scoped roles sit on the department they report for; the others are installation-wide.
            let scoped: Set<Role> = [.unitReporter, .unitHead]
            let actor = try await Fixtures.user(app, "actor")
            let world = try await Self.matrixWorld(app, actor: actor)
            if let role {
                try await RoleAssignmentModel(userID: actor, role: role, unitID: scoped.contains(role) ? world.province.snv : nil,
                                              includeDescendants: false).create(on: app.db)
            }
            let token = try await Fixtures.token(app, userID: actor)
            let browser = Browser(app)
            if role != nil { #expect(try await browser.login("actor").status == .seeOther) } else { try await browser.get("/login") }
            let granted = role.map { RolePermissions.permissions(of: $0) } ?? [.anonymous]
            var observed: [String] = []
            for route in app.routes.all {
                let key = Self.key(route)
                guard let permission = Self.expected[key], key != "POST /logout" else { continue }
                let path = "/" + route.path.map { c -> String in
                    let name = c.description
                    return world.perRoute[key]?[name] ?? world.params[name] ?? name
                }.joined(separator: "/")
                #expect(!path.contains("/:"), "\(key): no value for a path parameter")
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
                let who = role?.rawValue ?? "anonymous"
                if allowed {
                    let wanted = role.flatMap { Self.allowedStatusByRole[key]?[$0] } ?? Self.allowedStatus[key]
                    #expect(Self.allowedStatus[key] != nil, "\(key): no expected status in the table")
                    observed.append("\"\(key)\": \(status.code),")
                    #expect(wanted == status.code, "\(who) \(key) → \(status.code), expected \(wanted.map(String.init) ?? "?")")
                } else if role == nil {
                    let wanted: Set<HTTPStatus> = key.contains(" /api/") ? [.unauthorized] : [.seeOther]
                    #expect(wanted.contains(status), "anonymous \(key) → \(status.code)")
                } else {
                    #expect(status == .forbidden, "\(who) \(key) → \(status.code)")
                }
            }
            if ProcessInfo.processInfo.environment["MATRIX_RECORD"] != nil {
                print("MATRIX \(role?.rawValue ?? "anonymous")\n" + observed.joined(separator: "\n"))
            }
        }
    }
}

/// Unit-scoped variants of the roles (issue #20, finding 8): each scoped to Sở Y tế (SYT) in a
/// campaign over SNV and SYT, asked for SNV's and SYT's data. Every expectation is one exact
/// status, so a 404 or a 500 fails as surely as a leak does. Kept apart from the matrix above
/// (another change edits that one).
extension AuthorizationMatrixTests {
    struct ScopedWorld {
        var survey: SurveyTests.World
        var campaign: String { survey.base.campaignID }
        var snv: String { survey.base.snvAssessment }
        var batch: String
        var snvBallot: String
        var api: [String: APIClient]
        var web: [String: Browser]
    }

    /// The actors: each role scoped to SYT, and unscoped for contrast.
    static let scopedActors: [(name: String, role: Role, scoped: Bool)] = [
        ("appraiser@SYT", .appraiser, true), ("council@SYT", .council, true), ("coordinator@SYT", .coordinator, true),
        ("survey_operator@SYT", .surveyOperator, true), ("appraiser", .appraiser, false), ("council", .council, false),
    ]

    static func scopedWorld(_ app: Application) async throws -> ScopedWorld {
        let s = try await SurveyTests.world(app)
        let w = s.base
        try await SelfAssessmentTests.fillEverything(w)
        try await SelfAssessmentTests.approve(w)
        #expect(try await SelfAssessmentTests.submit(w).status == .ok)
        var api: [String: APIClient] = [:], web: [String: Browser] = [:]
        for (i, a) in scopedActors.enumerated() {
            let username = "scoped\(i)"
            let id = try await Fixtures.user(app, username, roles: [(a.role, a.scoped ? w.province.syt : nil)])
            api[a.name] = APIClient(app: app, token: try await Fixtures.token(app, userID: id))
            let b = Browser(app)
            #expect(try await b.login(username).status == .seeOther)
            web[a.name] = b
            if a.role == .appraiser {
                let r = try await w.coordinator.send(.POST, "/api/v1/campaigns/\(w.campaignID)/appraisers", json: ["username": username, "nodeCode": "1"])
                #expect(r.status == .created, "\(r.body.string)")
            }
        }
        let batch = try await SurveyTests.batch(s, form: "sipas-2022", declared: 10)
        let keyed = try await s.operatorClient.send(.POST, "/api/v1/surveys/batches/\(batch)/ballots", json: Self.ballot("S-1", unit: "SNV"))
        #expect(keyed.status == .created, "\(keyed.body.string)")
        let list = try await s.operatorClient.send(.GET, "/api/v1/surveys/batches/\(batch)/ballots")
        let ballots = (try JSONSerialization.jsonObject(with: Data(list.body.string.utf8)) as? [[String: Any]]) ?? []
        let snvBallot = try #require(ballots.first { $0["unitCode"] as? String == "SNV" }?["id"] as? String)
        return ScopedWorld(survey: s, batch: batch, snvBallot: snvBallot, api: api, web: web)
    }

    static func ballot(_ number: String, unit: String) -> [String: Any] {
        ["ballotNumber": number, "group": "nguoi_dan",
         "ratings": [["unit": unit, "answers": Dictionary(uniqueKeysWithValues: SurveyTests.sipasQuestions.map { ($0, "4") })]]]
    }

    static func units(_ res: TestingHTTPResponse) -> [String] {
        ((res.json["units"] as? [[String: Any]]) ?? []).compactMap { $0["unitCode"] as? String }.sorted()
    }

    @Test(arguments: Engine.available)
    func scopedReadersSeeTheirUnitsOnlyInResultsScoreSheetsAndReports(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.scopedWorld(app)
            let c = w.campaign
            // (actor, live results units or nil for 403, SNV sheet, SYT sheet, draft report)
            let expected: [(String, [String]?, HTTPStatus, HTTPStatus, HTTPStatus)] = [
                ("appraiser@SYT", ["SYT"], .forbidden, .ok, .forbidden),
                ("council@SYT", ["SYT"], .forbidden, .ok, .forbidden),
                ("coordinator@SYT", ["SYT"], .forbidden, .ok, .forbidden),
                ("survey_operator@SYT", nil, .forbidden, .forbidden, .forbidden),
                ("appraiser", ["SNV", "SYT"], .ok, .ok, .ok),
                ("council", ["SNV", "SYT"], .ok, .ok, .ok),
            ]
            for (actor, units, snvSheet, sytSheet, report) in expected {
                let client = try #require(w.api[actor])
                let browser = try #require(w.web[actor])
                let live = try await client.send(.GET, "/api/v1/campaigns/\(c)/results")
                #expect(live.status == (units == nil ? .forbidden : .ok), "\(actor) results → \(live.status.code)")
                if let units { #expect(Self.units(live) == units, "\(actor) results units") }
                let page = try await browser.get("/campaigns/\(c)/results")
                #expect(page.status == (units == nil ? .forbidden : .ok), "\(actor) results page → \(page.status.code)")
                if let units {
                    #expect(page.body.string.contains("/units/SNV\"") == units.contains("SNV"), "\(actor) results page lists SNV?")
                    #expect(page.body.string.contains("/units/SYT\""), "\(actor) results page lists SYT")
                }
                let sheetSNV = try await client.send(.GET, "/api/v1/campaigns/\(c)/units/SNV/score-sheet")
                #expect(sheetSNV.status == snvSheet, "\(actor) SNV sheet → \(sheetSNV.status.code)")
                if snvSheet == .forbidden && units != nil { #expect(sheetSNV.problemCode == "auth.out_of_scope") }
                #expect(try await browser.get("/campaigns/\(c)/units/SNV").status == snvSheet, "\(actor) SNV sheet page")
                let sheetSYT = try await client.send(.GET, "/api/v1/campaigns/\(c)/units/SYT/score-sheet")
                #expect(sheetSYT.status == sytSheet, "\(actor) SYT sheet → \(sheetSYT.status.code)")
                let draft = try await client.send(.GET, "/api/v1/reports/annual/2022?format=csv")
                #expect(draft.status == report, "\(actor) draft report → \(draft.status.code) \(draft.body.string.prefix(200))")
                #expect(try await browser.get("/reports/annual/2022?format=csv").status == report, "\(actor) draft report page")
            }
        }
    }

    @Test(arguments: Engine.available)
    func scopedReadersSeeTheirUnitsOnlyInTheSurveyReport(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.scopedWorld(app)
            let path = "/api/v1/campaigns/\(w.campaign)/surveys/report"
            for (actor, units) in [("appraiser@SYT", ["SYT"]), ("survey_operator@SYT", ["SYT"]), ("coordinator@SYT", ["SYT"]),
                                   ("council@SYT", ["SYT"]), ("appraiser", ["SNV", "SYT"])] {
                let r = try await w.api[actor]!.send(.GET, path)
                #expect(r.status == .ok, "\(actor) survey report → \(r.status.code)")
                let seen = ((r.json["questionnaires"] as? [[String: Any]]) ?? []).flatMap { q in
                    ((q["units"] as? [[String: Any]]) ?? []).compactMap { $0["unitCode"] as? String }
                }
                #expect(Set(seen) == Set(units) && !seen.isEmpty, "\(actor) survey report units \(seen)")
                let csv = try await w.api[actor]!.send(.GET, path + "?format=csv")
                #expect(csv.status == .ok && csv.body.string.contains(",SNV,") == units.contains("SNV"), "\(actor) survey CSV")
                #expect(try await w.web[actor]!.get("/campaigns/\(w.campaign)/surveys/report").status == .ok, "\(actor) survey report page")
            }
        }
    }

    @Test(arguments: Engine.available)
    func scopedAppraisersQueueAndAppraiseTheirUnitsOnly(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.scopedWorld(app)
            try await AppraisalCycleTests.openPhase(app, w.campaign, .appraisalRound1)
            let scoped = try #require(w.api["appraiser@SYT"]), unscoped = try #require(w.api["appraiser"])
            let queue = "/api/v1/campaigns/\(w.campaign)/appraisal?unit=SNV"
            let mine = try await scoped.send(.GET, queue)
            #expect(mine.status == .ok)
            #expect(mine.body.string == "[]", "\(mine.body.string.prefix(200))")
            let all = try await unscoped.send(.GET, queue)
            #expect(all.status == .ok && all.body.string.contains("\"unitCode\":\"SNV\""))
            let put = "/api/v1/assessments/\(w.snv)/appraisals/1.1.2"
            let body: [String: Any] = ["stage": "round1", "input": ["kind": "yes_no", "value": true], "version": 0]
            #expect(try await scoped.send(.PUT, put, json: body).status == .forbidden)
            #expect(try await unscoped.send(.PUT, put, json: body).status == .ok)
        }
    }

    @Test(arguments: Engine.available)
    func onlyHoldersOnTheWholeCampaignPublish(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.scopedWorld(app)
            for actor in ["council@SYT", "coordinator@SYT"] {
                let r = try await w.api[actor]!.send(.POST, "/api/v1/campaigns/\(w.campaign)/publish", json: [:])
                #expect(r.status == .forbidden && r.problemCode == "auth.out_of_scope", "\(actor) publish → \(r.status.code)")
                _ = try await w.web[actor]!.get("/account")
                let page = try await w.web[actor]!.post("/campaigns/\(w.campaign)/publish", form: [:])
                #expect(page.status == .forbidden && page.body.string.contains("phạm vi"), "\(actor) web publish → \(page.status.code)")
            }
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0)
            try await AppraisalCycleTests.openPhase(app, w.campaign, .councilReview)
            try await PublicationFixtures.markSubmitted(app, w.campaign)
            let r = try await PublicationFixtures.publishThroughAPI(w.api["council"]!, w.campaign)
            #expect(r.status == .ok, "\(r.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func scopedOperatorsKeyImportAndCorrectBallotsForTheirUnitsOnly(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let w = try await Self.scopedWorld(app)
            let path = "/api/v1/surveys/batches/\(w.batch)/ballots"
            for actor in ["survey_operator@SYT", "coordinator@SYT"] {
                let client = try #require(w.api[actor])
                let other = try await client.send(.POST, path, json: Self.ballot("S-9-\(actor.prefix(3))", unit: "SNV"))
                #expect(other.status == .forbidden && other.problemCode == "auth.out_of_scope", "\(actor) keys SNV → \(other.status.code) \(other.body.string)")
                #expect((other.json["detail"] as? String)?.contains("Sở Nội vụ") == true)
                let own = try await client.send(.POST, path, json: Self.ballot("S-2-\(actor.prefix(3))", unit: "SYT"))
                #expect(own.status == .created, "\(actor) keys SYT → \(own.status.code) \(own.body.string)")
                let header = (["so_phieu", "nhom", "don_vi"] + SurveyTests.sipasQuestions).joined(separator: ",")
                let file = [header, SurveyTests.sipasRow("S-3", unit: "SYT", answer: "4", codes: SurveyTests.sipasQuestions),
                            SurveyTests.sipasRow("S-4", unit: "SNV", answer: "4", codes: SurveyTests.sipasQuestions)].joined(separator: "\n")
                for dry in ["?dryRun=true", ""] {
                    let imported = try await client.send(.POST, "/api/v1/surveys/batches/\(w.batch)/import\(dry)", bytes: Data(file.utf8))
                    #expect(imported.status == .forbidden && imported.problemCode == "auth.out_of_scope", "\(actor) import\(dry) → \(imported.status.code) \(imported.body.string)")
                    #expect((imported.json["detail"] as? String)?.contains("dòng 3") == true, "\(imported.body.string)")
                }
            }
            let coordinator = try #require(w.api["coordinator@SYT"])
            let correct = try await coordinator.send(.PUT, "/api/v1/surveys/ballots/\(w.snvBallot)", json: ["reason": "Nhập nhầm", "voided": true])
            #expect(correct.status == .forbidden, "\(correct.body.string)")
            let review = try await coordinator.send(.POST, "/api/v1/surveys/ballots/\(w.snvBallot)/review", json: ["decision": "rejected", "reason": "x"])
            #expect(review.status == .forbidden, "\(review.body.string)")
            let stored = try #require(try await BallotModel.find(UUID(uuidString: w.snvBallot), on: app.db))
            #expect(!stored.voided && stored.review != "rejected")
            // Two SYT ballots (one per scoped actor) and the unscoped operator's SNV one; nothing from the refused imports.
            #expect(try await BallotModel.query(on: app.db).count() == 3)
            // The batch's list shows a scoped reader only the ballots rating their units.
            let listed = try await coordinator.send(.GET, "/api/v1/surveys/batches/\(w.batch)/ballots")
            #expect(listed.status == .ok)
            let codes = Set(((try? JSONSerialization.jsonObject(with: Data(listed.body.string.utf8))) as? [[String: Any]] ?? []).compactMap { $0["unitCode"] as? String })
            #expect(codes == ["SYT"], "\(listed.body.string)")
            let unscoped = try await w.survey.coordinator.send(.PUT, "/api/v1/surveys/ballots/\(w.snvBallot)",
                                                               json: ["reason": "Nhập nhầm", "voided": true, "version": stored.version])
            #expect(unscoped.status == .ok, "\(unscoped.body.string)")
        }
    }
}

/// Issue #19, item 4: a second province (its own root, departments, coordinator, council and
/// appraiser). Its staff are refused, 403 `auth.out_of_scope`, on the first province's campaign
/// for every campaign-level action, and allowed on their own.
extension AuthorizationMatrixTests {
    struct TwoProvinces {
        var a: SelfAssessmentTests.World
        var bCampaign: String
        var coordinatorB: APIClient, councilB: APIClient, appraiserB: APIClient
        var coordinatorA: APIClient
        var webCoordinatorB: Browser
        var coordinatorAID: UUID, dieuphoiID: UUID
    }

    static func twoProvinces(_ app: Application) async throws -> TwoProvinces {
        let a = try await SelfAssessmentTests.world(app)
        let bn = try await Fixtures.unit(app, "BN", "Tỉnh Bắc Ninh", .province)
        try await Fixtures.unit(app, "BN-SNV", "Sở Nội vụ tỉnh Bắc Ninh", .department, parent: bn)
        try await Fixtures.unit(app, "BN-SYT", "Sở Y tế tỉnh Bắc Ninh", .department, parent: bn)
        func client(_ name: String, _ role: Role, _ unit: UUID) async throws -> (APIClient, UUID) {
            let id = try await Fixtures.user(app, name, roles: [(role, unit)], includeDescendants: true)
            return (APIClient(app: app, token: try await Fixtures.token(app, userID: id)), id)
        }
        let (coordinatorB, _) = try await client("dieuphoi.bn", .coordinator, bn)
        let (councilB, _) = try await client("hoidong.bn", .council, bn)
        let (appraiserB, _) = try await client("thamdinh.bn", .appraiser, bn)
        let (coordinatorA, coordinatorAID) = try await client("dieuphoi.hd", .coordinator, a.province.province)
        let frameworkID = try #require(try await CampaignModel.find(UUID(uuidString: a.campaignID), on: app.db)?.$framework.id)
        // No owner named: a coordinator scoped to one unit runs the campaign for it.
        let own = try await coordinatorB.send(.POST, "/api/v1/campaigns", json: [
            "name": "Chỉ số CCHC năm 2022 của các sở tỉnh Bắc Ninh", "year": 2022, "frameworkId": frameworkID.uuidString,
            "unitCodes": ["BN-SNV", "BN-SYT"], "windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(1)]],
        ])
        #expect(own.status == .created, "\(own.body.string)")
        #expect(own.json["ownerUnitCode"] as? String == "BN")
        let web = Browser(app)
        #expect(try await web.login("dieuphoi.bn").status == .seeOther)
        _ = try await web.get("/account")
        let dieuphoi = try #require(try await UserModel.query(on: app.db).filter(\.$username == "dieuphoi").first()?.id)
        return TwoProvinces(a: a, bCampaign: own.json["id"] as? String ?? "", coordinatorB: coordinatorB, councilB: councilB,
                            appraiserB: appraiserB, coordinatorA: coordinatorA, webCoordinatorB: web,
                            coordinatorAID: coordinatorAID, dieuphoiID: dieuphoi)
    }

    static func refused(_ r: TestingHTTPResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == .forbidden && r.problemCode == "auth.out_of_scope", "\(what) → \(r.status.code) \(r.body.string.prefix(300))",
                sourceLocation: sourceLocation)
        if r.status == .forbidden {
            #expect((r.json["detail"] as? String)?.contains("Tỉnh Hải Dương (HD)") == true, "\(what): \(r.body.string.prefix(300))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: Engine.available)
    func aSecondProvincesStaffAreRefusedOnTheFirstOnesCampaigns(engine: Engine) async throws {
        try await withTestApp(engine) { app in
            let t = try await Self.twoProvinces(app)
            let a = t.a.campaignID, b = t.bCampaign
            let frameworkID = try #require(try await CampaignModel.find(UUID(uuidString: a), on: app.db)?.$framework.id.uuidString)
            // The installation-wide coordinator named no owner: the province above SNV and SYT.
            let shown = try await t.a.coordinator.send(.GET, "/api/v1/campaigns/\(a)")
            #expect(shown.status == .ok && shown.json["ownerUnitCode"] as? String == "HD" && shown.json["ownerUnitName"] as? String == "Tỉnh Hải Dương")

            // Create: for province A refused; evaluated units outside the owner's subtree refused.
            let create: [String: Any] = ["name": "Chỉ số CCHC năm 2023", "year": 2023, "frameworkId": frameworkID, "ownerUnitCode": "HD",
                                         "unitCodes": ["SNV"], "windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(1)]]]
            Self.refused(try await t.coordinatorB.send(.POST, "/api/v1/campaigns", json: create), "B creates for HD")
            var foreign = create
            foreign["ownerUnitCode"] = "BN"
            let outside = try await t.coordinatorB.send(.POST, "/api/v1/campaigns", json: foreign)
            #expect(outside.status == .unprocessableEntity, "\(outside.body.string)")
            let problem = ((outside.json["errors"] as? [[String: String]]) ?? []).first { $0["field"] == "unitCodes" }?["message"]
            #expect(problem == "Các đơn vị không thuộc Tỉnh Bắc Ninh (BN), đơn vị chủ trì đợt đánh giá: SNV.", "\(outside.body.string)")
            let page = try await t.webCoordinatorB.post("/campaigns", form: ["name": "Chỉ số CCHC năm 2023", "year": "2023",
                                                                             "frameworkId": frameworkID, "ownerUnitCode": "HD", "unitCodes": "SNV",
                                                                             "self_assessment.from": Fixtures.day(-1), "self_assessment.to": Fixtures.day(1)])
            #expect(page.status == .forbidden && page.body.string.contains("Tỉnh Hải Dương (HD)"), "web create → \(page.status.code)")
            #expect(try await CampaignModel.query(on: app.db).count() == 2)

            // Schedule, reopen, assign appraisers, live results: refused on A, allowed on B.
            let schedule: [String: Any] = ["windows": ["self_assessment": ["from": Fixtures.day(-1), "to": Fixtures.day(5)]], "reason": "Lùi hạn"]
            Self.refused(try await t.coordinatorB.send(.PUT, "/api/v1/campaigns/\(a)/schedule", json: schedule), "B schedules A")
            #expect(try await t.coordinatorB.send(.PUT, "/api/v1/campaigns/\(b)/schedule", json: schedule).status == .ok)
            let webSchedule = try await t.webCoordinatorB.post("/campaigns/\(a)/schedule", form: ["self_assessment.from": Fixtures.day(-1),
                                                                                                 "self_assessment.to": Fixtures.day(5), "reason": "Lùi hạn"])
            #expect(webSchedule.status == .forbidden, "web schedule → \(webSchedule.status.code)")
            Self.refused(try await t.coordinatorB.send(.POST, "/api/v1/campaigns/\(a)/reopen",
                                                       json: ["unitCode": "SNV", "until": Fixtures.day(3), "reason": "Bổ sung"]), "B reopens A")
            let reopen = try await t.coordinatorB.send(.POST, "/api/v1/campaigns/\(b)/reopen",
                                                       json: ["unitCode": "BN-SNV", "until": Fixtures.day(3), "reason": "Bổ sung"])
            #expect(reopen.status == .ok, "\(reopen.body.string)")
            Self.refused(try await t.coordinatorB.send(.POST, "/api/v1/campaigns/\(a)/appraisers",
                                                       json: ["username": "thamdinh.bn", "nodeCode": "1"]), "B assigns on A")
            #expect(try await t.coordinatorB.send(.POST, "/api/v1/campaigns/\(b)/appraisers",
                                                  json: ["username": "thamdinh.bn", "nodeCode": "1"]).status == .created)
            // Province A's coordinator cannot make B's appraiser appraise A: no appraisal right there.
            let stranger = try await t.coordinatorA.send(.POST, "/api/v1/campaigns/\(a)/appraisers", json: ["username": "thamdinh.bn", "nodeCode": "1"])
            #expect(stranger.status == .unprocessableEntity && stranger.body.string.contains("thamdinh.bn"), "\(stranger.body.string)")
            for (who, client) in [("coordinator B", t.coordinatorB), ("council B", t.councilB), ("appraiser B", t.appraiserB)] {
                Self.refused(try await client.send(.GET, "/api/v1/campaigns/\(a)/results"), "\(who) reads A's live results")
                #expect(try await client.send(.GET, "/api/v1/campaigns/\(b)/results").status == .ok, "\(who) reads B's live results")
            }
            #expect(try await t.webCoordinatorB.get("/campaigns/\(a)/results").status == .forbidden)
            #expect(try await t.webCoordinatorB.get("/campaigns/\(b)/results").status == .ok)

            // Reads: B's staff do not list or open A's campaign; A's reporter lists A's only.
            let listB = try await t.coordinatorB.send(.GET, "/api/v1/campaigns")
            let idsB = ((try JSONSerialization.jsonObject(with: Data(listB.body.string.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            #expect(idsB == [b], "\(listB.body.string.prefix(300))")
            Self.refused(try await t.coordinatorB.send(.GET, "/api/v1/campaigns/\(a)"), "B opens A")
            let webList = try await t.webCoordinatorB.get("/campaigns")
            #expect(webList.status == .ok && !webList.body.string.contains(a) && webList.body.string.contains(b))
            let listReporter = try await t.a.reporter.send(.GET, "/api/v1/campaigns")
            #expect(listReporter.body.string.contains(a) && !listReporter.body.string.contains(b), "\(listReporter.body.string.prefix(300))")
            #expect(try await t.a.reporter.send(.GET, "/api/v1/campaigns/\(b)").status == .forbidden)

            // Publish: B's council refused on A (web and API), allowed on B; only B's and
            // installation-wide staff are told, not province A's coordinator.
            for client in [t.councilB, t.coordinatorB] {
                Self.refused(try await client.send(.POST, "/api/v1/campaigns/\(a)/publish", json: [:]), "B publishes A")
            }
            let councilWeb = Browser(app)
            #expect(try await councilWeb.login("hoidong.bn").status == .seeOther)
            _ = try await councilWeb.get("/account")
            let webPublish = try await councilWeb.post("/campaigns/\(a)/publish", form: [:])
            #expect(webPublish.status == .forbidden && webPublish.body.string.contains("Tỉnh Hải Dương (HD)"), "web publish → \(webPublish.status.code)")
            #expect(try await ResultSnapshotModel.query(on: app.db).count() == 0)
            try await AppraisalCycleTests.openPhase(app, b, .publication)
            try await PublicationFixtures.markSubmitted(app, b)
            let published = try await PublicationFixtures.publishThroughAPI(t.councilB, b)
            #expect(published.status == .ok, "\(published.body.string.prefix(300))")
            let told = Set(try await NotificationModel.query(on: app.db).filter(\.$key == "published/\(UUID(uuidString: b)!)/1").all().map { $0.$user.id })
            #expect(!told.contains(t.coordinatorAID) && told.contains(t.dieuphoiID), "published notice recipients")
        }
    }
}
