import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import FakelabServer
import Foundation
import Testing

@testable import FakelabConformance

/// What a target's refusals make of a run: only `unsupported_operation` is SKIP; any other
/// refusal stops the run naming the scenario; an unreadable journal is that scenario's ERROR.
@Suite struct TargetErrorTests {
    static func fake(controlToken: String? = nil) async throws -> RunningServer {
        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        config.seed = 2026
        config.controlToken = controlToken
        return try await FakelabApp.start(config)
    }

    /// A 400 `invalid_value` (a rule the target rejects) or a 404 (a wrong base path) on set-up
    /// is a target error, not SKIP: the scenario would go ungraded and the run exit 0.
    @Test func aSetUpRefusalOtherThanUnsupportedOperationIsATargetError() async throws {
        let fake = try await Self.fake()
        let target = ConformanceTarget(baseURL: fake.baseURL)
        let key = "sk-conform-refusal-0000000001"
        let calls: [(String, String, JSONValue)] = [
            ("PUT", "/__fakelab/task-policy", ["policy": "no-such-policy"]),
            ("POST", "/__fakelab/no-such-control-call", ["rules": []]),
        ]
        var errors: [any Error] = []
        try await HTTPClient.withHTTPClient(configuration: .fakelab(connect: .seconds(5))) { client in
            for (method, path, body) in calls {
                do {
                    try await target.control(key, method, path, body, client: client, setUp: true)
                    Issue.record("\(method) \(path) was accepted")
                } catch { errors.append(error) }
            }
        }
        await fake.stop()
        #expect(errors.count == 2)
        for error in errors {
            #expect(error as? ConformanceError == .target, "\(error)")
            #expect("\(error)".contains("answered 4"), "names the target's answer: \(error)")
        }
    }

    /// The run stops with a message naming the scenario, the call and the target's answer.
    @Test func aRefusedSetUpStopsTheRunNamingTheScenario() async throws {
        let faulty = try ReplayConformanceTests.scenario("rate-limit-retry-after")
        let fake = try await Self.fake(controlToken: "right-token")
        defer { Task { await fake.stop() } }
        do {
            _ = try await ConformanceRunner.run([faulty], against: ConformanceTarget(baseURL: fake.baseURL), ReplayConformanceTests.options())
            Issue.record("the run went on")
        } catch let error as ConformanceError {
            #expect(error == .target)
            let text = error.description
            #expect(text.contains("scenario rate-limit-retry-after") && text.contains("/__fakelab/faults") && text.contains("403"), "\(text)")
        }
    }

    /// A journal the target will not give (here: a wrong control token) makes that scenario
    /// ERROR with the reason; the other scenarios still run and the run returns.
    @Test func anUnreadableJournalIsThatScenariosError() async throws {
        let plain = try ReplayConformanceTests.scenario("t2i-url")
        let fake = try await Self.fake(controlToken: "right-token")
        defer { Task { await fake.stop() } }
        let target = ConformanceTarget(baseURL: fake.baseURL, controlToken: "wrong-token")
        let runs = try await ConformanceRunner.run([plain, plain], against: target, ReplayConformanceTests.options())
        #expect(runs.count == 2)
        for run in runs {
            #expect(run.verdict == .error)
            #expect(run.exitCode == 0, "the client ran")
            let reason = try #require(run.errorReason)
            #expect(reason.contains("journal could not be read") && reason.contains("403"), "\(reason)")
            #expect(run.outcomes.isEmpty, "not graded from an empty journal")
        }
        #expect(Reports.table(runs).contains("journal could not be read"))
        #expect(Reports.json(runs, client: "c")["scenarios"]?.arrayValue?.first?["error"]?.stringValue?.contains("journal") == true)
    }

    /// When every scenario is SKIP the summary says nothing was graded (not "0% pass").
    @Test func aRunWhereEveryScenarioIsSkippedSaysNothingWasGraded() throws {
        var run = try ReportTimelineTests.run()
        run.entries = []
        run.notGradable = "not gradable on this target: PUT /__fakelab/task-policy answered 400: a replay"
        let summary = Reports.summary([run, run])
        #expect(Reports.nothingGraded([run, run]))
        #expect(summary == "2 scenarios: none graded (2 SKIP: this target cannot stage them); no verdict", "\(summary)")
        #expect(!summary.contains("% pass"))
        var graded = try ReportTimelineTests.run()
        graded.exitCode = 0
        #expect(!Reports.nothingGraded([run, graded]))
        #expect(Reports.summary([run, graded]).hasSuffix(", 1 SKIP (100% pass)"))
    }
}
