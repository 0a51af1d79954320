import FakelabAPI
import FakelabServer
import Foundation
import Testing

@testable import FakelabConformance

/// The catalogue is passable (the reference client passes every scenario) and its checks can
/// fail (the careless client fails every MUST check somewhere) — real clients, real processes.
@Suite struct ConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func scenarios() throws -> [Scenario] { try ScenarioLoader.load(folder: root.appendingPathComponent("scenarios").path) }

    static func run(_ client: String, timeout: Double? = nil) async throws -> [ScenarioRun] {
        var list = try scenarios()
        if let timeout {
            list = list.map {
                var s = $0
                s.timeout = min(s.timeout, timeout)
                return s
            }
        }
        var options = ConformanceRunner.Options(
            command: root.appendingPathComponent("clients/\(client)/run").path,
            workDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-conform-\(UUID().uuidString)")
        )
        options.jobs = 4
        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        config.seed = 2026
        let server = try await FakelabApp.start(config)
        defer { Task { await server.stop() } }
        return try await ConformanceRunner.run(list, against: ConformanceTarget(baseURL: server.baseURL), options)
    }

    @Test func theCatalogueCoversTheGuide() throws {
        let list = try Self.scenarios()
        #expect(list.count >= 47)
        let tags = Set(list.flatMap(\.tags))
        for tag in [
            "sync", "async", "edit", "variation", "image-to-image", "errors", "retry", "timeouts", "network", "validation", "secrets", "contract",
            "polling", "poll-url", "files", "delivery",
        ] {
            #expect(tags.contains(tag), "a scenario tagged \(tag)")
        }
        #expect(list.allSatisfy { !$0.rule.isEmpty && $0.checks.contains { $0.name == "secret_not_in_output" } })
        // Issue 15 item 4: the newer docs' rules each have a scenario.
        for id in [
            "retry-after-http-date", "unavailable-not-retryable", "poll-url-image-path", "task-never-finishes", "poll-cadence-guidance",
            "task-error-details", "edit-upload-file-id", "payload-too-large-not-retried", "expired-url-reported",
            "pending-empty-data-not-result", "delivery-tier-unavailable-retried",
        ] {
            #expect(list.contains { $0.id == id }, "a scenario \(id)")
        }
        #expect(list.first { $0.id == "poll-url-image-path" }?.pollPath == .imageGenerations)
        // Parsed at load, sent as what the control API reads back: every staged rule round-trips.
        for rule in list.flatMap(\.faults) {
            let back = try FaultRule(json: rule.definition)
            #expect(back.definition == rule.definition && back.fault.description == rule.fault.description)
        }
        #expect(list.contains { !$0.faults.isEmpty } && list.contains { $0.taskPolicy != nil })
    }

    /// The reference client (Python) and the shell one (curl + jq) both follow every rule.
    @Test(arguments: ["reference", "curl"])
    func aCarefulClientPassesEveryScenario(client: String) async throws {
        let runs = try await Self.run(client)
        for r in runs where r.verdict != .pass {
            Issue.record(
                "\(r.scenario.id): \(r.verdict.rawValue) \(r.errorReason ?? "") \(r.outcomes.filter { !$0.passed }.map { "\($0.check): expected \($0.expected); got \($0.actual)" }) stderr: \(r.stderr.suffix(300))"
            )
        }
        let junit = Reports.junit(runs, client: client)
        #expect(junit.contains(#"tests="\#(runs.count)" failures="0" errors="0""#))
        let html = Reports.html(runs, client: client)
        #expect(html.contains(#"<table id="verdicts">"#) && html.contains("data:image/png;base64,"))
    }

    @Test func theCarelessClientFailsEveryMustCheckSomewhere() async throws {
        let runs = try await Self.run("careless", timeout: 8)
        #expect(!runs.contains { $0.verdict == .pass })
        let must = Set(runs.flatMap { $0.outcomes.filter { $0.level == .must }.map(\.check) })
        let failed = Set(runs.flatMap { $0.outcomes.filter { $0.level == .must && !$0.passed }.map(\.check) })
        #expect(must.subtracting(failed).isEmpty, "MUST checks the careless client never failed: \(must.subtracting(failed).sorted())")
        let leak = try #require(runs.first { $0.scenario.id == "error-401-not-retried" })
        let evidence = try #require(leak.outcomes.first { $0.check == "secret_not_in_output" })
        #expect(!evidence.passed && evidence.actual.contains("stderr"))
        for report in [
            Reports.junit(runs, client: "careless"), Reports.json(runs, client: "careless").serializedString(),
            Reports.html(runs, client: "careless"),
        ] {
            #expect(!runs.contains { report.contains($0.apiKey) }, "reports never carry a key")
        }
    }

    @Test func aBadScenarioFileIsRefusedClearly() {
        #expect(throws: ScenarioError.invalidCheck) {
            try ScenarioLoader.parse("id: x\ntitle: t\nrule: r\njob: {operation: text-to-image, model: m}\nchecks: [{check: nope}]", file: "bad.yaml")
        }
        #expect(throws: ScenarioError.notYAML) { try ScenarioLoader.parse("id: [unclosed", file: "bad.yaml") }
        do {
            _ = try ScenarioLoader.parse("id: x\ntitle: t\nrule: r\njob: {model: m}\nchecks: [{check: exit_code}]", file: "bad.yaml")
            Issue.record("accepted a job without an operation")
        } catch {
            #expect("\(error)" == "bad.yaml: job.operation is required")
            #expect(error as? ScenarioError == .invalid)
        }
        do {
            _ = try ScenarioLoader.parse(
                "id: x\ntitle: t\nrule: r\nserver: {poll_path: '/v1/images/{id}'}\njob: {operation: text-to-image, model: m}\nchecks: [{check: exit_code}]",
                file: "bad.yaml"
            )
            Issue.record("accepted a poll_path the fake does not offer")
        } catch {
            #expect("\(error)".hasPrefix("bad.yaml: server.poll_path: "))
            #expect(error as? ScenarioError == .invalidServer)
        }
    }
}
