import ArgumentParser
import FakelabCassettes
import FakelabRecorder
import Foundation
import Logging

/// Options `record` and `replay` share.
struct RecorderOptions: ParsableArguments {
    @Option(help: "The cassette file (SQLite; created when recording).") var cassette: String
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port and prints it).") var port = 8090
    @Option(help: "Past the last recorded answer to a request: repeat (the last again) or error.") var afterLast = "repeat"
    @Option(help: "Replay timing: none, recorded, or scale:F (recorded latency × F).") var latency = "none"
    @Option(name: .customLong("ignore-field"), help: "A top-level JSON field or multipart part left out of matching (repeatable).") var ignoreFields:
        [String] = []
    @Option(name: .customLong("redact"), help: "A literal string removed from everything recorded (repeatable).") var redactions: [String] = []
    @Option(help: "Base URL of rewritten result-image links (default: http:// + the request's Host).") var publicBaseURL: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func configuration(upstream: String?, mode: RecordMode) throws -> RecorderConfiguration {
        var config = RecorderConfiguration(cassettePath: cassette, upstream: upstream, mode: mode)
        config.host = host
        config.port = port
        guard let after = AfterLast(rawValue: afterLast) else { throw ValidationError("--after-last: repeat or error, not '\(afterLast)'") }
        config.afterLast = after
        guard let timing = ReplayLatency(parsing: latency) else { throw ValidationError("--latency: none, recorded or scale:F, not '\(latency)'") }
        config.latency = timing
        config.ignoredFields = Set(ignoreFields)
        config.redactor.literals = redactions
        config.publicBaseURL = publicBaseURL
        config.apiKey = ProcessInfo.processInfo.environment["TOKENLAB_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        config.logLevel = level
        return config
    }

    func run(_ config: RecorderConfiguration) async throws {
        let host = config.host
        let mode = config.mode
        let app = try Recorder.application(config) { port in
            FileHandle.standardOutput.write(
                Data("fakelab \(mode == .none ? "replay" : "record") (\(mode.rawValue)) listening on http://\(host):\(port)\n".utf8)
            )
        }
        try await app.runService()
        if mode != .none, mode != .passthrough {
            try? CassetteStore(path: config.cassettePath).checkpoint()
        }
    }
}

struct Record: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Proxy to the real API and record every exchange into a cassette.",
        discussion: "The API key comes from the client's Authorization header or TOKENLAB_API_KEY; it is used upstream and never stored."
    )

    @Option(help: "The API to record (e.g. https://api.tokenlab.example).") var upstream: String
    @Option(help: "none | once | new_episodes | all | passthrough.") var mode = "once"
    @OptionGroup var options: RecorderOptions

    func run() async throws {
        guard let mode = RecordMode(rawValue: mode) else {
            throw ValidationError("--mode: one of \(RecordMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(self.mode)'")
        }
        try await options.run(try options.configuration(upstream: upstream, mode: mode))
    }
}

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a cassette offline (record mode none): no network, misses get a near-miss report."
    )
    @OptionGroup var options: RecorderOptions

    func run() async throws {
        try await options.run(try options.configuration(upstream: nil, mode: .none))
    }
}
