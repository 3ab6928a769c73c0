import Foundation

/// The three sheets of an XLSForm as plain cells (first row = header), so the domain reads
/// and writes forms without knowing about XLSX; the server converts to and from the file.
public struct XLSFormSheets: Sendable, Equatable {
    public var survey: [[String]]
    public var choices: [[String]]
    public var settings: [[String]]

    public init(survey: [[String]], choices: [[String]], settings: [[String]]) {
        self.survey = survey
        self.choices = choices
        self.settings = settings
    }
}
