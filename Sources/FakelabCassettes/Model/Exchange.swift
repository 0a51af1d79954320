import FakelabAPI

/// One request/response pair as a cassette keeps it: secrets already removed, bodies by hash.
public struct Exchange: Sendable, Equatable {
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        public var query: String?
        public var headers: [Header]
        public var contentType: String?
        public var body: [UInt8]

        public init(method: String, path: String, query: String? = nil, headers: [Header] = [], contentType: String? = nil, body: [UInt8] = []) {
            self.method = method.uppercased()
            self.path = path
            self.query = query
            self.headers = headers
            self.contentType = contentType
            self.body = body
        }
    }

    public struct Response: Sendable, Equatable {
        public var status: Int
        public var headers: [Header]
        public var body: [UInt8]
        /// Time from request to the last byte, as recorded.
        public var latencyMS: Double

        public init(status: Int, headers: [Header] = [], body: [UInt8] = [], latencyMS: Double = 0) {
            self.status = status
            self.headers = headers
            self.body = body
            self.latencyMS = latencyMS
        }
    }

    public struct Header: Sendable, Equatable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var request: Request
    public var response: Response
    /// Recording time (unix seconds).
    public var recordedAt: Double

    public init(request: Request, response: Response, recordedAt: Double) {
        self.request = request
        self.response = response
        self.recordedAt = recordedAt
    }
}
