import FakelabAPI
import FakelabChecks

/// What a client did in one scenario, and how it was graded.
public struct ScenarioRun: Sendable {
    public enum Verdict: String, Sendable, Comparable {
        case pass = "PASS"
        /// Not graded: the target cannot set the scenario up (`ScenarioRun.notGradable` says why).
        case skip = "SKIP"
        case nonStrict = "NON-STRICT"
        case fail = "FAIL"
        case error = "ERROR"
        var rank: Int { [.pass: 0, .skip: 1, .nonStrict: 2, .fail: 3, .error: 4][self]! }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    }

    /// One image the client reported, as the runner found it.
    public struct Image: Sendable {
        public var source: String
        public var format: String?
        public var width: Int?
        public var height: Int?
        /// A small PNG for the HTML report.
        public var thumbnail: [UInt8]?
        public var problem: String?
    }

    public var scenario: Scenario
    public var apiKey: String
    public var exitCode: Int32?
    public var timedOut = false
    public var seconds: Double = 0
    public var stdout = ""
    public var stderr = ""
    public var result: JSONValue?
    /// Why the result file could not be used (missing, not JSON).
    public var resultProblem: String?
    /// Why this target cannot grade the scenario (it refused the task policy or faults the
    /// scenario stages, as a `fakelab replay` server does); the client was not run.
    public var notGradable: String?
    /// Why the target's journal of the key could not be read after the client ran (the
    /// scenario is ERROR, ungraded; the run goes on).
    public var journalProblem: String?
    /// The key's journal, typed: what the checks and the reports read.
    public var entries: [JournalEntry] = []
    /// What the traffic verdict found in this scenario's traffic (reported beside the checks).
    public var findings: [Finding] = []
    public var images: [Image] = []
    public var outcomes: [CheckOutcome] = []

    /// SKIP when the target could not set the scenario up; ERROR when the client crashed or
    /// timed out, or the journal could not be read; else FAIL on a MUST, NON-STRICT on a SHOULD.
    public var verdict: Verdict {
        if notGradable != nil { return .skip }
        if journalProblem != nil { return .error }
        if timedOut || exitCode.map({ $0 > 128 || $0 < 0 }) == true || (resultProblem != nil && exitCode == 0) { return .error }
        if outcomes.contains(where: { !$0.passed && $0.level == .must }) { return .fail }
        if outcomes.contains(where: { !$0.passed }) { return .nonStrict }
        return .pass
    }

    /// Why the verdict is ERROR, in words.
    public var errorReason: String? {
        if timedOut { return "the client did not finish within \(Int(scenario.timeout)) s and was stopped" }
        if let code = exitCode, code > 128 || code < 0 { return "the client crashed (exit status \(code))" }
        if let resultProblem, exitCode == 0 { return "exit 0 but \(resultProblem)" }
        if let journalProblem { return "the target's journal could not be read: \(journalProblem)" }
        return nil
    }
}

/// One check's outcome, with the evidence: what was expected, what came, which request.
public struct CheckOutcome: Sendable {
    public var check: String
    public var level: CheckSpec.Level
    public var passed: Bool
    public var expected: String
    public var actual: String
}
