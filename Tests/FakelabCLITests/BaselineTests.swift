import FakelabAPI
import FakelabChecks
import Foundation
import Testing

@testable import FakelabConformance

@Suite("conformance baseline")
struct BaselineTests {
    typealias Entry = Baseline.Entry

    static func observe(_ scenario: String, _ check: String, _ level: CheckSpec.Level = .must, passed: Bool) -> Baseline.Observation {
        Baseline.Observation(scenario: scenario, check: check, level: level, passed: passed)
    }

    static let date = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30

    @Test("writing keeps the failing checks only, sorted, one entry per scenario and check")
    func write() throws {
        let baseline = Baseline(
            client: "clients/careless/run",
            date: Self.date,
            observations: [
                Self.observe("b", "request_sent", passed: false), Self.observe("a", "field_absent", passed: false),
                Self.observe("a", "field_absent", passed: false), Self.observe("a", "exit_code", passed: true),
                Self.observe("a", "result_request_id", .should, passed: false),
            ]
        )
        #expect(baseline.created == "2026-11-30")
        #expect(
            baseline.failures == [
                Entry(scenario: "a", check: "field_absent", level: .must), Entry(scenario: "a", check: "result_request_id", level: .should),
                Entry(scenario: "b", check: "request_sent", level: .must),
            ]
        )
        #expect(
            baseline.fileText == """
                {
                  "client": "clients/careless/run",
                  "created": "2026-11-30",
                  "failures": [
                    {
                      "check": "field_absent",
                      "level": "MUST",
                      "scenario": "a"
                    },
                    {
                      "check": "result_request_id",
                      "level": "SHOULD",
                      "scenario": "a"
                    },
                    {
                      "check": "request_sent",
                      "level": "MUST",
                      "scenario": "b"
                    }
                  ],
                  "protocol": "fakelab-baseline/1"
                }

                """
        )
        #expect(try Baseline.parse(Array(baseline.fileText.utf8), file: "b.json") == baseline)
    }

    @Test("write then load gives the same baseline")
    func roundTrip() throws {
        let path = try temporaryFile("baseline.json")
        let baseline = Baseline(client: "c", created: "2026-12-01", failures: [Entry(scenario: "s", check: "k", level: .must)])
        try baseline.write(to: path)
        #expect(try Baseline.load(path: path) == baseline)
    }

    static let known = Baseline(
        client: "c",
        created: "2026-12-01",
        failures: [
            Entry(scenario: "s1", check: "request_sent", level: .must), Entry(scenario: "s2", check: "field_absent", level: .must),
            Entry(scenario: "s3", check: "poll_gap", level: .should), Entry(scenario: "gone", check: "exit_code", level: .must),
        ]
    )

    @Test("known failures pass; a new MUST fails and is listed; a passing listed check is fixed; a check not graded is unseen")
    func compare() {
        let comparison = Self.known.compare([
            Self.observe("s1", "request_sent", passed: false),  // known
            Self.observe("s2", "field_absent", passed: true),  // fixed
            Self.observe("s3", "poll_gap", .should, passed: false),  // known
            Self.observe("s4", "exit_code", passed: false),  // new
            Self.observe("s4", "result_request_id", .should, passed: false),  // new, SHOULD
        ])
        #expect(
            comparison.known == [
                Entry(scenario: "s1", check: "request_sent", level: .must), Entry(scenario: "s3", check: "poll_gap", level: .should),
            ]
        )
        #expect(
            comparison.new == [
                Entry(scenario: "s4", check: "exit_code", level: .must), Entry(scenario: "s4", check: "result_request_id", level: .should),
            ]
        )
        #expect(comparison.fixed == [Entry(scenario: "s2", check: "field_absent", level: .must)])
        #expect(comparison.unseen == [Entry(scenario: "gone", check: "exit_code", level: .must)])
        #expect(!comparison.passes)
        #expect(
            comparison.lines(file: "b.json") == [
                "NEW     s4  exit_code (MUST)", "NEW     s4  result_request_id (SHOULD)",
                "fixed:  s2  field_absent (MUST) — tighten the baseline with --write-baseline",
                "unseen: gone  exit_code (MUST) — listed in b.json but not graded in this run",
                "baseline b.json: FAIL — 2 new (1 MUST), 2 known, 1 fixed",
            ]
        )
    }

    @Test("only known failures, or a new SHOULD one: the run passes")
    func passes() {
        let onlyKnown = Self.known.compare([Self.observe("s1", "request_sent", passed: false)])
        #expect(onlyKnown.passes && onlyKnown.new.isEmpty)
        let newShould = Self.known.compare([Self.observe("s9", "result_request_id", .should, passed: false)])
        #expect(newShould.passes && newShould.new.count == 1)
    }

    @Test("a check named twice in a scenario, failing once, stays known, not fixed")
    func repeatedCheck() {
        let comparison = Self.known.compare([
            Self.observe("s2", "field_absent", passed: true), Self.observe("s2", "field_absent", passed: false),
        ])
        #expect(comparison.known == [Entry(scenario: "s2", check: "field_absent", level: .must)])
        #expect(comparison.fixed.isEmpty)
    }

    @Test("a check graded at another level now is new at that level, and the old entry unseen")
    func levelChanged() {
        let comparison = Self.known.compare([Self.observe("s3", "poll_gap", .must, passed: false)])
        #expect(comparison.new == [Entry(scenario: "s3", check: "poll_gap", level: .must)])
        #expect(comparison.unseen.contains(Entry(scenario: "s3", check: "poll_gap", level: .should)))
        #expect(!comparison.passes)
    }

    @Test("runs give their checks and an error pseudo-check per scenario")
    func observationsOfRuns() throws {
        let scenario = try ScenarioLoader.parse(
            "id: s\ntitle: t\nrule: r\njob: {operation: text-to-image, model: gpt-image-2, prompt: x}\nchecks:\n- check: exit_code\n  equals: 0\n",
            file: "s.yaml"
        )
        var crashed = ScenarioRun(scenario: scenario, apiKey: "sk-test-00000000")
        crashed.timedOut = true
        crashed.outcomes = [CheckOutcome(check: "exit_code", level: .must, passed: false, expected: "0", actual: "none")]
        #expect(
            Baseline.observations(of: [crashed]) == [
                Self.observe("s", "exit_code", passed: false), Self.observe("s", Baseline.errorCheck, passed: false),
            ]
        )
    }

    @Test(
        "a bad baseline file is refused naming the file and the field",
        arguments: [
            ("not json", "baseline b.json: not JSON"),
            ("[]", "baseline b.json: a JSON object was expected, not array"),
            (
                #"{"protocol": "fakelab-baseline/0"}"#,
                #"baseline b.json: protocol: "fakelab-baseline/1" was expected (write one with --write-baseline)"#
            ),
            (#"{"protocol": "fakelab-baseline/1", "client": "c", "created": "d"}"#, "baseline b.json: failures: an array is required"),
            (
                #"{"protocol": "fakelab-baseline/1", "client": "c", "created": "d", "failures": [{"scenario": "s", "check": "k", "level": "MUST"}, {"scenario": "s", "check": "k", "level": "must"}]}"#,
                "baseline b.json: failures[1].level: MUST or SHOULD, not 'must'"
            ),
            (
                #"{"protocol": "fakelab-baseline/1", "client": "c", "created": "d", "failures": [{"check": "k", "level": "MUST"}]}"#,
                "baseline b.json: failures[0].scenario: a non-empty string is required"
            ),
            (#"{"protocol": "fakelab-baseline/1", "created": "d", "failures": []}"#, "baseline b.json: client: a non-empty string is required"),
        ]
    )
    func badFile(text: String, message: String) {
        do {
            _ = try Baseline.parse(Array(text.utf8), file: "b.json")
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("a missing file names the file")
    func missingFile() {
        let error = #expect(throws: BaselineError.unreadable) { try Baseline.load(path: "/nonexistent/b.json") }
        #expect(error?.description == "baseline /nonexistent/b.json: cannot read the file")
    }

    @Test("kinds tell an unreadable file from a bad one")
    func kinds() {
        #expect(throws: BaselineError.notJSON) { try Baseline.parse(Array("not json".utf8), file: "b.json") }
        #expect(throws: BaselineError.wrongProtocol) { try Baseline.parse(Array(#"{"protocol": "x"}"#.utf8), file: "b.json") }
        #expect(throws: BaselineError.invalid) { try Baseline.parse(Array("[]".utf8), file: "b.json") }
        #expect(BaselineError.unreadable != .invalid)
    }
}
