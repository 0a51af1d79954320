import ArgumentParser
import FakelabRecorder
import Testing

@testable import FakelabCLI

@Suite("fakelab record / replay / cassette flags")
struct RecorderParseTests {
    @Test("record: every flag lands in the recorder configuration; the key only from the environment")
    func record() throws {
        let command = try parse(
            [
                "record", "--upstream", "https://api.tokenlab.example", "--cassette", "new.cassette", "--mode", "new_episodes",
                "--host", "0.0.0.0", "--port", "0", "--after-last", "error", "--latency", "scale:0.5", "--ignore-field", "user",
                "--ignore-field", "seed", "--redact", "acme-internal", "--public-base-url", "http://cdn.test", "--log-level", "warning",
            ],
            as: RecordCommand.self
        )
        let config = try command.configuration(environment: ["TOKENLAB_API_KEY": "sk-upstream-12345678"])
        #expect(config.upstream == "https://api.tokenlab.example")
        #expect(config.cassettePath == "new.cassette")
        #expect(config.mode == .newEpisodes)
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 0)
        #expect(config.afterLast == .miss)
        #expect(config.latency == .recorded(scale: 0.5))
        #expect(config.ignoredFields == ["user", "seed"])
        #expect(config.redactor.literals == ["acme-internal"])
        #expect(config.publicBaseURL == "http://cdn.test")
        #expect(config.logLevel == .warning)
        #expect(config.apiKey == "sk-upstream-12345678")
    }

    @Test("record: defaults")
    func recordDefaults() throws {
        let config = try parse(["record", "--upstream", "https://api.test", "--cassette", "c"], as: RecordCommand.self)
            .configuration(environment: [:])
        #expect(config.mode == .once)
        #expect(config.port == 8090)
        #expect(config.afterLast == .repeatLast)
        #expect(config.latency == .none)
        #expect(config.apiKey == nil)
    }

    @Test("replay: record mode none, no upstream; the cassette must exist")
    func replay() throws {
        let cassette = try temporaryFile("recorded.cassette")
        let config = try parse(["replay", "--cassette", cassette, "--latency", "recorded"], as: ReplayCommand.self).configuration(environment: [:])
        #expect(config.mode == .none)
        #expect(config.upstream == nil)
        #expect(config.latency == .recorded(scale: 1))
        #expect(errorMessage(["replay", "--cassette", "/nonexistent/x.cassette"]) == "--cassette: no file at /nonexistent/x.cassette")
    }

    @Test(
        "bad record flags are refused with a message naming the flag",
        arguments: [
            (
                ["record", "--upstream", "https://a.test", "--cassette", "c", "--mode", "sometimes"],
                "The value 'sometimes' is invalid for '--mode <mode>'. Please provide one of 'none', 'once', 'new_episodes', 'all' or 'passthrough'."
            ),
            (
                ["record", "--upstream", "https://a.test", "--cassette", "c", "--after-last", "loop"],
                "The value 'loop' is invalid for '--after-last <after-last>'. Please provide one of 'repeat' and 'error'."
            ),
            (
                ["record", "--upstream", "https://a.test", "--cassette", "c", "--latency", "scale:500"],
                "The value 'scale:500' is invalid for '--latency <latency>'"
            ),
            (["record", "--upstream", "ftp://a.test", "--cassette", "c"], "--upstream must be an http:// or https:// URL, not 'ftp://a.test'"),
            (
                ["record", "--upstream", "https://user:pw@a.test", "--cassette", "c"],
                "--upstream must not carry credentials; use TOKENLAB_API_KEY"
            ),
            (
                ["record", "--upstream", "https://a.test", "--cassette", "c", "--port", "65536"],
                "--port must be from 0 to 65535 (0 picks a free port), not 65536"
            ),
            (["record", "--cassette", "c"], "Missing expected argument '--upstream <upstream>'"),
        ]
    )
    func badRecordFlags(arguments: [String], message: String) {
        #expect(errorMessage(arguments) == message)
    }

    @Test("cassette export --format is jsonl or har")
    func exportFormat() throws {
        let cassette = try temporaryFile("c.cassette")
        #expect(try parse(["cassette", "export", cassette], as: CassetteExportCommand.self).format == .jsonl)
        #expect(try parse(["cassette", "export", cassette, "--format", "har"], as: CassetteExportCommand.self).format == .har)
        #expect(
            errorMessage(["cassette", "export", cassette, "--format", "xml"])
                == "The value 'xml' is invalid for '--format <format>'. Please provide one of 'jsonl' and 'har'."
        )
    }

    @Test("cassette subcommands refuse a missing file, naming the argument")
    func missingCassette() {
        for sub in ["list", "audit", "verify", "export", "drift"] {
            #expect(errorMessage(["cassette", sub, "/nonexistent/c.cassette"]) == "<file>: no file at /nonexistent/c.cassette")
        }
        #expect(errorMessage(["cassette", "import", "/nonexistent/a.har", "--into", "c"]) == "<har>: no file at /nonexistent/a.har")
    }

    @Test("cassette drift: an in-process fake with the asked task policy, none with --against")
    func drift() throws {
        let cassette = try temporaryFile("c.cassette")
        let local = try parse(["cassette", "drift", cassette, "--task-policy", "polls:1,1"], as: CassetteDriftCommand.self)
        let config = try #require(try local.serverConfiguration())
        #expect(config.port == 0)
        #expect(config.rateLimitPerMinute == 0)
        #expect(config.taskPolicy.description == "polls:1,1")
        let remote = try parse(["cassette", "drift", cassette, "--against", "http://127.0.0.1:8080"], as: CassetteDriftCommand.self)
        #expect(try remote.serverConfiguration() == nil)
        #expect(try parse(["cassette", "drift", cassette], as: CassetteDriftCommand.self).serverConfiguration()?.taskPolicy.description == "instant")
    }
}
