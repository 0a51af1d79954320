import Hummingbird
import Logging
import ServiceLifecycle

/// A server started in-process (`FakelabApp.start`, `Recorder.start`); `stop()` shuts it down gracefully.
public struct RunningServer: Sendable {
    public let host: String
    public let port: Int
    let task: Task<Void, any Error>
    let group: ServiceGroup

    /// How long `stop()` waits for a graceful shutdown before it cancels the server, which
    /// HummingbirdCore logs as errors. A backstop, not a schedule: a `hang` fault ends by itself
    /// on graceful shutdown, and an idle server stops in milliseconds — but on a busy machine
    /// (two cores, image synthesis in parallel tests) the shutdown's hops wait their turn for
    /// seconds, and the 2 s this used to be cancelled healthy shutdowns several times a test run.
    public static let shutdownGrace: Duration = .seconds(30)

    /// Runs the application `make` builds around an on-running callback, and returns once it
    /// accepts connections (with the port it got).
    public static func launch<App: ApplicationProtocol>(
        host: String,
        _ make: (@escaping @Sendable (Int) async -> Void) throws -> App
    ) async throws -> RunningServer {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try make { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        var logger = Logger(label: "fakelab.lifecycle")
        logger.logLevel = .warning
        // A service group, so `stop()` is a graceful shutdown (connections drained), not a
        // cancellation: HummingbirdCore logs a cancelled server as an error.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            _ = try await task.value
            throw CancellationError()
        }
        return RunningServer(host: host, port: port, task: task, group: group)
    }

    /// `http://host:port` — point a client's base URL at `baseURL + "/v1"`.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Shuts the server down gracefully: no new connections, idle connections closed, in-flight
    /// requests finish (for up to `shutdownGrace`, then they are cancelled).
    public func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: Self.shutdownGrace)
            task.cancel()
        }
        _ = try? await task.value
        deadline.cancel()
    }
}
