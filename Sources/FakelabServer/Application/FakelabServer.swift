import FakelabAPI
import Hummingbird
import Logging
import NIOCore

/// Builds the fake TokenLab server.
public enum FakelabServer {
    /// The router with every route of the fake, for in-process tests (`app.test(.router)`).
    public static func router(_ configuration: ServerConfiguration) -> Router<FakelabContext> {
        router(ServerState(configuration))
    }

    static func router(_ state: ServerState) -> Router<FakelabContext> {
        let router = Router(context: FakelabContext.self)
        router.add(middleware: EnvelopeMiddleware(state: state))
        router.get("/health") { _, _ in Response.json(["status": "ok"]) }
        ModelsController(state: state).add(to: router)
        ImagesController(state: state).add(to: router)
        TasksController(state: state).add(to: router)
        ImageFilesController(state: state).add(to: router)
        ControlController(state: state).add(to: router)
        FilesController(state: state).add(to: router)
        PricingController(state: state).add(to: router)
        DiscoveryController(state: state).add(to: router)
        return router
    }

    /// The application, ready to `runService()` (handles SIGINT/SIGTERM) or to test.
    public static func application(
        _ configuration: ServerConfiguration,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "fakelab")
        logger.logLevel = configuration.logLevel
        return Application(
            router: router(configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fakelab"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Starts a server in-process (port 0 picks a free port) and returns once it accepts connections.
    public static func start(_ configuration: ServerConfiguration) async throws -> RunningServer {
        try await RunningServer.launch(host: configuration.host) { onRunning in application(configuration, onServerRunning: onRunning) }
    }
}

/// A server started in-process (`FakelabServer.start`, `Recorder.start`); `stop()` shuts it down gracefully.
public struct RunningServer: Sendable {
    public let host: String
    public let port: Int
    let task: Task<Void, any Error>

    /// Runs the application `make` builds around an on-running callback, and returns once it
    /// accepts connections (with the port it got).
    package static func launch<App: ApplicationProtocol>(
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
