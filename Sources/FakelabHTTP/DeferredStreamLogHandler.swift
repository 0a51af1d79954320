import Logging

/// swift-log's `StreamLogHandler` output (same lines, same stream), with the metadata formatted
/// when a line is written instead of whenever metadata is set.
///
/// `StreamLogHandler` renders its metadata to a string on every set. Hummingbird sets a request id
/// on every request's logger, so a server logging at `warning` paid that rendering on every
/// request for lines it never wrote (2.7 % of the server's CPU under a generation load).
/// `fakelab` bootstraps the logging system with this handler (`bootstrap()`).
public struct DeferredStreamLogHandler: LogHandler {
    let label: String
    let stream: (any TextOutputStream & Sendable)?
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// Writes to standard error, or to `stream` (tests).
    public init(label: String, stream: (any TextOutputStream & Sendable)? = nil, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.stream = stream
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var handler =
            stream.map { StreamLogHandler(label: label, stream: $0, metadataProvider: metadataProvider) }
            ?? StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
        handler.logLevel = logLevel
        handler.metadata = metadata
        handler.log(event: event)
    }

    /// Makes this the process's log handler (once per process, as `LoggingSystem` requires).
    public static func bootstrap() {
        LoggingSystem.bootstrap { label in DeferredStreamLogHandler(label: label, metadataProvider: LoggingSystem.metadataProvider) }
    }
}
