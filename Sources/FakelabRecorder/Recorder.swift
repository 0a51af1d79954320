import FakelabHTTP
import Hummingbird
import Logging

/// Builds the recording proxy / replay server.
public enum Recorder {
    /// The application, ready to `runService()` (handles SIGINT/SIGTERM). Throws for a bad
    /// upstream, a mode that needs one, or a cassette that cannot be opened. Run it: when it
    /// records or forwards, it owns an HTTP client that its shutdown shuts down.
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
            services: state.client.map { [HTTPClientService(client: $0)] } ?? [],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Starts in-process (port 0 picks a free port) and returns once it accepts connections.
    public static func start(_ configuration: RecorderConfiguration) async throws -> RunningServer {
        try await RunningServer.launch(host: configuration.host) { onRunning in try application(configuration, onServerRunning: onRunning) }
    }
}
