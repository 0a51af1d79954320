import ArgumentParser
import FakelabAPI
import FakelabServer
import Foundation
import Hummingbird
import Logging

/// `fakelab serve`: the fake TokenLab server.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the fake TokenLab server.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port and prints it).") var port = 8080
    @Option(help: "Seed for ids and image content.") var seed: UInt64 = 0
    @Option(help: "A catalog file in fakelab-catalog/1 format instead of the built-in one.") var catalog: String?
    @Option(help: "Base URL for result-image links (default: http:// + the request's Host).") var publicBaseURL: String?
    @Option(help: "Task timeline: instant | polls:P,R | duration:P,R, optionally +fail:REASON (default: duration:1,2).")
    var taskPolicy: TaskPolicy?
    @Option(help: "A JSON file of fault rules every key starts with: {\"rules\": [{\"fault\": \"rate_limited; retry_after=2\", \"times\": 1}]}.")
    var faults: String?
    @Option(help: "Requests per minute per API key on image and task routes (0 turns the limiter off).") var rateLimit = 1000
    @Option(help: "Journal entries kept per API key.") var journalSize = 1000
    @Option(help: "Journal entries kept across all keys (the least recently used keys' journals are emptied first).") var journalTotal = 5000
    @Option(help: "Tasks kept across all keys (oldest first).") var maxTasks = 5000
    @Option(help: "Tasks kept per API key (its oldest first).") var maxTasksPerKey = 1000
    @Option(help: "Seconds a task stays readable after creation.") var taskRetention: Double = 3600
    @Option(help: "Let non-loopback callers use /__fakelab/ when they send this in X-Fakelab-Control-Token.") var controlToken: String?
    @Flag(help: "Really download reference image URLs (checked: public http(s), resolved addresses, ≤3 redirects, 10 s, 50 MiB).")
    var allowFetch = false
    @Flag(help: "With --allow-fetch, also accept loopback URLs (a local image server in tests).") var allowFetchLoopback = false
    @Flag(help: "Echo OpenAI-style usage/size/quality on gpt-image-2 results (not confirmed for TokenLab).") var usageEcho = false
    @Option(help: "Log level.") var logLevel: Logger.Level = .info

    public init() {}

    public func validate() throws {
        try Check.port(port)
        try Check.file(catalog, flag: "--catalog")
        try Check.file(faults, flag: "--faults")
        try Check.httpURL(publicBaseURL, flag: "--public-base-url")
        try Check.atLeast(0, rateLimit, flag: "--rate-limit")
        try Check.atLeast(1, journalSize, flag: "--journal-size")
        try Check.atLeast(1, journalTotal, flag: "--journal-total")
        try Check.atLeast(1, maxTasks, flag: "--max-tasks")
        try Check.atLeast(1, maxTasksPerKey, flag: "--max-tasks-per-key")
        guard taskRetention > 0, taskRetention.isFinite else { throw ValidationError("--task-retention must be a positive number of seconds") }
        if controlToken?.isEmpty == true { throw ValidationError("--control-token must not be empty") }
        if allowFetchLoopback, !allowFetch { throw ValidationError("--allow-fetch-loopback needs --allow-fetch") }
    }

    public func run() async throws {
        let config = try configuration()
        let host = config.host
        let app = FakelabApp.application(config) { port in
            FileHandle.standardOutput.write(Data("fakelab listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }
}
