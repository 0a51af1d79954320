import FakelabHTTP
import Hummingbird
import NIOCore

/// Per-request state: the request id every response carries, and the caller's API key once
/// authenticated (the tenant: tasks, faults and journal are scoped by it).
public struct FakelabContext: RequestIDContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var apiKey: APIKey?
    /// The caller's view of time: server clock + the key's clock offset (set by the middleware).
    var now: Double = 0
    /// What the key's tenant decided when the request arrived (API routes only).
    var admission: Tenants.Admission?
    /// The request's staged fault, decided once by `FaultMiddleware`.
    var faults = FaultPlan.none
    /// An image create's body, when a middleware had to read it first (`BodyCapture`).
    var decodedBody: Result<RequestBodyDecoder.Decoded, APIError>?
    /// The connection, for faults that break it (reset, empty reply, truncation).
    let channel: (any Channel)?
    /// What the handler learned, for the journal.
    let notes = JournalNotes()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
