import Foundation

/// What a ballot is checked against: the questionnaire, the respondent groups of the plan,
/// the units that may be rated and the ballots already stored. Lookup tables are built
/// once here, so checking a row creates no strings except the ballot number.
public struct BallotImportContext: Sendable {
    public let questionnaire: Questionnaire
    public let groupCodes: Set<String>
    public let unitCodes: [String]
    /// ``BallotImport/key(number:unit:mode:)`` of the ballots already stored.
    public var existingKeys: Set<String>
    /// A wrong file can hold millions of bad cells; past this many errors checking stops.
    public var errorLimit: Int = 10_000

    let groups: ByteCodeTable
    let units: ByteCodeTable
    /// Per question: the lookup table of its option codes.
    let choiceTables: [ByteCodeTable]
    /// Per question and option index: one id per distinct option code across lists,
    /// so "every answer the same option" compares integers.
    let choiceCodeIDs: [[Int32]]
    let required: [Bool]

    public init(questionnaire: Questionnaire, groupCodes: Set<String>, unitCodes: [String], existingKeys: Set<String> = []) {
        self.questionnaire = questionnaire
        self.groupCodes = groupCodes
        self.unitCodes = unitCodes
        self.existingKeys = existingKeys
        groups = ByteCodeTable(groupCodes.sorted())
        units = ByteCodeTable(unitCodes)
        var tablesByList: [String: ByteCodeTable] = [:]
        var codeIDs: [String: Int32] = [:]
        var tables: [ByteCodeTable] = []
        var ids: [[Int32]] = []
        for q in questionnaire.questions {
            let choices = questionnaire.choices(of: q)
            let table = tablesByList[q.choiceList] ?? ByteCodeTable(choices.map(\.code))
            tablesByList[q.choiceList] = table
            tables.append(table)
            ids.append(choices.map { c in
                if let id = codeIDs[c.code] { return id }
                let id = Int32(codeIDs.count)
                codeIDs[c.code] = id
                return id
            })
        }
        choiceTables = tables
        choiceCodeIDs = ids
        required = questionnaire.questions.map(\.required)
    }

    /// Group codes in a stable order, for messages and indices.
    var sortedGroupCodes: [String] { groups.codes }
}
