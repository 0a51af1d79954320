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

extension [Exchange.Header] {
    /// The first value of the header `name` (any case): one lookup for every reader of a cassette.
    public func value(named name: String) -> String? {
        first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// `Content-Type`, when the exchange recorded one.
    public var contentType: String? { value(named: "content-type") }
}

extension String {
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { $0 | 0x20 == $1 | 0x20 }
    }
}

extension Exchange {
    /// A body as text, when it is text: a textual content type (JSON, `text/*`, a form) and valid
    /// UTF-8 without NUL; nil means it travels as base64. The one rule for exports and HAR files.
    public static func bodyText(_ bytes: [UInt8], contentType: String?) -> String? {
        let type = (contentType ?? "").lowercased()
        guard type.contains("json") || type.hasPrefix("text/") || type.contains("x-www-form-urlencoded"),
            let text = String(validating: bytes, as: UTF8.self), !text.contains("\0")
        else { return nil }
        return text
    }
}
