import FakelabAPI
import FakelabChecks
import Testing

@Suite struct RegistryTests {
    @Test func everyConformanceAndVerifyNameIsRegistered() {
        let conformance = [
            "exit_code", "result_status", "result_field", "result_request_id", "request_sent", "no_request", "max_creates",
            "field_present", "field_absent", "field_equals", "body_kind", "polled_task", "polls_use_poll_url",
            "no_request_after_terminal", "retry_gap", "finished_within", "output_images", "secret_not_in_output",
        ]
        let verify = ["count", "no_poll_after_terminal", "retry_after_respected"]
        #expect(Set(CheckRegistry.names) == Set(conformance + verify))
        #expect(CheckRegistry.all["no_poll_after_terminal"]?.name == "no_request_after_terminal")
    }

    @Test(
        arguments: [
            ("request_sent", ["route": "POST /v1/images/generations", "min": 1, "max": 2]),
            ("count", ["method": "POST", "path": "/v1/images/*", "equals": 1]),
            ("field_equals", ["field": "n", "value": ["any": "json"]]),
            ("retry_gap", ["min_seconds": 1]),
            ("retry_gap", ["min_seconds": 1.5]),
            ("exit_code", ["check": "exit_code", "level": "SHOULD"]),
            ("no_poll_after_terminal", [:]),
        ] as [(String, [String: JSONValue])]
    )
    func acceptsWellFormedChecks(_ name: String, _ arguments: [String: JSONValue]) throws {
        try CheckRegistry.validate(name: name, arguments: arguments)
    }

    @Test(arguments: [
        ("request_snet", [:] as [String: JSONValue], CheckError.unknownCheck, nil as String?),
        ("request_sent", ["rout": "create"], .unknownArgument, "rout"),
        ("exit_code", ["equal": 1], .unknownArgument, "equal"),
        ("request_sent", ["min": "1"], .wrongType, "min"),
        ("retry_gap", ["min_seconds": "1s"], .wrongType, "min_seconds"),
        ("exit_code", ["nonzero": 1], .wrongType, "nonzero"),
        ("field_present", ["field": 3], .wrongType, "field"),
        ("no_request", ["route": "v1/images"], .invalidValue, "route"),
        ("count", ["path": "v1/images"], .invalidValue, "path"),
        ("request_sent", ["route": "create", "path": "/v1/x"], .invalidValue, "path"),
        ("count", ["min": 3, "max": 1], .invalidValue, "max"),
    ])
    func namesTheBadPart(_ name: String, _ arguments: [String: JSONValue], _ kind: CheckError, _ argument: String?) {
        let error = #expect(throws: kind) { try CheckRegistry.validate(name: name, arguments: arguments) }
        #expect(error?.check == name)
        #expect(error?.argument == argument)
    }

    @Test func messagesSayWhatWouldBeRight() {
        let unknown = #expect(throws: CheckError.self) { try CheckRegistry.validate(name: "exit_cod", arguments: [:]) }
        #expect(unknown?.description.hasPrefix("unknown check 'exit_cod'; known: body_kind, count,") == true)
        let argument = #expect(throws: CheckError.self) { try CheckRegistry.validate(name: "exit_code", arguments: ["equal": 1]) }
        #expect(argument?.description == "exit_code: unknown argument 'equal'; it takes equals, nonzero")
        let type = #expect(throws: CheckError.self) { try CheckRegistry.validate(name: "polled_task", arguments: ["min": true]) }
        #expect(type?.description == "polled_task: 'min' must be an integer, not boolean (at least this many reads; default 1)")
        let none = #expect(throws: CheckError.self) { try CheckRegistry.validate(name: "polls_use_poll_url", arguments: ["x": 1]) }
        #expect(none?.description == "polls_use_poll_url: unknown argument 'x'; it takes no arguments")
    }

    @Test func unknownNamesFailWhenJudgedAnyway() {
        let j = CheckRegistry.judge("nope", [:], CheckInput(journal: []))
        #expect(j == Judgement(passed: false, expected: "a known check", actual: "unknown check nope"))
    }

    /// Every check has a table row that passes and one that fails.
    @Test(arguments: CheckRegistry.names)
    func everyCheckIsTestedBothWays(_ name: String) {
        let rows = allCheckCases.filter { $0.check == name }
        #expect(rows.contains { $0.passes }, "\(name) has no passing case")
        #expect(rows.contains { !$0.passes }, "\(name) has no failing case")
    }

    /// Every finding has a table row that fires and one that does not.
    @Test(arguments: FindingRegistry.rules.map(\.name))
    func everyFindingIsTestedBothWays(_ name: String) {
        let rows = allFindingCases.filter { $0.finding == name }
        #expect(rows.contains { $0.requests != nil }, "\(name) never fires in the tests")
        #expect(rows.contains { $0.requests == nil }, "\(name) has no quiet case")
    }
}
