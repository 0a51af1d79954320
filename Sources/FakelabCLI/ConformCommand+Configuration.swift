import ArgumentParser
import FakelabConformance
import FakelabServer
import Foundation

extension ConformCommand {
    /// `a, b,c` → `["a", "b", "c"]`.
    static func names(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty })
    }

    /// The scenarios `--only` and `--skip` select (by id or tag), in file order.
    public func selection(_ all: [Scenario]) throws -> [Scenario] {
        var list = all
        if let only {
            let keep = Self.names(only)
            list = list.filter { keep.contains($0.id) || !keep.isDisjoint(with: $0.tags) }
        }
        if let skip {
            let drop = Self.names(skip)
            list = list.filter { !drop.contains($0.id) && drop.isDisjoint(with: $0.tags) }
        }
        guard !list.isEmpty else { throw ValidationError("--only/--skip: no scenarios selected in \(scenarios)") }
        return list
    }

    /// `--work`, or a fresh temporary folder.
    public func workDirectory() -> URL {
        work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-conform-\(UUID().uuidString)")
    }

    /// The runner's options (progress is the caller's).
    public func runnerOptions(workDirectory: URL) -> ConformanceRunner.Options {
        var options = ConformanceRunner.Options(command: client, workDirectory: workDirectory)
        options.jobs = jobs
        options.seed = seed
        return options
    }

    /// The `--url` target (nil without `--url`).
    public func target() -> ConformanceTarget? { url.map { ConformanceTarget(baseURL: $0, controlToken: controlToken) } }

    /// The fake this command starts when there is no `--url`: a free port, quiet, seeded with `--seed`.
    public func serverConfiguration() throws -> ServerConfiguration {
        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        config.seed = seed
        return config
    }
}
