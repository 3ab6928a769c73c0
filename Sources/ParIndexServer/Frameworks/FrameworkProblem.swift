import Foundation
import ParIndexCore

/// One problem of an uploaded framework file, as the API and the pages show it: the stable
/// code, where it is (line, node, field) and the Vietnamese text, so an author can fix the
/// whole file in one pass.
public struct FrameworkProblem: Codable, Sendable, Equatable {
    public var code: String
    public var line: Int?
    public var nodeCode: String?
    public var fieldCode: String?
    /// The full message, location first ("Dòng 12, tiêu chí 3.2.1 (lĩnh vực 3): …").
    public var message: String
    /// The message without its location.
    public var detail: String

    init(_ e: FrameworkError) {
        code = e.code
        line = e.location?.line
        nodeCode = e.location?.nodeCode
        fieldCode = e.location?.fieldCode
        message = e.messageVI
        detail = e.detailVI
    }

    static func list(_ e: FrameworkValidationError) -> [FrameworkProblem] { e.errors.map(FrameworkProblem.init) }
}
