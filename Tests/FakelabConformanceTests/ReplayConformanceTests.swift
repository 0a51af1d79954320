import FakelabAPI
import FakelabRecorder
import FakelabServer
import Foundation
import Testing

@testable import FakelabConformance

/// `fakelab conform --url` against a `fakelab replay` server, over real sockets: a scenario's
/// traffic is recorded through the recorder (from the fake), then replayed and graded from the
/// replay's own journal; a scenario that stages faults cannot be set up there and is SKIP.
@Suite struct ReplayConformanceTests {
    static func scenario(_ id: String) throws -> Scenario {
        try #require(try ConformanceTests.scenarios().first { $0.id == id }, "scenario \(id)")
    }

    static func options() -> ConformanceRunner.Options {
        var options = ConformanceRunner.Options(
            command: ConformanceTests.root.appendingPathComponent("clients/reference/run").path,
            workDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-conform-\(UUID().uuidString)")
        )
        options.jobs = 2
        return options
    }

    static func recorder(_ cassette: String, upstream: String?, mode: RecordMode) -> RecorderConfiguration {
        var config = RecorderConfiguration(cassettePath: cassette, upstream: upstream, mode: mode)
        config.port = 0
        config.logLevel = .critical
        return config
    }

    @Test func aReplayIsGradedFromItsJournalAndAFaultScenarioIsNotGradable() async throws {
        let plain = try Self.scenario("t2i-url")
        let faulty = try Self.scenario("rate-limit-retry-after")
        #expect(!faulty.faults.isEmpty && plain.faults.isEmpty && plain.taskPolicy == nil)
        let cassette = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-conform-\(UUID().uuidString).cassette").path

        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        config.seed = 2026
        let fake = try await FakelabApp.start(config)
        let rec = try await Recorder.start(Self.recorder(cassette, upstream: fake.baseURL, mode: .all))
        let recorded = try await ConformanceRunner.run([plain], against: ConformanceTarget(baseURL: rec.baseURL), Self.options())
        await rec.stop()
        await fake.stop()
        let graded = try #require(recorded.first)
        #expect(graded.verdict == .pass, "recording: \(graded.outcomes.filter { !$0.passed }.map(\.actual)) \(graded.stderr.suffix(300))")

        let replay = try await Recorder.start(Self.recorder(cassette, upstream: nil, mode: .none))
        let runs = try await ConformanceRunner.run([plain, faulty], against: ConformanceTarget(baseURL: replay.baseURL), Self.options())
        await replay.stop()

        let replayed = try #require(runs.first)
        #expect(replayed.verdict == .pass, "\(replayed.outcomes.filter { !$0.passed }.map { "\($0.check): \($0.actual)" })")
        #expect(replayed.entries.map(\.path) == graded.entries.map(\.path), "the replay journal has the recorded traffic")
        let sent = try #require(replayed.outcomes.first { $0.check == "request_sent" })
        #expect(sent.passed && sent.actual.contains("1"))
        let create = try #require(replayed.entries.first { $0.method == "POST" && $0.path == "/v1/images/generations" })
        #expect(create.status == 200 && create.result?.kind == .inline && create.result?.urls.count == 1 && create.model == "gpt-image-2")
        #expect(!replayed.entries.contains { $0.headers.values.contains { $0.contains(replayed.apiKey) } })

        let skipped = try #require(runs.last)
        #expect(skipped.verdict == .skip)
        #expect(skipped.exitCode == nil && skipped.entries.isEmpty, "the client was not run")
        let reason = try #require(skipped.notGradable)
        #expect(reason.contains("/__fakelab/faults") && reason.contains("cannot stage faults"), "\(reason)")
        #expect(Reports.table(runs).contains("SKIP"))
        #expect(Reports.summary(runs).contains("1 SKIP (100% pass)"))
        #expect(Reports.junit(runs, client: "c").contains(#"<skipped message=""#))
        #expect(Reports.json(runs, client: "c")["scenarios"]?.arrayValue?.last?["not_gradable"]?.stringValue == reason)
        #expect(Baseline.observations(of: runs).allSatisfy { $0.entry.scenario == plain.id }, "a SKIP is not observed")
    }
}

/// The reports render the request timeline from the typed journal.
@Suite struct ReportTimelineTests {
    static func run() throws -> ScenarioRun {
        let scenario = try ScenarioLoader.parse(
            "id: s\ntitle: t\nrule: r\njob: {operation: text-to-image, model: gpt-image-2, prompt: x}\nchecks:\n- check: exit_code\n  equals: 0\n",
            file: "s.yaml"
        )
        var run = ScenarioRun(scenario: scenario, apiKey: "sk-test-00000000")
        var failed = JournalEntry(seq: 1, time: 100, method: "POST", path: "/v1/images/generations", requestID: "req_1", status: 429)
        failed.error = JournalEntry.ErrorInfo(type: "rate_limit_error", code: "rate_limit_exceeded", param: "model")
        failed.retryAfter = 2
        failed.fault = "rate_limited"
        var ok = JournalEntry(seq: 2, time: 102.5, method: "POST", path: "/v1/images/generations", requestID: "req_2", status: 200)
        ok.taskStatus = "completed"
        run.entries = [failed, ok]
        return run
    }

    @Test func theJSONReportCarriesAFailedRequestsErrorCode() throws {
        let requests = try #require(Reports.json([try Self.run()], client: "c")["scenarios"]?.arrayValue?.first?["requests"]?.arrayValue)
        #expect(requests.count == 2)
        #expect(requests[0]["error_code"]?.stringValue == "rate_limit_exceeded")
        #expect(requests[0]["error_type"]?.stringValue == "rate_limit_error")
        #expect(requests[0]["error_param"]?.stringValue == "model")
        #expect(requests[0]["status"]?.intValue == 429 && requests[0]["retry_after"]?.doubleValue == 2)
        #expect(requests[0]["fault"]?.stringValue == "rate_limited" && requests[0]["request_id"]?.stringValue == "req_1")
        #expect(requests[1]["error_code"] == nil && requests[1]["task_status"]?.stringValue == "completed")
    }

    /// `error_code` is the envelope's code only: an error with a type and no code has no
    /// `error_code` (it used to fall back to the type), and its `error_type`.
    @Test func theJSONReportKeepsTheErrorTypeApartFromTheCode() throws {
        var run = try Self.run()
        run.entries[0].error = JournalEntry.ErrorInfo(type: "server_error", code: nil, param: nil)
        let requests = try #require(Reports.json([run], client: "c")["scenarios"]?.arrayValue?.first?["requests"]?.arrayValue)
        #expect(requests[0]["error_code"] == nil, "\(requests[0])")
        #expect(requests[0]["error_type"]?.stringValue == "server_error")
    }

    /// A key a client echoes into its result file (its own, or any other) never reaches the report.
    @Test func theJSONReportCarriesNoKeyFromTheResultFile() throws {
        var run = try Self.run()
        let other = "sk-live-abcdefghijklmnop9876"
        run.result = ["images": [], "note": .string("used \(run.apiKey) and \(other)")]
        let text = Reports.json([run], client: "c").serializedString()
        #expect(!text.contains(run.apiKey) && !text.contains("abcdefghijklmnop"), "\(text)")
        #expect(text.contains(Secrets.placeholder) && text.contains("sk-…9876"))
    }

    @Test func theHTMLTimelineShowsTheErrorCodeAndParam() throws {
        let html = Reports.html([try Self.run()], client: "c")
        #expect(html.contains("Request timeline (2)"))
        #expect(html.contains(#"rate_limit_exceeded · <code class="param">model</code>"#))
        #expect(html.contains(#"<td class="num">2.50</td>"#))
        #expect(html.contains(#"<span class="chip ERROR">rate_limited</span>"#))
    }
}
