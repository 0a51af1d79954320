import ArgumentParser
import FakelabConformance
import FakelabServer
import Foundation

struct Conform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a client program through the conformance scenarios and grade what it did.",
        discussion:
            "The adapter protocol (job file, environment, result file) is in scenarios/README.md. Exit status 1 when a MUST check fails or a scenario errors."
    )

    @Option(help: "The client command (run with sh -c), e.g. clients/reference/run.") var client: String
    @Option(help: "Folder of scenario YAML files.") var scenarios = "scenarios"
    @Option(help: "Scenarios run in parallel (each has its own API key).") var jobs = 1
    @Option(help: "Only these scenario ids or tags (comma-separated).") var only: String?
    @Option(help: "Skip these scenario ids or tags (comma-separated).") var skip: String?
    @Option(help: "Write JUnit XML here.") var junit: String?
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Write the HTML report here.") var html: String?
    @Option(help: "Working folder for job files, client output and images (default: a temporary folder).") var work: String?
    @Option(help: "Grade against a fake already running here (a `fakelab serve` or `fakelab replay` URL) instead of starting one.")
    var url: String?
    @Option(help: "X-Fakelab-Control-Token of the --url target, if it has one.") var controlToken: String?
    @Option(help: "Seed of the fake this command starts (ids, images) and of the scenario keys.") var seed: UInt64 = 2026

    func run() async throws {
        var list = try ScenarioLoader.load(folder: scenarios)
        func set(_ text: String?) -> Set<String>? { text.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) } }
        if let keep = set(only) { list = list.filter { keep.contains($0.id) || !keep.isDisjoint(with: $0.tags) } }
        if let drop = set(skip) { list = list.filter { !drop.contains($0.id) && drop.isDisjoint(with: $0.tags) } }
        guard !list.isEmpty else { throw ValidationError("no scenarios selected in \(scenarios)") }
        let folder =
            work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-conform-\(UUID().uuidString)")
        var options = ConformanceRunner.Options(command: client, workDirectory: folder)
        options.jobs = max(1, jobs)
        let interactive = isatty(STDERR_FILENO) == 1
        options.progress = { done, total, run in
            let line = Reports.progressLine(done, total, run)
            FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line + (done == total ? "\n" : "") : line + "\n").utf8))
        }
        options.seed = seed
        let runs: [ScenarioRun]
        if let url {
            runs = try await ConformanceRunner.run(list, against: ConformanceTarget(baseURL: url, controlToken: controlToken), options)
        } else {
            var config = try ServerConfiguration()
            config.port = 0
            config.logLevel = .critical
            config.seed = seed
            let server = try await FakelabServer.start(config)
            do {
                runs = try await ConformanceRunner.run(list, against: ConformanceTarget(baseURL: server.baseURL), options)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
        print(Reports.table(runs))
        if let junit { try Reports.junit(runs, client: client).write(toFile: junit, atomically: true, encoding: .utf8) }
        if let json { try (Reports.json(runs, client: client).prettyString() + "\n").write(toFile: json, atomically: true, encoding: .utf8) }
        if let html { try Reports.html(runs, client: client).write(toFile: html, atomically: true, encoding: .utf8) }
        print("work folder: \(folder.path)")
        if runs.contains(where: { $0.verdict == .fail || $0.verdict == .error }) { throw ExitCode(1) }
    }
}
