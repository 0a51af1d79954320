import FakelabAPI
import FakelabHTTP
import Hummingbird
import Logging
import NIOCore

/// Builds the fake TokenLab server.
public enum FakelabApp {
    /// The router with every route of the fake, for in-process tests (`app.test(.router)`).
    public static func router(_ configuration: ServerConfiguration) -> Router<FakelabContext> {
        router(ServerServices(configuration))
    }

    static func router(_ state: ServerServices) -> Router<FakelabContext> { RequestPipeline.router(state) }

    /// The application, ready to `runService()` (handles SIGINT/SIGTERM) or to test.
    public static func application(
        _ configuration: ServerConfiguration,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "fakelab")
        logger.logLevel = configuration.logLevel
        let state = ServerServices(configuration)
        var app = Application(
            router: router(state),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fakelab"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        if let quiet = configuration.idleHeapTrim { app.addServices(IdleHeapTrim(activity: state.ids, quiet: quiet)) }
        return app
    }

    /// Starts a server in-process (port 0 picks a free port) and returns once it accepts connections.
    public static func start(_ configuration: ServerConfiguration) async throws -> RunningServer {
        try await RunningServer.launch(host: configuration.host) { onRunning in application(configuration, onServerRunning: onRunning) }
    }
}
