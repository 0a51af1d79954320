import FakelabAPI
import HTTPTypes
import NIOCore

/// One request as the journal stores it: packed for memory (journals hold thousands of entries
/// across keys), read as the typed `JournalEntry` every reader shares (`entry`). What most
/// requests lack (a query, a task, a fault, an error) lives in one boxed `Details`, so a plain
/// request pays one pointer for all of it.
struct JournalRecord: Sendable {
    var seq: Int
    var time: Double
    let method: String
    /// The API's own routes are interned (`RoutePath.interned`): no string per entry.
    let path: String
    /// 0 while the request is in flight: records are written when a request arrives (so a client
    /// that gives up on a hung or slow answer still shows the request) and completed with the answer.
    var status: Int
    var durationMS: Float = 0
    /// The request id and the request headers packed in one string ("req_…\0name\0value\0…"),
    /// Authorization masked at once; every other credential is masked when the entry is
    /// rendered. An HTTPFields value costs a storage object and a name index per entry, and the
    /// id a block of its own.
    private let packed: String
    var body: JournalBody?
    var model: String?
    var result: JournalEntry.Result?
    /// The answer's JSON, bounded (`JournalResponse`), for the inspector's detail view.
    var response: [UInt8]?
    private var box: DetailsBox?

    /// The fields most requests do not have.
    struct Details: Sendable, Equatable {
        var query: String?
        var taskID: String?
        var taskStatus: String?
        var pollURL: String?
        var fault: String?
        var error: JournalEntry.ErrorInfo?
        var retryAfter: Double?
    }

    private final class DetailsBox: Sendable {
        let value: Details
        init(_ value: Details) { self.value = value }
    }

    var details: Details {
        get { box?.value ?? Details() }
        set { box = newValue == Details() ? nil : DetailsBox(newValue) }
    }

    var taskID: String? { box?.value.taskID }
    var taskStatus: String? { box?.value.taskStatus }

    /// A record for a request just arrived (status 0: in flight).
    init(seq: Int, time: Double, method: String, path: String, query: String?, requestID: String, requestHeaders: HTTPFields) {
        (self.seq, self.time, self.method, self.path) = (seq, time, method, RoutePath.interned(path))
        status = 0
        packed = Self.pack(requestID: requestID, requestHeaders)
        if let query { box = DetailsBox(Details(query: query)) }
    }

    /// The packed form with Authorization masked, built in one pass (this runs on every
    /// journaled request) into a string of exactly its size (records live long).
    static func pack(requestID: String, _ fields: HTTPFields) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes += requestID.utf8
        for field in fields {
            bytes.append(0)
            bytes += field.name.rawName.utf8
            bytes.append(0)
            bytes += (field.name == .authorization ? Secrets.mask(field.value) : field.value).utf8
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    var requestID: String { String(packed.prefix { $0 != "\0" }) }

    var headers: HTTPFields {
        var fields = HTTPFields()
        var parts = packed.split(separator: "\0", omittingEmptySubsequences: false).dropFirst().makeIterator()
        while let name = parts.next(), let value = parts.next() {
            if let name = HTTPField.Name(String(name)) { fields.append(HTTPField(name: name, value: String(value))) }
        }
        return fields
    }

    /// The typed entry: what the control API renders and the checks read. Every text a client
    /// could have put a key in (the path, the query, the model, an error that echoes a value, a
    /// URL built from its Host) has tokens masked here, where every reader passes; headers and
    /// bodies are masked by `JournalSummary`.
    var entry: JournalEntry {
        let d = details
        let mask = Secrets.maskTokens(in:)
        var e = JournalEntry(
            seq: seq,
            time: time,
            method: method,
            path: mask(path),
            query: d.query.map(mask),
            requestID: requestID,
            status: status == 0 ? nil : status,
            durationMS: (Double(durationMS) * 1000).rounded() / 1000,
            headers: JournalSummary.headers(headers),
            body: body?.summary,
            fingerprint: body?.fingerprint(method: method, path: path) ?? JournalEntry.Fingerprint.make(method: method, path: path, body: nil)
        )
        (e.model, e.taskID, e.taskStatus, e.pollURL, e.fault) = (model.map(mask), d.taskID, d.taskStatus, d.pollURL.map(mask), d.fault.map(mask))
        e.error = d.error.map {
            JournalEntry.ErrorInfo(
                type: $0.type.map(mask),
                code: $0.code.map(mask),
                param: $0.param.map(mask),
                message: $0.message.map(mask),
                retryable: $0.retryable
            )
        }
        e.result = result.map { JournalEntry.Result(kind: $0.kind, urls: $0.urls.map(mask), b64: $0.b64) }
        e.retryAfter = d.retryAfter
        return e
    }
}

/// The paths of the API's own routes, interned: a journal entry for one of them holds the
/// literal (no heap block) instead of the copy each request brings.
enum RoutePath {
    private static let known: [String: String] = Dictionary(
        uniqueKeysWithValues: (Endpoint.allCases.map(\.rawValue) + ["/v1/files"]).map { ($0, $0) }
    )

    static func interned(_ path: String) -> String { known[path] ?? path }
}

/// A request body as the journal keeps it: small JSON bodies as received (cheap to keep and to
/// drop), anything else summarized at once; the fingerprint is taken from the full body.
struct JournalBody: Sendable {
    static let rawLimit = 4096
    /// A copy of exactly the body's bytes: a ByteBuffer slice would keep the whole read buffer
    /// it came from alive (kilobytes per entry).
    private let raw: [UInt8]?
    private let summarized: JournalEntry.Body?
    /// Taken from the full body when the body is summarized; for a small JSON body, computed
    /// when read from the bytes kept (the same digest, off the request path).
    private let digest: String?

    init(_ decoded: RequestBodyDecoder.Decoded, method: String, path: String) {
        let request = decoded.request
        let kind: JournalEntry.Body.Kind = request.encoding == .multipart ? .multipart : .json
        if kind == .json, let raw = decoded.rawJSON, raw.readableBytes <= Self.rawLimit {
            self.raw = Array(raw.readableBytesView)
            self.summarized = nil
            self.digest = nil
        } else {
            let files = JournalSummary.files(request)
            self.raw = nil
            self.summarized = JournalSummary.body(request, kind: kind, files: files)
            self.digest = JournalEntry.Fingerprint.make(
                method: method,
                path: path,
                kind: kind,
                fields: request.fields,
                files: files.map { ($0.name, $0.sha256) }
            )
        }
    }

    /// The request's fingerprint (method, path and canonical body): `method` and `path` are the
    /// entry's, as when the body arrived.
    func fingerprint(method: String, path: String) -> String {
        if let digest { return digest }
        let fields = raw.flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]
        return JournalEntry.Fingerprint.make(method: method, path: path, kind: .json, fields: fields, files: [])
    }

    var summary: JournalEntry.Body? {
        if let summarized { return summarized }
        guard let raw, case .object(let fields)? = try? JSONValue.parse(raw) else { return nil }
        return JournalSummary.body(ImageRequest(endpoint: .generations, encoding: .json, fields: fields), kind: .json, files: [])
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
