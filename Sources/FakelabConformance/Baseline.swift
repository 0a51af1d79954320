import FakelabAPI
import Foundation

/// The checks a client is known to fail, so a team can gate on conformance before it passes
/// everything (`fakelab conform --baseline FILE` / `--write-baseline FILE`): known failures do
/// not fail a run, a new one does, and a check that now passes is reported so the file can be
/// tightened. Load, compare and write are pure; the CLI only wires them.
///
/// File form (`fakelab-baseline/1`), failures sorted:
/// `{"protocol": "fakelab-baseline/1", "client": "clients/careless/run", "created": "2026-12-05",
///   "failures": [{"scenario": "error-400-not-retried", "check": "request_sent", "level": "MUST"}]}`
public struct Baseline: Sendable, Equatable {
    public static let protocolVersion = "fakelab-baseline/1"
    /// The check name an ERROR verdict (client crashed, timed out, no usable result) is kept under.
    public static let errorCheck = "scenario_error"

    /// One failing check of one scenario. A scenario that names a check twice (two
    /// `field_absent`s) has one entry for it: the check fails when either does.
    public struct Entry: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var scenario: String
        public var check: String
        public var level: CheckSpec.Level

        public init(scenario: String, check: String, level: CheckSpec.Level) {
            (self.scenario, self.check, self.level) = (scenario, check, level)
        }

        public static func < (a: Self, b: Self) -> Bool {
            (a.scenario, a.check, a.level.rawValue) < (b.scenario, b.check, b.level.rawValue)
        }

        /// `scenario  check (LEVEL)`.
        public var description: String { "\(scenario)  \(check) (\(level.rawValue))" }

        var json: JSONValue { ["scenario": .string(scenario), "check": .string(check), "level": .string(level.rawValue)] }
    }

    /// One check as a run graded it (a scenario's ERROR verdict is the check `errorCheck`).
    public struct Observation: Sendable, Equatable {
        public var entry: Entry
        public var passed: Bool

        public init(scenario: String, check: String, level: CheckSpec.Level, passed: Bool) {
            entry = Entry(scenario: scenario, check: check, level: level)
            self.passed = passed
        }
    }

    /// The client command the baseline was written for.
    public var client: String
    /// When it was written (`yyyy-MM-dd`).
    public var created: String
    /// Sorted, without repeats.
    public var failures: [Entry]

    public init(client: String, created: String, failures: [Entry]) {
        self.client = client
        self.created = created
        self.failures = Array(Set(failures)).sorted()
    }

    /// The baseline of a run: every check that failed in it.
    public init(client: String, date: Date = Date(), observations: [Observation]) {
        self.init(client: client, created: Self.day(date), failures: observations.filter { !$0.passed }.map(\.entry))
    }

    /// Every check of `runs` as graded, plus each scenario's `errorCheck` (failed when ERROR).
    /// A scenario this target could not grade (SKIP) is not observed at all.
    public static func observations(of runs: [ScenarioRun]) -> [Observation] {
        runs.filter { $0.verdict != .skip }.flatMap { run in
            run.outcomes.map { Observation(scenario: run.scenario.id, check: $0.check, level: $0.level, passed: $0.passed) }
                + [Observation(scenario: run.scenario.id, check: errorCheck, level: .must, passed: run.verdict != .error)]
        }
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    // MARK: File

    /// `{"protocol", "client", "created", "failures": […]}`.
    public var json: JSONValue {
        [
            "protocol": .string(Self.protocolVersion), "client": .string(client), "created": .string(created),
            "failures": .array(failures.map(\.json)),
        ]
    }

    /// The file's text: indented, keys sorted, failures sorted (diffs stay small).
    public var fileText: String { json.prettyString() + "\n" }

    /// Writes `fileText` to `path`.
    public func write(to path: String) throws(BaselineError) {
        do { try Data(fileText.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw BaselineError.unwritable(path, error.localizedDescription)
        }
    }

    /// Reads and checks a baseline file; an error names the file and the field.
    public static func load(path: String) throws(BaselineError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else { throw BaselineError.unreadable(path) }
        return try parse(Array(data), file: path)
    }

    /// Parses a baseline document; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(BaselineError) -> Baseline {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch { throw BaselineError.notJSON(file, error.reason) }
        guard case .object(let o) = root else { throw BaselineError.invalid(file, "a JSON object was expected, not \(root.typeName)") }
        guard o["protocol"]?.stringValue == protocolVersion else {
            throw BaselineError.wrongProtocol(file, expected: protocolVersion)
        }
        func text(_ value: JSONValue?, _ field: String) throws(BaselineError) -> String {
            guard let s = value?.stringValue, !s.isEmpty else { throw BaselineError.invalid(file, "\(field): a non-empty string is required") }
            return s
        }
        guard let items = o["failures"]?.arrayValue else { throw BaselineError.invalid(file, "failures: an array is required") }
        var failures: [Entry] = []
        for (i, item) in items.enumerated() {
            guard case .object(let f) = item else {
                throw BaselineError.invalid(file, "failures[\(i)]: an object was expected, not \(item.typeName)")
            }
            let levelText = try text(f["level"], "failures[\(i)].level")
            guard let level = CheckSpec.Level(rawValue: levelText) else {
                throw BaselineError.invalid(file, "failures[\(i)].level: MUST or SHOULD, not '\(levelText)'")
            }
            failures.append(
                Entry(scenario: try text(f["scenario"], "failures[\(i)].scenario"), check: try text(f["check"], "failures[\(i)].check"), level: level)
            )
        }
        return Baseline(client: try text(o["client"], "client"), created: try text(o["created"], "created"), failures: failures)
    }

    // MARK: Compare

    /// A run's checks against this baseline.
    public func compare(_ observations: [Observation]) -> BaselineComparison {
        let failing = Set(observations.filter { !$0.passed }.map(\.entry))
        let listed = Set(failures)
        let passingChecks = Set(observations.filter(\.passed).map { CheckID($0.entry) })
        let failingChecks = Set(failing.map(CheckID.init))
        var fixed: [Entry] = []
        var unseen: [Entry] = []
        for entry in listed.subtracting(failing) {
            let id = CheckID(entry)
            if passingChecks.contains(id), !failingChecks.contains(id) { fixed.append(entry) } else { unseen.append(entry) }
        }
        return BaselineComparison(
            known: failing.intersection(listed).sorted(),
            new: failing.subtracting(listed).sorted(),
            fixed: fixed.sorted(),
            unseen: unseen.sorted()
        )
    }

    /// A check of a scenario, whatever its level.
    private struct CheckID: Hashable {
        var scenario: String
        var check: String
        init(_ e: Entry) { (scenario, check) = (e.scenario, e.check) }
    }
}

/// A run compared with a baseline.
public struct BaselineComparison: Sendable, Equatable {
    /// Failing now and listed: they do not fail the run.
    public var known: [Baseline.Entry]
    /// Failing now, not listed. A MUST one (or a scenario's ERROR) fails the run; a SHOULD one
    /// is reported, as SHOULD failures are without a baseline.
    public var new: [Baseline.Entry]
    /// Listed, and the check passes now: the baseline can be tightened.
    public var fixed: [Baseline.Entry]
    /// Listed but not graded in this run (scenario not selected or removed, check renamed, or
    /// graded at another level now).
    public var unseen: [Baseline.Entry]

    public init(known: [Baseline.Entry], new: [Baseline.Entry], fixed: [Baseline.Entry], unseen: [Baseline.Entry]) {
        (self.known, self.new, self.fixed, self.unseen) = (known, new, fixed, unseen)
    }

    /// True when no new MUST failure (nor new ERROR) exists.
    public var passes: Bool { !new.contains { $0.level == .must } }

    /// What the terminal shows: one line per new, fixed and unseen entry, then a summary line.
    public func lines(file: String) -> [String] {
        var out = new.map { "NEW     \($0)" }
        out += fixed.map { "fixed:  \($0) — tighten the baseline with --write-baseline" }
        out += unseen.map { "unseen: \($0) — listed in \(file) but not graded in this run" }
        let verdict = passes ? "ok" : "FAIL"
        out.append(
            "baseline \(file): \(verdict) — \(new.count) new (\(new.filter { $0.level == .must }.count) MUST), \(known.count) known, \(fixed.count) fixed"
        )
        return out
    }
}

/// A baseline file that cannot be used, naming the file and the field. Kinds compare equal
/// whatever their details (`error == .invalid`), as AsyncHTTPClient's `HTTPClientError` does.
public struct BaselineError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case unreadable, unwritable, notJSON, wrongProtocol, invalid
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ file: String, _ reason: String) {
        self.code = code
        description = "baseline \(file): \(reason)"
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: BaselineError, rhs: BaselineError) -> Bool { lhs.code == rhs.code }

    /// The file cannot be read.
    public static var unreadable: BaselineError { BaselineError(.unreadable, "file", "cannot read the file") }
    /// The file cannot be written.
    public static var unwritable: BaselineError { BaselineError(.unwritable, "file", "cannot write") }
    /// The file is not JSON.
    public static var notJSON: BaselineError { BaselineError(.notJSON, "file", "not JSON") }
    /// The file is not of this `protocol` version.
    public static var wrongProtocol: BaselineError { BaselineError(.wrongProtocol, "file", "another protocol") }
    /// A field is missing or has the wrong shape.
    public static var invalid: BaselineError { BaselineError(.invalid, "file", "a field cannot be used") }

    static func unreadable(_ file: String) -> BaselineError { BaselineError(.unreadable, file, "cannot read the file") }
    static func unwritable(_ file: String, _ reason: String) -> BaselineError { BaselineError(.unwritable, file, "cannot write (\(reason))") }
    static func notJSON(_ file: String, _ reason: String) -> BaselineError { BaselineError(.notJSON, file, "not JSON (\(reason))") }
    static func wrongProtocol(_ file: String, expected: String) -> BaselineError {
        BaselineError(.wrongProtocol, file, "protocol: \"\(expected)\" was expected (write one with --write-baseline)")
    }
    static func invalid(_ file: String, _ reason: String) -> BaselineError { BaselineError(.invalid, file, reason) }
}
