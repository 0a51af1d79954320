import FakelabAPI
import FakelabChecks
import Testing

@testable import FakelabConformance

@Suite("conformance reports: findings and checks.json")
struct ReportsTests {
    static func run() throws -> ScenarioRun {
        let scenario = try ScenarioLoader.parse(
            "id: rate-limit\ntitle: t\nrule: r\njob: {operation: text-to-image, model: gpt-image-2, prompt: x}\nchecks:\n- check: exit_code\n  equals: 0\n",
            file: "s.yaml"
        )
        var run = ScenarioRun(scenario: scenario, apiKey: "sk-test-00000000")
        run.exitCode = 0
        run.result = ["status": "succeeded"]
        run.outcomes = [
            CheckOutcome(check: "exit_code", level: .must, passed: true, expected: "0", actual: "0"),
            CheckOutcome(check: "retry_gap", level: .must, passed: false, expected: "≥ 2 s", actual: "0.1 s (#2 → #3)"),
        ]
        run.findings = [
            Finding(finding: "retry_after_ignored", level: .must, message: "m", requests: [2, 3], advice: "a"),
            Finding(finding: "no_backoff", level: .should, message: "n", requests: [], advice: "b"),
        ]
        return run
    }

    @Test("checks.json has the stable fields")
    func checksJSON() throws {
        let json = Reports.checksJSON([try Self.run()], client: "clients/x/run")
        #expect(json["protocol"] == "fakelab-checks/1")
        #expect(json["client"] == "clients/x/run")
        let scenario = try #require(json["scenarios"]?.arrayValue?.first)
        #expect(scenario.objectValue.map { Set($0.keys) } == ["id", "verdict", "checks", "findings"])
        #expect(scenario["id"] == "rate-limit")
        #expect(scenario["verdict"] == "FAIL")
        #expect(
            scenario["checks"]?.arrayValue?.last
                == ["check": "retry_gap", "level": "MUST", "passed": false, "expected": "≥ 2 s", "actual": "0.1 s (#2 → #3)"]
        )
        #expect(
            scenario["findings"]?.arrayValue?.first
                == ["finding": "retry_after_ignored", "level": "MUST", "message": "m", "requests": [2, 3], "advice": "a"]
        )
    }

    @Test("the JSON report carries the findings too")
    func jsonReport() throws {
        let json = Reports.json([try Self.run()], client: "c")
        #expect(json["scenarios"]?.arrayValue?.first?["findings"]?.arrayValue?.count == 2)
    }

    @Test("the table shows a findings line under a scenario that has findings")
    func table() throws {
        var clean = try Self.run()
        clean.findings = []
        let lines = Reports.table([try Self.run(), clean]).split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("rate-limit  FAIL"))
        #expect(lines[2] == "            findings: retry_after_ignored(MUST) #2,#3; no_backoff(SHOULD)")
        #expect(lines[3].hasPrefix("rate-limit  FAIL"))
        #expect(lines[4].hasPrefix("2 scenarios"))
    }
}
