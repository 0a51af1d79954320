import FakelabAPI
import FakelabHTTP
import HTTPTypes
import NIOCore

/// One request as the fake saw it: what the client sent (secrets masked) and what it got.
public struct JournalEntry: Sendable {
    public var seq: Int
    public var time: Double
    public var method: String
    public var path: String
    public var query: String?
    public var requestID: String
    /// 0 while the request is in flight: entries are written when a request arrives (so a client
    /// that gives up on a hung or slow answer still shows the request) and completed with the answer.
    public var status: Int
    public var durationMS: Double
    /// As received, Authorization masked; every other credential header is masked when the
    /// entry is rendered. Kept packed in one string ("name\0value\0…"): an HTTPFields value
    /// costs a storage object and a name index, and journals hold thousands of entries per key.
    public var headers: HTTPFields {
        var fields = HTTPFields()
        var parts = packedHeaders.split(separator: "\0", omittingEmptySubsequences: false).makeIterator()
        while let name = parts.next(), let value = parts.next() {
            if let name = HTTPField.Name(String(name)) { fields.append(HTTPField(name: name, value: String(value))) }
        }
        return fields
    }
    private let packedHeaders: String

    /// The packed form with Authorization masked, built in one pass (this runs on every
    /// journaled request) into a string of exactly its size (entries live long).
    static func pack(_ fields: HTTPFields) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for field in fields {
            if !bytes.isEmpty { bytes.append(0) }
            bytes += field.name.rawName.utf8
            bytes.append(0)
            bytes += (field.name == .authorization ? JournalSummary.mask(field.value) : field.value).utf8
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    /// JSON fields (top-level values, long strings shortened) or multipart parts (name, size, sha256).
    var body: JournalBody?
    public var model: String?
    public var taskID: String?
    /// The task status a status read returned.
    public var taskStatus: String?
    public var fault: String?
    public var errorCode: String?
    public var retryAfter: Double?

    /// An entry for a request just arrived (status 0: in flight); Authorization is masked here.
    init(seq: Int, time: Double, method: String, path: String, query: String?, requestID: String, requestHeaders: HTTPFields) {
        (self.seq, self.time, self.method, self.path, self.query, self.requestID) = (seq, time, method, path, query, requestID)
        (self.status, self.durationMS) = (0, 0)
        packedHeaders = Self.pack(requestHeaders)
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "seq": .int(seq), "time": .double(time), "method": .string(method), "path": .string(path),
            "request_id": .string(requestID), "status": status == 0 ? .null : .int(status),
            "duration_ms": .double((durationMS * 1000).rounded() / 1000),
            "headers": .object(JournalSummary.headers(headers).mapValues { .string($0) }),
        ]
        if status == 0 { o["in_flight"] = .bool(true) }
        if let query { o["query"] = .string(query) }
        if let body { o["body"] = body.summary }
        if let model { o["model"] = .string(model) }
        if let taskID { o["task_id"] = .string(taskID) }
        if let taskStatus { o["task_status"] = .string(taskStatus) }
        if let fault { o["fault"] = .string(fault) }
        if let errorCode { o["error_code"] = .string(errorCode) }
        if let retryAfter { o["retry_after"] = .double(retryAfter) }
        return .object(o)
    }
}

/// A request body as the journal keeps it: small JSON bodies as received (cheap to keep and to
/// drop), anything else summarized at once. `summary` is what readers see either way.
struct JournalBody: Sendable {
    static let rawLimit = 4096
    /// A copy of exactly the body's bytes: a ByteBuffer slice would keep the whole read buffer
    /// it came from alive (kilobytes per entry).
    private let raw: [UInt8]?
    private let summarized: JSONValue?

    init(_ decoded: RequestBodyDecoder.Decoded) {
        if let raw = decoded.rawJSON, raw.readableBytes <= Self.rawLimit {
            self.raw = Array(raw.readableBytesView)
            self.summarized = nil
        } else {
            self.raw = nil
            self.summarized = JournalSummary.body(decoded.request)
        }
    }

    var summary: JSONValue {
        if let summarized { return summarized }
        guard let raw, case .object(let fields)? = try? JSONValue.parse(raw) else { return .null }
        return JournalSummary.body(ImageRequest(endpoint: .generations, encoding: .json, fields: fields))
    }
}

/// A fixed-capacity ring: the newest `capacity` entries, oldest dropped first.
struct Ring<Element> {
    private var storage: [Element] = []
    private var start = 0
    let capacity: Int
    private(set) var dropped = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { storage.count }

    mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
            dropped += 1
        }
    }

    var elements: [Element] { Array(storage[start...] + storage[..<start]) }

    /// Drops every element (they count as dropped), releasing the storage.
    mutating func removeAll() {
        dropped += storage.count
        storage = []
        start = 0
    }

    /// Changes the element `back` places before the newest (0 = newest), if it is still kept.
    mutating func update(back: Int, _ body: (inout Element) -> Void) {
        guard back >= 0, back < storage.count else { return }
        body(&storage[(start + storage.count - 1 - back) % storage.count])
    }
}
extension Ring: Sendable where Element: Sendable {}
