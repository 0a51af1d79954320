import ArgumentParser
import FakelabConformance
import FakelabHTTP
import FakelabServer
import Foundation

/// `fakelab conform`: a client program through the conformance scenarios, graded; with a
/// baseline, a gate a team can adopt before the client passes everything.
public struct ConformCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Run a client program through the conformance scenarios and grade what it did.",
        discussion: """
            The adapter protocol (job file, environment, result file) is in scenarios/README.md.

            Exit status 1 when a MUST check fails or a scenario errors; 2 when no scenario was graded \
            (every one SKIP: the target, e.g. a `fakelab replay` server, cannot stage them; no baseline \
            is written or compared). With --baseline FILE, only a \
            failure the file does not list fails the run (a new MUST failure or ERROR; new SHOULD \
            failures are listed); checks the file lists that pass now are reported, so it can be \
            tightened. --write-baseline FILE records this run's failing checks (exit 0: they are now known).
            """
    )

    @Option(help: "The client command (run with sh -c), e.g. clients/reference/run.") var client: String
    @Option(help: "Folder of scenario YAML files.") var scenarios = "scenarios"
    @Option(help: "Scenarios run in parallel (each has its own API key).") var jobs = 1
    @Option(help: "Only these scenario ids or tags (comma-separated).") var only: String?
    @Option(help: "Skip these scenario ids or tags (comma-separated).") var skip: String?
    @Option(help: "Write JUnit XML here.") var junit: String?
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Write the HTML report here.") var html: String?
    @Option(help: "Write checks.json here (fakelab-checks/1: each scenario's verdict, checks and traffic findings).")
    var checksJSON: String?
    @Option(help: "Known failures (a file --write-baseline wrote): only failures it does not list fail the run.") var baseline: String?
    @Option(help: "Write this run's failing checks here, as a baseline for --baseline.") var writeBaseline: String?
    @Option(help: "Working folder for job files, client output and images (default: a temporary folder).") var work: String?
    @Option(help: "Grade against a fake already running here (a `fakelab serve` or `fakelab replay` URL) instead of starting one.")
    var url: String?
    @Option(help: "X-Fakelab-Control-Token of the --url target, if it has one.") var controlToken: String?
    @Option(help: "Seed of the fake this command starts (ids, images) and of the scenario keys.") var seed: UInt64 = 2026

    public init() {}

    public func validate() throws {
        if client.trimmingWhitespace().isEmpty { throw ValidationError("--client must name a command") }
        try Check.folder(scenarios, flag: "--scenarios")
        try Check.atLeast(1, jobs, flag: "--jobs")
        if let only, Self.names(only).isEmpty { throw ValidationError("--only must name at least one scenario id or tag") }
        if let skip, Self.names(skip).isEmpty { throw ValidationError("--skip must name at least one scenario id or tag") }
        try Check.file(baseline, flag: "--baseline")
        try Check.httpURL(url, flag: "--url")
        if controlToken != nil, url == nil { throw ValidationError("--control-token needs --url (the fake this command starts has no token)") }
    }

    public func run() async throws {
        // A bad baseline fails before any client runs.
        let known = try baseline.map { path throws(BaselineError) in try Baseline.load(path: path) }
        let list = try selection(try ScenarioLoader.load(folder: scenarios))
        let folder = workDirectory()
        var options = runnerOptions(workDirectory: folder)
        options.progress = Self.progressPrinter(interactive: isatty(STDERR_FILENO) == 1)
        let runs = try await grade(list, options)
        print(Reports.table(runs))
        try writeReports(runs)
        print("work folder: \(folder.path)")
        if Reports.nothingGraded(runs) {
            FileHandle.standardError.write(Data("fakelab conform: no scenario was graded (every one SKIP); exit 2\n".utf8))
            throw ExitCode(2)
        }
        let observations = Baseline.observations(of: runs)
        if let writeBaseline {
            let written = Baseline(client: client, observations: observations)
            try written.write(to: writeBaseline)
            print("baseline written to \(writeBaseline): \(written.failures.count) failing check(s)")
        }
        if let known, let path = baseline {
            if known.client != client { print("note: \(path) was written for \(known.client), this run is \(client)") }
            let comparison = known.compare(observations)
            for line in comparison.lines(file: path) { print(line) }
            if !comparison.passes { throw ExitCode(1) }
        } else if writeBaseline == nil, runs.contains(where: { $0.verdict == .fail || $0.verdict == .error }) {
            throw ExitCode(1)
        }
    }

    /// Runs the scenarios against `--url`, or against a fake started here for the run.
    func grade(_ list: [Scenario], _ options: ConformanceRunner.Options) async throws -> [ScenarioRun] {
        if let target = target() { return try await ConformanceRunner.run(list, against: target, options) }
        let server = try await FakelabApp.start(try serverConfiguration())
        do {
            let runs = try await ConformanceRunner.run(list, against: ConformanceTarget(baseURL: server.baseURL), options)
            await server.stop()
            return runs
        } catch {
            await server.stop()
            throw error
        }
    }

    func writeReports(_ runs: [ScenarioRun]) throws {
        func write(_ text: String, to path: String?) throws { if let path { try text.write(toFile: path, atomically: true, encoding: .utf8) } }
        try write(Reports.junit(runs, client: client), to: junit)
        try write(Reports.json(runs, client: client).prettyString() + "\n", to: json)
        // The inspector's styles, and, when the target keeps running (--url), links from each
        // scenario's requests to the inspector's view of them.
        let live = url.map { base in Reports.InspectorLink(baseURL: base) { APIKey(authorization: "Bearer \($0)")?.id ?? "" } }
        try write(Reports.html(runs, client: client, stylesheet: Inspector.stylesheet, inspector: live), to: html)
        try write(Reports.checksJSON(runs, client: client).prettyString() + "\n", to: checksJSON)
    }

    /// Progress on stderr (the table goes to stdout): one line rewritten on a terminal, a line each otherwise.
    static func progressPrinter(interactive: Bool) -> @Sendable (Int, Int, ScenarioRun) -> Void {
        { done, total, run in
            let line = Reports.progressLine(done, total, run)
            FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line + (done == total ? "\n" : "") : line + "\n").utf8))
        }
    }
}
