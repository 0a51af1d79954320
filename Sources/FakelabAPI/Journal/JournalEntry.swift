/// One request as the fake saw it: what the client sent (secrets masked), what came back, the
/// fault applied, the task it touched and when. The server fills it; `/verify`, `/verdict`,
/// `fakelab conform` and the inspector read it.
///
/// Its wire form is the snake_case JSON of `GET /__fakelab/journal` (see `json` and
/// `init(json:)`); `Codable` goes through that same form, so there is one mapping.
public struct JournalEntry: Sendable, Equatable {
    /// Per key, from 1.
    public var seq: Int
    /// The key's clock (server clock plus the key's offset), seconds since 1970, at arrival.
    public var time: Double
    /// Upper-case HTTP method.
    public var method: String
    /// The request path, without the query.
    public var path: String
    /// The query string without `?`, when there was one.
    public var query: String?
    /// The `X-Request-ID` of the answer.
    public var requestID: String
    /// The answer's status; nil while the request is in flight (or when the client gave up).
    public var status: Int?
    /// Milliseconds from arrival to the answer.
    public var durationMS: Double
    /// Request headers, names lower-case, credentials masked.
    public var headers: [String: String]
    /// What the client sent, secrets masked, long strings shortened.
    public var body: Body?
    /// Hex digest of method, path and canonical body (`Fingerprint.make`): the same request again has the same one.
    public var fingerprint: String
    /// The model the request named.
    public var model: String?
    /// The task this request created or read.
    public var taskID: String?
    /// The task status a read returned (or a create answered with).
    public var taskStatus: String?
    /// The `poll_url` the answer gave.
    public var pollURL: String?
    /// The fault the fake applied (a `FaultSpec` name, e.g. `rate_limited`, `reset`).
    public var fault: String?
    /// The answer's error envelope, when it had one.
    public var error: ErrorInfo?
    /// Seconds the answer asked the client to wait (`Retry-After` or `error.retry_after`).
    public var retryAfter: Double?
    /// What a 2xx create or task read delivered.
    public var result: Result?

    /// True while no answer has been recorded.
    public var inFlight: Bool { status == nil }

    /// An entry with the required fields; the rest start empty. The fingerprint is computed
    /// from method, path and body unless one is given.
    public init(
        seq: Int,
        time: Double,
        method: String,
        path: String,
        query: String? = nil,
        requestID: String = "",
        status: Int? = nil,
        durationMS: Double = 0,
        headers: [String: String] = [:],
        body: Body? = nil,
        fingerprint: String? = nil
    ) {
        (self.seq, self.time, self.method, self.path, self.query) = (seq, time, method, path, query)
        (self.requestID, self.status, self.durationMS, self.headers, self.body) = (requestID, status, durationMS, headers, body)
        self.fingerprint = fingerprint ?? Fingerprint.make(method: method, path: path, body: body)
    }
}

extension JournalEntry {
    /// A request body as the journal keeps it.
    public struct Body: Sendable, Equatable {
        /// How the body was encoded.
        public enum Kind: String, Sendable, CaseIterable {
            case json, multipart, empty, other
        }

        /// How the body was encoded.
        public var kind: Kind
        /// JSON members, or multipart text fields (long strings shortened).
        public var fields: [String: JSONValue]
        /// Multipart file parts, in the order they came.
        public var files: [File]

        /// A body of `kind` with these fields and file parts.
        public init(kind: Kind, fields: [String: JSONValue] = [:], files: [File] = []) {
            (self.kind, self.fields, self.files) = (kind, fields, files)
        }
    }

    /// A multipart file part: never its bytes, only their size and SHA-256.
    public struct File: Sendable, Equatable {
        /// The part name (`image`, `image[]`, `mask`, …).
        public var name: String
        /// The filename the client gave the part.
        public var filename: String?
        /// The part's `Content-Type`.
        public var contentType: String?
        /// Bytes in the part.
        public var size: Int
        /// Lower-case hex SHA-256 of the part's bytes.
        public var sha256: String

        /// A file part as the journal keeps it.
        public init(name: String, filename: String? = nil, contentType: String? = nil, size: Int, sha256: String) {
            (self.name, self.filename, self.contentType, self.size, self.sha256) = (name, filename, contentType, size, sha256)
        }
    }

    /// The error envelope of the answer (`{"error": {…}}`), as far as it said.
    public struct ErrorInfo: Sendable, Equatable {
        /// `error.type` (`invalid_request_error`, `rate_limit_error`, …).
        public var type: String?
        /// `error.code` (`unsupported_parameter`, `rate_limit_exceeded`, …).
        public var code: String?
        /// `error.param`: the field at fault.
        public var param: String?
        /// `error.message`.
        public var message: String?
        /// The envelope's `retryable`, when it said.
        public var retryable: Bool?

        /// An envelope with the members given.
        public init(type: String? = nil, code: String? = nil, param: String? = nil, message: String? = nil, retryable: Bool? = nil) {
            (self.type, self.code, self.param, self.message, self.retryable) = (type, code, param, message, retryable)
        }
    }

    /// What a 2xx create or task read delivered.
    public struct Result: Sendable, Equatable {
        /// `inline`: the images came in the answer; `task`: the answer was a task to poll.
        public enum Kind: String, Sendable, CaseIterable {
            case inline, task
        }

        /// How the images came.
        public var kind: Kind
        /// Result image URLs the answer carried.
        public var urls: [String]
        /// How many images came as `b64_json`.
        public var b64: Int

        /// A result of `kind` with these URLs and b64 images.
        public init(kind: Kind, urls: [String] = [], b64: Int = 0) {
            (self.kind, self.urls, self.b64) = (kind, urls, b64)
        }
    }
}
