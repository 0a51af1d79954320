import Hummingbird

/// A server started in-process (`FakelabServer.start`, `Recorder.start`); `stop()` shuts it down gracefully.
public struct RunningServer: Sendable {
    public let host: String
    public let port: Int
    let task: Task<Void, any Error>

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
        let task = Task { try await app.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            _ = try await task.value
            throw CancellationError()
        }
        return RunningServer(host: host, port: port, task: task)
    }

    /// `http://host:port` — point a client's base URL at `baseURL + "/v1"`.
    public var baseURL: String { "http://\(host):\(port)" }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
