import FakelabHTTP
import Hummingbird
import NIOCore

/// Per-request state: the request id every response carries, and the caller's API key once
/// authenticated (the tenant: tasks, faults and journal are scoped by it).
///
/// What the request path learns lives in one `RequestState` that every copy of the context
/// shares: Hummingbird copies the context into each layer's frame, and a copy is then one
/// retain, not one per field (`Benchmarks/counts`: four copies per generation, 11 retains each
/// before). A middleware sets a field and calls `next` with the same context; no copy is made.
public struct FakelabContext: RequestIDContext {
    public var coreContext: CoreRequestContextStorage
    private let state: RequestState

    public var requestID: String {
        get { state.requestID }
        nonmutating set { state.requestID = newValue }
    }
    public var apiKey: APIKey? {
        get { state.apiKey }
        nonmutating set { state.apiKey = newValue }
    }
    /// The caller's view of time: server clock + the key's clock offset (set by the middleware).
    var now: Double {
        get { state.now }
        nonmutating set { state.now = newValue }
    }
    /// What the key's tenant decided when the request arrived (API routes only).
    var admission: Tenants.Admission? {
        get { state.admission }
        nonmutating set { state.admission = newValue }
    }
    /// The request's staged fault, decided once by `FaultMiddleware`.
    var faults: FaultPlan {
        get { state.faults }
        nonmutating set { state.faults = newValue }
    }
    /// An image create's body, when a middleware had to read it first (`BodyCapture`).
    var decodedBody: Result<RequestBodyDecoder.Decoded, APIError>? {
        get { state.decodedBody }
        nonmutating set { state.decodedBody = newValue }
    }
    /// The connection, for faults that break it (reset, empty reply, truncation).
    var channel: (any Channel)? { state.channel }
    /// What the handler learned, for the journal (made when first asked: `/health` never is).
    var notes: JournalNotes { state.notes }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.state = RequestState(channel: source.channel)
    }
}

/// The mutable part of one request's context, behind one reference.
///
/// `@unchecked Sendable`: one task runs a request's whole path (the middlewares, then the
/// handler, each awaiting the next), so the fields are never accessed from two threads at
/// once; the context crosses no task boundary (as `UnreadBody`, by construction).
private final class RequestState: @unchecked Sendable {
    var requestID = ""
    var apiKey: APIKey?
    var now: Double = 0
    var admission: Tenants.Admission?
    var faults = FaultPlan.none
    var decodedBody: Result<RequestBodyDecoder.Decoded, APIError>?
    let channel: (any Channel)?
    lazy var notes = JournalNotes()

    init(channel: (any Channel)?) { self.channel = channel }
}
