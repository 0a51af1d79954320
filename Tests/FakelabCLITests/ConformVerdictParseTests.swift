import ArgumentParser
import FakelabCLI
import FakelabConformance
import Foundation
import Testing

@Suite("fakelab conform / verdict flags")
struct ConformVerdictParseTests {
    @Test("conform: flags become runner options, a selection and a target")
    func conform() throws {
        let folder = try temporaryFolder()
        let command = try parse(
            ["conform", "--client", "clients/reference/run", "--scenarios", folder.path, "--jobs", "3", "--seed", "5", "--work", "/tmp/w"],
            as: ConformCommand.self
        )
        let options = command.runnerOptions(workDirectory: command.workDirectory())
        #expect(options.command == "clients/reference/run")
        #expect(options.jobs == 3)
        #expect(options.seed == 5)
        #expect(options.workDirectory.path == "/tmp/w")
        #expect(command.target() == nil)
        #expect(try command.serverConfiguration().seed == 5)
        #expect(try command.serverConfiguration().port == 0)
    }

    @Test("conform: --url and --control-token name the target")
    func conformTarget() throws {
        let folder = try temporaryFolder()
        let command = try parse(
            ["conform", "--client", "c", "--scenarios", folder.path, "--url", "http://127.0.0.1:9000/", "--control-token", "t"],
            as: ConformCommand.self
        )
        let target = try #require(command.target())
        #expect(target.baseURL == "http://127.0.0.1:9000")
        #expect(target.controlToken == "t")
    }

    @Test("conform: --only and --skip select by id or tag")
    func selection() throws {
        let folder = try temporaryFolder()
        let scenarios = try ["a", "b", "c"].map { id in
            try ScenarioLoader.parse(
                "id: \(id)\ntitle: \(id)\nrule: r\ntags: [\(id == "c" ? "slow" : "fast")]\njob: {operation: text-to-image, model: gpt-image-2, prompt: x}\nchecks:\n- check: exit_code\n  equals: 0\n",
                file: "\(id).yaml"
            )
        }
        let only = try parse(["conform", "--client", "c", "--scenarios", folder.path, "--only", "a, slow"], as: ConformCommand.self)
        #expect(try only.selection(scenarios).map(\.id) == ["a", "c"])
        let skip = try parse(["conform", "--client", "c", "--scenarios", folder.path, "--skip", "fast"], as: ConformCommand.self)
        #expect(try skip.selection(scenarios).map(\.id) == ["c"])
        let none = try parse(["conform", "--client", "c", "--scenarios", folder.path, "--only", "zzz"], as: ConformCommand.self)
        #expect(throws: ValidationError.self) { try none.selection(scenarios) }
    }

    @Test("conform: bad flags are refused with a message naming the flag")
    func badConformFlags() throws {
        let folder = try temporaryFolder().path
        #expect(errorMessage(["conform", "--client", "c", "--scenarios", folder, "--jobs", "0"]) == "--jobs must be 1 or more, not 0")
        #expect(errorMessage(["conform", "--client", "c", "--scenarios", "/nonexistent"]) == "--scenarios: no folder at /nonexistent")
        #expect(
            errorMessage(["conform", "--client", "c", "--scenarios", folder, "--baseline", "/nonexistent/b.json"])
                == "--baseline: no file at /nonexistent/b.json"
        )
        #expect(
            errorMessage(["conform", "--client", "c", "--scenarios", folder, "--control-token", "t"])
                == "--control-token needs --url (the fake this command starts has no token)"
        )
        #expect(errorMessage(["conform", "--client", " ", "--scenarios", folder]) == "--client must name a command")
        #expect(
            errorMessage(["conform", "--client", "c", "--scenarios", folder, "--only", ","]) == "--only must name at least one scenario id or tag"
        )
        #expect(errorMessage(["conform", "--scenarios", folder]) == "Missing expected argument '--client <client>'")
    }

    @Test("verdict: the request the flags ask for")
    func verdict() throws {
        let command = try parse(
            ["verdict", "--url", "http://127.0.0.1:8080/v1/", "--key", "sk-careless-1234abcd", "--since", "4", "--control-token", "t", "--json"],
            as: VerdictCommand.self
        )
        let request = try command.verdictRequest(environment: [:])
        #expect(request == VerdictRequest(baseURL: "http://127.0.0.1:8080", key: "sk-careless-1234abcd", since: 4, controlToken: "t"))
    }

    @Test("verdict: the key may come from TOKENLAB_API_KEY, and one is required")
    func verdictKey() throws {
        let command = try parse(["verdict", "--url", "http://127.0.0.1:8080"], as: VerdictCommand.self)
        #expect(try command.verdictRequest(environment: ["TOKENLAB_API_KEY": "sk-fromenv-5678"]).key == "sk-fromenv-5678")
        #expect(throws: ValidationError.self) { try command.verdictRequest(environment: [:]) }
    }

    @Test("verdict: bad flags are refused, and the message never repeats the key")
    func badVerdictFlags() {
        let message = errorMessage(["verdict", "--url", "http://127.0.0.1:8080", "--key", "sk-bad!key-000000000"])
        #expect(message == "--key must be an API key: sk- and 8 or more of A-Z a-z 0-9 _ -")
        #expect(message?.contains("sk-bad") == false)
        #expect(
            errorMessage(["verdict", "--url", "127.0.0.1:8080", "--key", "sk-abcdefgh"])
                == "--url must be an http:// or https:// URL, not '127.0.0.1:8080'"
        )
        #expect(errorMessage(["verdict", "--url", "http://h", "--key", "sk-abcdefgh", "--since=-1"]) == "--since must be 0 or more, not -1")
        #expect(errorMessage(["verdict", "--key", "sk-abcdefgh"]) == "Missing expected argument '--url <url>'")
    }
}
