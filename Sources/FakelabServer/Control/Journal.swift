import FakelabAPI
import HTTPTypes
import NIOCore

/// One request as the journal stores it: packed for memory (journals hold thousands of entries
/// across keys), read as the typed `JournalEntry` every reader shares (`entry`). The scalars
/// live in the record; every text and byte string (the request id, headers, body, answer, task,
/// fault, error, result) lives in one `JournalFields` block of exactly its size. Only a body the
/// journal keeps as a summary (multipart, or JSON past `JournalBody.rawLimit`) has a box of its own.
struct JournalRecord: Sendable {
    var seq: Int
    var time: Double
    private var fields: JournalFields
    private var summarized: JournalBody.Summarized?
    var durationMS: Float = 0
    private var statusCode: Int16 = 0
    /// The method and the path as an index into `Interned`'s lists when they are there (the
    /// API's own routes), else 255 and the text in `fields`: no string per entry.
    private let methodCode: UInt8
    private let pathCode: UInt8

    /// 0 while the request is in flight: records are written when a request arrives (so a client
    /// that gives up on a hung or slow answer still shows the request) and completed with the answer.
    var status: Int {
        get { Int(statusCode) }
        set { statusCode = Int16(clamping: newValue) }
    }

    var method: String { Interned.methods.text(methodCode) ?? fields.string(.method) ?? "" }
    var path: String { Interned.paths.text(pathCode) ?? fields.string(.path) ?? "" }

    /// A record for a request just arrived (status 0: in flight). Authorization is masked at
    /// once; every other credential is masked when the entry is rendered.
    init(seq: Int, time: Double, method: String, path: String, query: String?, requestID: String, requestHeaders: HTTPFields) {
        (self.seq, self.time) = (seq, time)
        (methodCode, pathCode) = (Interned.methods.code(method), Interned.paths.code(path))
        // Sized first and written once: this runs on every journaled request, and the block is
        // kept as written (no copy to trim it). Two passes over the fields, by index (an element
        // read in place, not copied out: a retain per string), and no list in between: only the
        // masked Authorization is made, once.
        var masked: String?
        var headersLength = -1
        for i in requestHeaders.indices {
            let name = requestHeaders[i].name
            let code = Interned.headerNames.code(name.canonicalName)
            headersLength += 2 + (code == Interned.none ? name.rawName.utf8.count : 1)
            if name == .authorization {
                // Every Authorization a request repeats is masked; the first one's mask is kept.
                let mask = Secrets.mask(requestHeaders[i].value)
                if masked == nil { masked = mask }
                headersLength += mask.utf8.count
            } else {
                headersLength += requestHeaders[i].value.utf8.count
            }
        }
        headersLength = max(0, headersLength)
        typealias W = JournalFields.Writer
        var size = W.size(requestID.utf8.count) + W.size(headersLength) + (query.map { W.size($0.utf8.count) } ?? 0)
        if methodCode == Interned.none { size += W.size(method.utf8.count) }
        if pathCode == Interned.none { size += W.size(path.utf8.count) }
        var writer = W(capacity: size)
        writer.append(.requestID, requestID)
        if methodCode == Interned.none { writer.append(.method, method) }
        if pathCode == Interned.none { writer.append(.path, path) }
        // "name\0value\0…" (HTTP forbids NUL in either, and a byte under 0x20 in a name), a
        // common name as its one-byte code (`Interned.headerNames`), Authorization masked.
        writer.begin(.headers, length: headersLength)
        var first = true
        var firstMask = true
        for i in requestHeaders.indices {
            if !first { writer.write(0) }
            let name = requestHeaders[i].name
            let code = Interned.headerNames.code(name.canonicalName)
            if code == Interned.none { writer.write(name.rawName.utf8) } else { writer.write(code) }
            writer.write(0)
            if name == .authorization {
                writer.write((firstMask ? masked! : Secrets.mask(requestHeaders[i].value)).utf8)
                firstMask = false
            } else {
                writer.write(requestHeaders[i].value.utf8)
            }
            first = false
        }
        writer.append(.query, query)
        fields = writer.finish()
    }

    /// What the answer's notes say, in the form a record takes it: built before the tenant
    /// lock is taken (`apply` inside it only copies bytes).
    struct Completion: Sendable {
        var status: Int
        var durationMS: Float
        fileprivate var fields: JournalFields
        fileprivate var summarized: JournalBody.Summarized?

        static let tags = JournalFields.Tags(
            .body,
            .model,
            .response,
            .taskID,
            .packedResponse,
            .pollPath,
            .taskStatus,
            .pollURL,
            .fault,
            .errorType,
            .errorCode,
            .errorParam,
            .errorMessage,
            .errorRetryable,
            .retryAfter,
            .result,
            .resultURLs
        )

        init(status: Int, durationMS: Float, notes: JournalNotes.Values, taskID: String?, retryAfter: Double?) {
            (self.status, self.durationMS, summarized) = (status, durationMS, notes.body?.summarized)
            var w = JournalFields.Writer(capacity: 128 + (notes.response?.count ?? 0) + (notes.body?.raw?.count ?? 0))
            if let raw = notes.body?.raw { w.append(.body, raw) }
            w.append(.model, notes.model)
            if let response = notes.response {
                JournalResponseKeys.withPacked(response, taskID: taskID) { packed in
                    if let packed { w.append(.packedResponse, packed) } else { w.append(.response, response) }
                }
            }
            w.append(.taskID, taskID)
            w.append(.taskStatus, notes.taskStatus)
            // The poll URL of the entry's own task is its poll path's code: the id is there already.
            if let pollURL = notes.pollURL, let taskID, let path = PollPath.allCases.firstIndex(where: { $0.url(for: taskID) == pollURL }) {
                w.append(.pollPath, CollectionOfOne(UInt8(path)))
            } else {
                w.append(.pollURL, notes.pollURL)
            }
            w.append(.fault, notes.fault?.description)
            if let error = notes.error {
                w.append(.errorType, error.type)
                w.append(.errorCode, error.code)
                w.append(.errorParam, error.param)
                w.append(.errorMessage, error.message)
                w.append(.errorRetryable, error.retryable)
            }
            w.append(.retryAfter, retryAfter)
            if let result = notes.result {
                let inResponse = notes.resultURLsInResponse && notes.response != nil
                // The flags and a LEB128 count, written in place.
                w.begin(.result, length: 1 + JournalFields.leb128Count(result.b64))
                w.write((result.kind == .task ? 1 : 0) | (inResponse ? 2 : 0))
                w.writeLEB128(result.b64)
                if !result.urls.isEmpty, !inResponse { w.append(.resultURLs, result.urls.joined(separator: "\0").utf8) }
            }
            fields = w.finish(exact: false)
        }
    }

    /// Completes the record with the answer (the fields of an earlier `record(body:model:)`
    /// are replaced).
    mutating func apply(_ completion: Completion) {
        (status, durationMS, summarized) = (completion.status, completion.durationMS, completion.summarized)
        fields = fields.replacing(Completion.tags, with: completion.fields)
    }

    /// The body (and the model it names) as soon as it is read, before the answer.
    mutating func record(body: JournalBody, model: String?) {
        summarized = body.summarized
        var w = JournalFields.Writer(capacity: 32 + (body.raw?.count ?? 0))
        if let raw = body.raw { w.append(.body, raw) }
        w.append(.model, model)
        fields = fields.replacing(JournalFields.Tags(.body, .model), with: w.finish(exact: false))
    }

    var requestID: String { fields.string(.requestID) ?? "" }
    var query: String? { fields.string(.query) }
    var model: String? { fields.string(.model) }
    var taskID: String? { fields.string(.taskID) }
    var taskStatus: String? { fields.string(.taskStatus) }
    var pollURL: String? {
        if let code = fields.bytes(.pollPath)?.first, Int(code) < PollPath.allCases.count, let taskID {
            return PollPath.allCases[Int(code)].url(for: taskID)
        }
        return fields.string(.pollURL)
    }
    var fault: String? { fields.string(.fault) }
    var retryAfter: Double? { fields.number(.retryAfter) }
    /// The answer's JSON, bounded (`JournalResponse`), for the inspector's detail view.
    var response: [UInt8]? {
        if let packed = fields.bytes(.packedResponse) { return JournalResponseKeys.unpack(packed, taskID: taskID) }
        return fields.bytes(.response).map(Array.init)
    }

    var headers: HTTPFields {
        var headers = HTTPFields()
        guard let packed = fields.bytes(.headers), !packed.isEmpty else { return headers }
        var parts = packed.split(separator: 0, omittingEmptySubsequences: false).makeIterator()
        while let code = parts.next(), let value = parts.next() {
            let text = code.count == 1 ? Interned.headerNames.text(code[code.startIndex]) : nil
            if let name = HTTPField.Name(text ?? String(decoding: code, as: UTF8.self)) {
                headers.append(HTTPField(name: name, value: String(decoding: value, as: UTF8.self)))
            }
        }
        return headers
    }

    var body: JournalBody? {
        if let summarized { return JournalBody(summarized) }
        return fields.bytes(.body).map { JournalBody(raw: Array($0)) }
    }

    var error: JournalEntry.ErrorInfo? {
        let (type, code, param, message) = (
            fields.string(.errorType), fields.string(.errorCode), fields.string(.errorParam), fields.string(.errorMessage)
        )
        let retryable = fields.flag(.errorRetryable)
        guard type != nil || code != nil || param != nil || message != nil || retryable != nil else { return nil }
        return JournalEntry.ErrorInfo(type: type, code: code, param: param, message: message, retryable: retryable)
    }

    var result: JournalEntry.Result? {
        guard let head = fields.bytes(.result), let kind = head.first else { return nil }
        var after = 1
        let b64 = JournalFields.readLEB128(Array(head), at: &after)
        let urls: [String]
        if kind & 2 != 0 {
            let data = response.flatMap { try? JSONValue.parse($0) }?.objectValue?["data"]?.arrayValue ?? []
            urls = data.compactMap { $0.objectValue?["url"]?.stringValue }
        } else {
            urls = fields.bytes(.resultURLs).map { $0.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } } ?? []
        }
        return JournalEntry.Result(kind: kind & 1 == 1 ? .task : .inline, urls: urls, b64: b64)
    }

    /// The typed entry: what the control API renders and the checks read, masked here, where
    /// every reader passes (`JournalRedaction.shown`; headers and bodies by `JournalSummary`).
    var entry: JournalEntry {
        let body = self.body
        var e = JournalEntry(
            seq: seq,
            time: time,
            method: method,
            path: path,
            query: query,
            requestID: requestID,
            status: status == 0 ? nil : status,
            durationMS: (Double(durationMS) * 1000).rounded() / 1000,
            headers: JournalSummary.headers(headers),
            body: body?.summary,
            fingerprint: body?.fingerprint(method: method, path: path) ?? JournalEntry.Fingerprint.make(method: method, path: path, body: nil)
        )
        (e.model, e.taskID, e.taskStatus, e.pollURL, e.fault) = (model, taskID, taskStatus, pollURL, fault)
        (e.error, e.result, e.retryAfter) = (error, result, retryAfter)
        return JournalRedaction.shown(e)
    }
}

/// What most journal entries share, kept once: the API's methods, its own routes and the
/// common header names. An entry holds a one-byte code for each it has.
enum Interned {
    static let none: UInt8 = 255

    struct List: Sendable {
        private let texts: [String]
        private let codes: [String: UInt8]

        init(_ texts: [String], first: UInt8 = 0) {
            self.texts = Array(repeating: "", count: Int(first)) + texts
            codes = Dictionary(uniqueKeysWithValues: texts.enumerated().map { ($1, UInt8($0) + first) })
        }

        func code(_ text: String) -> UInt8 { codes[text] ?? Interned.none }
        func text(_ code: UInt8) -> String? { code != Interned.none && Int(code) < texts.count && !texts[Int(code)].isEmpty ? texts[Int(code)] : nil }
    }

    static let methods = List(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
    static let paths = List(Endpoint.allCases.map(\.rawValue) + ["/v1/files", "/v1/models", "/v1/tasks", "/health"])
    /// Codes 1–31: a header name is a token, so a one-byte name under 0x20 is a code.
    static let headerNames = List(
        [
            "host", "user-agent", "accept", "accept-encoding", "content-type", "content-length", "authorization", "connection",
            "x-request-id", "idempotency-key", "x-tokenlab-delivery-policy", "x-fakelab-fault", "traceparent",
        ],
        first: 1
    )
}

/// A request body as the journal keeps it: small JSON bodies as received (cheap to keep and to
/// drop), anything else summarized at once; the fingerprint is taken from the full body.
struct JournalBody: Sendable {
    static let rawLimit = 4096
    /// A copy of exactly the body's bytes: a ByteBuffer slice would keep the whole read buffer
    /// it came from alive (kilobytes per entry).
    let raw: [UInt8]?
    /// A body kept as its summary, with the fingerprint of the full body (rare: multipart
    /// uploads and large JSON), boxed so that a record without one pays a pointer.
    let summarized: Summarized?

    final class Summarized: Sendable {
        let body: JournalEntry.Body
        let digest: String
        init(body: JournalEntry.Body, digest: String) { (self.body, self.digest) = (body, digest) }
    }

    init(raw: [UInt8]) { (self.raw, self.summarized) = (raw, nil) }
    init(_ summarized: Summarized) { (self.raw, self.summarized) = (nil, summarized) }

    init(_ decoded: RequestBodyDecoder.Decoded, method: String, path: @autoclosure () -> String) {
        let request = decoded.request
        let kind: JournalEntry.Body.Kind = request.encoding == .multipart ? .multipart : .json
        if kind == .json, let raw = decoded.rawJSON, raw.readableBytes <= Self.rawLimit {
            self.raw = Array(raw.readableBytesView)
            self.summarized = nil
        } else {
            let files = JournalSummary.files(request)
            self.raw = nil
            self.summarized = Summarized(
                body: JournalSummary.body(request, kind: kind, files: files),
                digest: JournalEntry.Fingerprint.make(
                    method: method,
                    path: path(),
                    kind: kind,
                    fields: request.fields,
                    files: files.map { ($0.name, $0.sha256) }
                )
            )
        }
    }

    /// The request's fingerprint (method, path and canonical body): `method` and `path` are the
    /// entry's, as when the body arrived. For a small JSON body it is computed from the bytes
    /// kept (the same digest, off the request path).
    func fingerprint(method: String, path: String) -> String {
        if let summarized { return summarized.digest }
        let fields = raw.flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]
        return JournalEntry.Fingerprint.make(method: method, path: path, kind: .json, fields: fields, files: [])
    }

    var summary: JournalEntry.Body? {
        if let summarized { return summarized.body }
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
