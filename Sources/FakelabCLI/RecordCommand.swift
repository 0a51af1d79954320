import ArgumentParser
import FakelabCassettes
import FakelabRecorder
import Foundation
import Hummingbird
import Logging

/// Options `record` and `replay` share.
public struct RecorderOptions: ParsableArguments {
    @Option(help: "The cassette file (SQLite; created when recording).") var cassette: String
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port and prints it).") var port = 8090
    @Option(help: "Past the last recorded answer to a request: repeat (the last again) or error.") var afterLast: ExhaustedPolicy = .repeatLast
    @Option(help: "Replay timing: none, recorded, or scale:F (recorded latency × F, F from 0 to 100).") var latency: ReplayLatency = .none
    @Option(name: .customLong("ignore-field"), help: "A top-level JSON field or multipart part left out of matching (repeatable).")
    var ignoreFields: [String] = []
    @Option(name: .customLong("redact"), help: "A literal string removed from everything recorded (repeatable).") var redactions: [String] = []
    @Option(help: "Base URL of rewritten result-image links (default: http:// + the request's Host).") var publicBaseURL: String?
    @Option(help: "Log level.") var logLevel: Logger.Level = .info

    public init() {}

    public func validate() throws {
        try Check.port(port)
        try Check.httpURL(publicBaseURL, flag: "--public-base-url")
        if redactions.contains(where: \.isEmpty) { throw ValidationError("--redact must not be empty") }
    }

    /// Serves until the process is stopped; the cassette is checkpointed afterwards when recording.
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

/// `fakelab record`: a recording proxy in front of the real API.
public struct RecordCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Proxy to the real API and record every exchange into a cassette.",
        discussion: "The API key comes from the client's Authorization header or TOKENLAB_API_KEY; it is used upstream and never stored."
    )

    @Option(help: "The API to record (e.g. https://api.tokenlab.example).") var upstream: String
    @Option(help: "Record mode.") var mode: RecordMode = .once
    @OptionGroup var options: RecorderOptions

    public init() {}

    public func validate() throws {
        try Check.httpURL(upstream, flag: "--upstream")
        if upstream.dropFirst(8).contains("@") { throw ValidationError("--upstream must not carry credentials; use TOKENLAB_API_KEY") }
    }

    public func run() async throws {
        try await options.run(try configuration())
    }
}

/// `fakelab replay`: a cassette served offline.
public struct ReplayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Serve a cassette offline (record mode none): no network, misses get a near-miss report."
    )
    @OptionGroup var options: RecorderOptions

    public init() {}

    public func validate() throws {
        try Check.file(options.cassette, flag: "--cassette")
    }

    public func run() async throws {
        try await options.run(configuration())
    }
}
