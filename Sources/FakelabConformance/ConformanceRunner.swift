import AsyncHTTPClient
import FakelabAPI
import FakelabChecks
import FakelabHTTP
import FakelabImaging
import Foundation
import NIOCore
import Synchronization

/// Runs a client through scenarios against one target: a fresh API key per scenario (its own
/// task policy, faults and journal), the job file, the client, then the checks.
public struct ConformanceRunner: Sendable {
    public struct Options: Sendable {
        public var command: String
        public var jobs = 1
        public var workDirectory: URL
        /// Mixed into the scenario keys (with the wall clock: keys differ between runs, so runs
        /// never share a tenant; the seed does not make keys reproducible).
        public var seed: UInt64 = 2026
        /// Called after each scenario (progress line).
        public var progress: @Sendable (Int, Int, ScenarioRun) -> Void = { _, _, _ in }
        public init(command: String, workDirectory: URL) {
            self.command = command
            self.workDirectory = workDirectory
        }
    }

    public static let protocolVersion = "fakelab-conform/1"

    /// One HTTP client per run (the target's control API, result images), shut down when the run
    /// ends; Fakelab's one client configuration (a redirect is an answer, never followed).
    public static func run(_ scenarios: [Scenario], against target: ConformanceTarget, _ options: Options) async throws -> [ScenarioRun] {
        try await HTTPClient.withHTTPClient(configuration: .fakelab(connect: .seconds(5), read: .seconds(60))) { client in
            try await run(scenarios, against: target, options, client: client)
        }
    }

    static func run(_ scenarios: [Scenario], against target: ConformanceTarget, _ options: Options, client: HTTPClient) async throws -> [ScenarioRun]
    {
        try await target.checkReachable(client: client)
        try FileManager.default.createDirectory(at: options.workDirectory, withIntermediateDirectories: true)
        let done = Counter()
        return try await withThrowingTaskGroup(of: (Int, ScenarioRun).self) { group in
            var next = 0
            var out: [(Int, ScenarioRun)] = []
            func launch() {
                let i = next
                let scenario = scenarios[i]
                next += 1
                group.addTask {
                    let run = try await runOne(scenario, index: i, target: target, options: options, client: client)
                    options.progress(done.increment(), scenarios.count, run)
                    return (i, run)
                }
            }
            while next < min(max(1, options.jobs), scenarios.count) { launch() }
            while let r = try await group.next() {
                out.append(r)
                if next < scenarios.count { launch() }
            }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A key of its own per scenario and run. The seed and the scenario's place fix most of it;
    /// the wall clock (milliseconds) is mixed in too, so two runs never share a tenant on a
    /// long-running target even with the same seed. Keys therefore differ between runs: what
    /// the seed makes reproducible is the fake this command starts (ids, images), not the keys.
    static func key(for scenario: Scenario, index: Int, seed: UInt64) -> String {
        var hash = StableHash(seed: seed)
        hash.combine(scenario.id)
        hash.combine(String(index))
        hash.combine(String(UInt64(Date().timeIntervalSince1970 * 1000)))
        return "sk-conform-" + scenario.id.filter { $0.isLetter || $0.isNumber } + "-" + Hex.string(hash.value, digits: 16)
    }

    static func runOne(_ scenario: Scenario, index: Int, target: ConformanceTarget, options: Options, client: HTTPClient) async throws -> ScenarioRun
    {
        let key = key(for: scenario, index: index, seed: options.seed)
        var run = ScenarioRun(scenario: scenario, apiKey: key)
        do {
            try await stage(scenario, key: key, target: target, client: client)
        } catch let error as ConformanceError where error == .refused {
            run.notGradable = error.description
            return run
        } catch let error as ConformanceError where error == .target {
            throw ConformanceError("scenario \(scenario.id): \(error.description)")
        }
        let dir = options.workDirectory.appendingPathComponent(scenario.id)
        let job = try writeJob(scenario, in: dir)
        let outcome = try await ClientProcess.run(
            options.command,
            environment: [
                "TOKENLAB_BASE_URL": target.baseURL + "/v1", "TOKENLAB_API_KEY": key, "FAKELAB_JOB": job.file.path,
            ],
            directory: dir,
            timeout: scenario.timeout
        )
        run.exitCode = outcome.exitCode
        run.timedOut = outcome.timedOut
        run.seconds = outcome.seconds
        run.stdout = outcome.stdout
        run.stderr = outcome.stderr
        (run.result, run.resultProblem) = readResult(job.result)
        do {
            run.entries = try await journal(key, target: target, client: client)
        } catch {
            // This scenario cannot be graded; the others and the reports still can.
            run.journalProblem = "\(error)"
            return run
        }
        run.images = await images(run.result, outputs: job.outputs, client: client)
        run.outcomes = Grading.outcomes(scenario, run)
        run.findings = Verdict.analyse(run.entries).findings
        return run
    }

    /// The key's task policy, poll path and faults, as the scenario stages them. A target that
    /// refuses them (a `fakelab replay` server) throws `ConformanceError.refused`.
    static func stage(_ scenario: Scenario, key: String, target: ConformanceTarget, client: HTTPClient) async throws {
        if scenario.taskPolicy != nil || scenario.pollPath != nil {
            var body: [String: JSONValue] = [:]
            if let policy = scenario.taskPolicy { body["policy"] = .string(policy.description) }
            if let path = scenario.pollPath { body["poll_path"] = .string(path.rawValue) }
            try await target.control(key, "PUT", "/__fakelab/task-policy", .object(body), client: client, setUp: true)
        }
        if !scenario.faults.isEmpty {
            try await target.control(
                key,
                "POST",
                "/__fakelab/faults",
                ["rules": .array(scenario.faults.map(\.definition))],
                client: client,
                setUp: true
            )
        }
    }

    /// The scenario's folder made afresh, its fixtures and `job.json` written.
    static func writeJob(_ scenario: Scenario, in dir: URL) throws -> (file: URL, outputs: URL, result: URL) {
        try? FileManager.default.removeItem(at: dir)
        let outputs = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        let resultFile = dir.appendingPathComponent("result.json")
        var job = scenario.job
        job["protocol"] = .string(protocolVersion)
        job["scenario"] = .string(scenario.id)
        job["output_dir"] = .string(outputs.path)
        job["result_file"] = .string(resultFile.path)
        job["inputs"] = .array(try (job["inputs"]?.arrayValue ?? []).map { try Fixtures.materialize($0, in: dir) })
        if let mask = job["mask"] { job["mask"] = try Fixtures.materialize(mask, in: dir) }
        let jobFile = dir.appendingPathComponent("job.json")
        try Data(JSONValue.object(job).prettyString().utf8).write(to: jobFile)
        return (jobFile, outputs, resultFile)
    }

    /// The client's result file, or why it cannot be used.
    static func readResult(_ file: URL) -> (JSONValue?, String?) {
        guard let data = FileManager.default.contents(atPath: file.path) else { return (nil, "no result file was written") }
        guard let value = try? JSONValue.parse(Array(data)), case .object = value else { return (nil, "the result file is not a JSON object") }
        return (value, nil)
    }

    /// The key's journal from the target, typed.
    static func journal(_ key: String, target: ConformanceTarget, client: HTTPClient) async throws -> [JournalEntry] {
        let items = try await target.control(key, "GET", "/__fakelab/journal", nil, client: client)["data"]?.arrayValue ?? []
        return try items.enumerated().map { i, item in
            do { return try JournalEntry(json: item) } catch {
                throw ConformanceError("the target's journal entry \(i) cannot be read: \(error)")
            }
        }
    }

    /// The images a result file names: local paths (relative to the output folder or absolute)
    /// or URLs (downloaded from the fake), decoded and thumbnailed.
    static func images(_ result: JSONValue?, outputs: URL, client: HTTPClient) async -> [ScenarioRun.Image] {
        var out: [ScenarioRun.Image] = []
        for item in result?["images"]?.arrayValue ?? [] {
            var bytes: [UInt8]?
            var source = ""
            if let path = item["path"]?.stringValue ?? item.stringValue {
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : outputs.appendingPathComponent(path)
                source = url.lastPathComponent
                bytes = FileManager.default.contents(atPath: url.path).map { Array($0) }
            } else if let link = item["url"]?.stringValue {
                source = link
                if let r = try? await client.execute(HTTPClientRequest(url: link), timeout: .seconds(10)), r.status.code == 200 {
                    bytes = try? await Array(r.body.collect(upTo: 64 << 20).readableBytesView)
                }
            }
            guard let bytes else {
                out.append(.init(source: source, problem: "\(source): not readable"))
                continue
            }
            do {
                let (pixels, format) = try ImageCodec.decode(bytes)
                out.append(
                    .init(source: source, format: format.rawValue, width: pixels.width, height: pixels.height, thumbnail: Fixtures.thumbnail(pixels))
                )
            } catch {
                out.append(.init(source: source, problem: "\(source): not a decodable image (\(error))"))
            }
        }
        return out
    }
}

/// Why a conformance run cannot go on. Kinds compare equal whatever their details
/// (`error == .fixture`), as AsyncHTTPClient's `HTTPClientError` does.
public struct ConformanceError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case target, refused, fixture
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A problem with the target (`ConformanceTarget`): nothing answers, its control API refuses, its journal is unreadable.
    init(_ description: String) { self.init(.target, description) }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: ConformanceError, rhs: ConformanceError) -> Bool { lhs.code == rhs.code }

    /// The target cannot be reached, refused a control call, or answered a journal that cannot be read.
    public static var target: ConformanceError { ConformanceError(.target, "the target cannot be graded") }
    /// The target refused to stage what a scenario needs (a task policy, faults): a
    /// `fakelab replay` server answers from its cassette. That scenario is reported SKIP.
    public static var refused: ConformanceError { ConformanceError(.refused, "the target cannot stage the scenario") }
    /// A job's `fixture` recipe cannot be made.
    public static var fixture: ConformanceError { ConformanceError(.fixture, "a fixture cannot be made") }

    static func refused(_ description: String) -> ConformanceError { ConformanceError(.refused, description) }

    static func fixture(_ recipe: String, _ problem: String) -> ConformanceError { ConformanceError(.fixture, "fixture '\(recipe)': \(problem)") }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
