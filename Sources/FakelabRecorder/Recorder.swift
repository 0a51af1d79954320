import Hummingbird
import Logging

/// Builds the recording proxy / replay server.
public enum Recorder {
    /// The application, ready to `runService()` (handles SIGINT/SIGTERM). Throws for a bad
    /// upstream, a mode that needs one, or a cassette that cannot be opened.
    public static func application(
        _ configuration: RecorderConfiguration,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "fakelab.recorder")
        logger.logLevel = configuration.logLevel
        let state = try RecorderState(configuration, logger: logger)
        return Application(
            responder: RecorderResponder(state: state),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fakelab-recorder"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Starts in-process (port 0 picks a free port) and returns once it accepts connections.
    public static func start(_ configuration: RecorderConfiguration) async throws -> RunningRecorder {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try application(configuration) { port in
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
        return RunningRecorder(host: configuration.host, port: port, task: task)
    }
}

/// A recorder started by `Recorder.start`; `stop()` shuts it down gracefully.
public struct RunningRecorder: Sendable {
    public let host: String
    public let port: Int
    let task: Task<Void, any Error>

    public var baseURL: String { "http://\(host):\(port)" }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
