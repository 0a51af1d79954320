import FakelabAPI
import FakelabChecks
import Testing

/// One row of a check table: a check, its arguments, a run, and whether it must pass.
struct CheckCase: Sendable, CustomTestStringConvertible {
    let check: String
    let arguments: [String: JSONValue]
    let journal: [JournalEntry]
    let client: ClientObservation?
    let passes: Bool
    let note: String

    init(
        _ check: String,
        _ arguments: [String: JSONValue] = [:],
        _ journal: [JournalEntry] = [],
        client: ClientObservation? = nil,
        passes: Bool,
        _ note: String
    ) {
        (self.check, self.arguments, self.journal, self.client, self.passes, self.note) = (check, arguments, journal, client, passes, note)
    }

    var testDescription: String { "\(check) \(passes ? "passes" : "fails"): \(note)" }

    var judgement: Judgement { CheckRegistry.judge(check, arguments, CheckInput(journal: journal, client: client)) }
}

/// Every table of every check file, for the coverage test.
let allCheckCases = clientCheckCases + requestCheckCases + fieldCheckCases + taskCheckCases + retryCheckCases
