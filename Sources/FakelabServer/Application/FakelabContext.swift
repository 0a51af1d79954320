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
    var admission: Tenants.Admission? {
        get { admissionBox?.value }
        set { admissionBox = newValue.map(Boxed.init) }
    }
    /// The request's staged fault, decided once by `FaultMiddleware`.
    var faults = FaultPlan.none
    /// An image create's body, when a middleware had to read it first (`BodyCapture`).
    var decodedBody: Result<RequestBodyDecoder.Decoded, APIError>? {
        get { decodedBodyBox?.value }
        set { decodedBodyBox = newValue.map(Boxed.init) }
    }
    /// The connection, for faults that break it (reset, empty reply, truncation).
    let channel: (any Channel)?
    /// What the handler learned, for the journal.
    let notes = JournalNotes()
    // Boxed: every middleware copies the context into its async frame (kept for the request's
    // whole path, per connection), and these two are most of its size when stored inline.
    private var admissionBox: Boxed<Tenants.Admission>?
    private var decodedBodyBox: Boxed<Result<RequestBodyDecoder.Decoded, APIError>>?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// An immutable value behind one reference (a set replaces the box: value semantics hold).
private final class Boxed<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
