import ArgumentParser
import FakelabAPI
import FakelabServer
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the fake TokenLab server.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port and prints it).") var port = 8080
    @Option(help: "Seed for ids and image content.") var seed: UInt64 = 0
    @Option(help: "A catalog file in fakelab-catalog/1 format instead of the built-in one.") var catalog: String?
    @Option(help: "Base URL for result-image links (default: http:// + the request's Host).") var publicBaseURL: String?
    @Option(help: "Task timeline: instant | polls:P,R | duration:P,R, optionally +fail:REASON.") var taskPolicy: String?
    @Option(help: "A JSON file of fault rules every key starts with: {\"rules\": [{\"fault\": \"rate_limited; retry_after=2\", \"times\": 1}]}.")
    var faults: String?
    @Option(help: "Requests per minute per API key on image and task routes (0 turns the limiter off).") var rateLimit = 1000
    @Option(help: "Journal entries kept per API key.") var journalSize = 1000
    @Option(help: "Journal entries kept across all keys (the least recently used keys' journals are emptied first).") var journalTotal = 5000
    @Option(help: "Tasks kept across all keys (oldest first).") var maxTasks = 5000
    @Option(help: "Tasks kept per API key (its oldest first).") var maxTasksPerKey = 1000
    @Option(help: "Seconds a task stays readable after creation.") var taskRetention: Double = 3600
    @Option(help: "Let non-loopback callers use /__fakelab/ when they send this in X-Fakelab-Control-Token.") var controlToken: String?
    @Flag(help: "Really download reference image URLs (checked: public http(s), resolved addresses, ≤3 redirects, 10 s, 50 MiB).") var allowFetch =
        false
    @Flag(help: "With --allow-fetch, also accept loopback URLs (a local image server in tests).") var allowFetchLoopback = false
    @Flag(help: "Echo OpenAI-style usage/size/quality on gpt-image-2 results (not confirmed for TokenLab).") var usageEcho = false
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() async throws {
        var config = try ServerConfiguration(
            catalog: catalog.map { path throws(CatalogError) in try Catalog.load(contentsOf: URL(fileURLWithPath: path)) }
        )
        config.host = host
        config.port = port
        config.seed = seed
        config.publicBaseURL = publicBaseURL
        config.usageEcho = usageEcho
        config.allowFetch = allowFetch
        config.allowFetchLoopback = allowFetchLoopback
        config.rateLimitPerMinute = max(0, rateLimit)
        config.journalCapacity = max(1, journalSize)
        config.journalTotalCapacity = max(1, journalTotal)
        config.maxTasks = max(1, maxTasks)
        config.maxTasksPerKey = max(1, maxTasksPerKey)
        config.taskRetention = taskRetention
        config.controlToken = controlToken
        if let faults { config.startupFaults = try Self.loadFaults(faults) }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        config.logLevel = level
        if let text = taskPolicy {
            guard let policy = TaskPolicy(parsing: text) else { throw ValidationError("--task-policy: cannot parse '\(text)'") }
            config.taskPolicy = policy
        }
        let host = self.host
        let app = FakelabServer.application(config) { port in
            FileHandle.standardOutput.write(Data("fakelab listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }

    static func loadFaults(_ path: String) throws -> [FaultRule] {
        do { return try FaultRule.load(contentsOf: URL(fileURLWithPath: path)) } catch { throw ValidationError("--faults: \(error.description)") }
    }
}
