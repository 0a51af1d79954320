import ArgumentParser
import FakelabAPI
import FakelabCLI
import FakelabServer
import Logging
import Testing

@Suite("fakelab serve flags")
struct ServeParseTests {
    @Test("no subcommand is serve, with the library's defaults")
    func defaults() throws {
        let config = try parse([], as: ServeCommand.self).configuration()
        let library = try ServerConfiguration()
        #expect(config.host == library.host)
        #expect(config.port == library.port)
        #expect(config.taskPolicy == library.taskPolicy)
        #expect(config.rateLimitPerMinute == library.rateLimitPerMinute)
        #expect(config.journalCapacity == library.journalCapacity)
        #expect(config.journalTotalCapacity == library.journalTotalCapacity)
        #expect(config.maxTasks == library.maxTasks)
        #expect(config.maxTasksPerKey == library.maxTasksPerKey)
        #expect(config.taskRetention == library.taskRetention)
        #expect(config.logLevel == .info)
        #expect(!config.allowFetch && !config.allowFetchLoopback && !config.usageEcho)
        #expect(config.controlToken == nil && config.publicBaseURL == nil && config.startupFaults.isEmpty)
    }

    @Test("every flag lands in its configuration field")
    func everyFlag() throws {
        let faults = try temporaryFile("faults.json", #"{"rules": [{"fault": "rate_limited; retry_after=2", "times": 1}]}"#)
        let command = try parse(
            [
                "serve", "--host", "0.0.0.0", "--port", "0", "--seed", "7", "--public-base-url", "http://cdn.test",
                "--task-policy", "polls:2,1+fail:upstream", "--faults", faults, "--rate-limit", "0", "--journal-size", "10",
                "--journal-total", "20", "--max-tasks", "30", "--max-tasks-per-key", "3", "--task-retention", "60",
                "--control-token", "letmein", "--allow-fetch", "--allow-fetch-loopback", "--usage-echo", "--log-level", "debug",
            ],
            as: ServeCommand.self
        )
        let config = try command.configuration()
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 0)
        #expect(config.seed == 7)
        #expect(config.publicBaseURL == "http://cdn.test")
        #expect(config.taskPolicy == TaskPolicy(.polls(pending: 2, processing: 1), failure: .upstream))
        #expect(config.startupFaults.count == 1)
        #expect(config.rateLimitPerMinute == 0)
        #expect(config.journalCapacity == 10)
        #expect(config.journalTotalCapacity == 20)
        #expect(config.maxTasks == 30)
        #expect(config.maxTasksPerKey == 3)
        #expect(config.taskRetention == 60)
        #expect(config.controlToken == "letmein")
        #expect(config.allowFetch && config.allowFetchLoopback && config.usageEcho)
        #expect(config.logLevel == .debug)
    }

    @Test(
        "bad flags are refused with a message naming the flag",
        arguments: [
            (["serve", "--port", "70000"], "--port must be from 0 to 65535 (0 picks a free port), not 70000"),
            (["serve", "--port=-1"], "--port must be from 0 to 65535 (0 picks a free port), not -1"),
            (["serve", "--allow-fetch-loopback"], "--allow-fetch-loopback needs --allow-fetch"),
            (["serve", "--catalog", "/nonexistent/catalog.json"], "--catalog: no file at /nonexistent/catalog.json"),
            (["serve", "--faults", "/nonexistent/faults.json"], "--faults: no file at /nonexistent/faults.json"),
            (["serve", "--journal-size", "0"], "--journal-size must be 1 or more, not 0"),
            (["serve", "--rate-limit=-5"], "--rate-limit must be 0 or more, not -5"),
            (["serve", "--task-retention", "0"], "--task-retention must be a positive number of seconds"),
            (["serve", "--public-base-url", "cdn.test"], "--public-base-url must be an http:// or https:// URL, not 'cdn.test'"),
            (["serve", "--control-token", ""], "--control-token must not be empty"),
            (["serve", "--task-policy", "polls:x"], "The value 'polls:x' is invalid for '--task-policy <task-policy>'"),
        ]
    )
    func badFlags(arguments: [String], message: String) {
        #expect(errorMessage(arguments) == message)
    }

    @Test("--log-level takes swift-log's levels and lists them when wrong")
    func logLevel() {
        #expect(
            errorMessage(["serve", "--log-level", "loud"])
                == """
                The value 'loud' is invalid for '--log-level <log-level>'. Please provide one of the following:
                  - trace
                  - debug
                  - info
                  - notice
                  - warning
                  - error
                  - critical
                """
        )
    }

    @Test("a fault file that does not parse names the flag")
    func badFaultFile() throws {
        let faults = try temporaryFile("faults.json", #"{"rules": [{"fault": "no_such_fault"}]}"#)
        let command = try parse(["serve", "--faults", faults], as: ServeCommand.self)
        #expect(throws: ValidationError.self) { try command.configuration() }
        do { _ = try command.configuration() } catch { #expect("\(error)".hasPrefix("--faults: ")) }
    }
}
