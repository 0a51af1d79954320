import FakelabAPI
import FakelabChecks
import Testing

/// One row of a finding table: traffic, and whether the finding must fire (on which requests).
struct FindingCase: Sendable, CustomTestStringConvertible {
    let finding: String
    let journal: [JournalEntry]
    /// The requests of the one finding expected; nil: it must not fire.
    let requests: [Int]?
    let note: String

    /// The finding fires once, on these requests.
    static func fires(_ finding: String, on requests: [Int], _ note: String, _ journal: [JournalEntry]) -> FindingCase {
        FindingCase(finding: finding, journal: journal, requests: requests, note: note)
    }

    /// The finding does not fire.
    static func quiet(_ finding: String, _ note: String, _ journal: [JournalEntry]) -> FindingCase {
        FindingCase(finding: finding, journal: journal, requests: nil, note: note)
    }

    var testDescription: String { "\(finding) \(requests == nil ? "quiet" : "fires"): \(note)" }

    /// The findings of this name in the verdict on the journal.
    var found: [Finding] { Verdict.analyse(journal).findings.filter { $0.finding == finding } }

    /// The finding fired once, on exactly the expected requests, or (when none are expected) not at all.
    func expectOutcome(sourceLocation: SourceLocation = #_sourceLocation) {
        let found = found
        if let requests {
            #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
            #expect(found.first?.requests == requests, sourceLocation: sourceLocation)
        } else {
            #expect(found.isEmpty, "\(found)", sourceLocation: sourceLocation)
        }
    }
}

/// Every table of every finding file, for the coverage test.
let allFindingCases = retryFindingCases + taskFindingCases + requestFindingCases
