import Logging

/// swift-log's `StreamLogHandler` output (same lines, same stream), with the metadata formatted
/// when a line is written instead of whenever metadata is set.
///
/// `StreamLogHandler` renders its metadata to a string on every set. Hummingbird sets a request id
/// on every request's logger, so a server logging at `warning` paid that rendering on every
/// request for lines it never wrote (2.7 % of the server's CPU under a generation load).
/// `fakelab` bootstraps the logging system with this handler (`bootstrap()`).
public struct DeferredStreamLogHandler: LogHandler {
    /// What never changes per logger, behind one reference: with the level and the metadata
    /// the handler is three words, so a `Logger` holds it in place. Hummingbird sets the request
    /// id on a copy of the application's logger for every request; a larger handler lived in a
    /// box of its own, which that first set copied (one more allocation per request).
    private final class Output: Sendable {
        let label: String
        let stream: (any TextOutputStream & Sendable)?
        let metadataProvider: Logger.MetadataProvider?

        init(label: String, stream: (any TextOutputStream & Sendable)?, metadataProvider: Logger.MetadataProvider?) {
            (self.label, self.stream, self.metadataProvider) = (label, stream, metadataProvider)
        }
    }

    private var output: Output
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider? {
        get { output.metadataProvider }
        set { output = Output(label: output.label, stream: output.stream, metadataProvider: newValue) }
    }

    /// Writes to standard error, or to `stream` (tests).
    public init(label: String, stream: (any TextOutputStream & Sendable)? = nil, metadataProvider: Logger.MetadataProvider? = nil) {
        output = Output(label: label, stream: stream, metadataProvider: metadataProvider)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let output = output
        var handler =
            output.stream.map { StreamLogHandler(label: output.label, stream: $0, metadataProvider: output.metadataProvider) }
            ?? StreamLogHandler.standardError(label: output.label, metadataProvider: output.metadataProvider)
        handler.logLevel = logLevel
        handler.metadata = metadata
        handler.log(event: event)
    }

    /// Makes this the process's log handler (once per process, as `LoggingSystem` requires).
    public static func bootstrap() {
        LoggingSystem.bootstrap { label in DeferredStreamLogHandler(label: label, metadataProvider: LoggingSystem.metadataProvider) }
    }
}
