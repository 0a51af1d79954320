import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import HTTPTypes
import NIOCore
import Synchronization

/// What a recorder or replay server answered, per API key, for `GET /__fakelab/journal`: the
/// same typed entries (`JournalEntry`) and JSON shape as `fakelab serve`, so `fakelab conform`
/// grades replayed traffic as it grades the fake's. Bounded: the newest
/// `perKey` entries of the `maxKeys` keys written to last. Secrets are never kept: a key is
/// known by its hash, the request as the cassette keeps it (credential headers dropped,
/// token-shaped strings replaced), its `Authorization` masked (`Bearer sk-…abcd`).
///
/// As on the fake, an entry opens when the request is taken (`open`: its seq, and its `time`,
/// the wall clock when the request arrived) and shows it in flight (no status) until it is
/// completed with its answer (`complete`), or with 499 when the client went away. One
/// difference: the fake opens the entry before the body is read, the replay once it has been
/// read (the entry keeps the body), so the seq follows the order in which bodies were read.
///
/// Cheap on the hot path: a record keeps what it was handed (arrays and buffers shared, not
/// copied) and the entry is derived when the journal is read; only a large body or answer is
/// summarized at once (as the fake's journal does past 4 KiB). A record is bounded: request
/// headers up to `maxHeaders` and `maxHeaderBytes` (the rest counted, not kept), a JSON body or
/// answer up to `rawLimit` as it was (a larger body summarized within `JournalRedaction`'s
/// bounds, a larger answer kept as its notes: error, task, image URLs, never its bytes), and of
/// the answer's headers only the three the entry reads. That is ~13 KiB at most for real
/// TokenLab answers: under 1 GB were every key full of the largest, far less for real traffic.
final class ReplayJournal: Sendable {
    static let perKey = 1000
    static let maxKeys = 64
    /// A JSON request body or answer up to this size is kept as it is; a larger one is summarized.
    static let rawLimit = 4096
    /// At most this many request headers, of at most this many bytes (names and values), are kept.
    static let maxHeaders = 64, maxHeaderBytes = 4096

    /// Where an open entry is: its key's handle, the tenant it was opened in (a key evicted and
    /// written to again starts afresh) and its seq.
    struct Ticket: Sendable {
        let handle: UInt64
        let generation: UInt64
        let seq: Int
    }

    private struct Tenant {
        var ring: [ReplayJournalRecord] = []
        var start = 0
        var nextSeq = 1
        var lastWrite: UInt64 = 0
        /// The journal's write count when this tenant was made.
        var generation: UInt64 = 0

        /// Gives `record` the next seq and keeps it, as written at `writes`.
        mutating func write(_ record: inout ReplayJournalRecord, at writes: UInt64) {
            record.seq = nextSeq
            nextSeq += 1
            lastWrite = writes
            append(record)
        }

        mutating func append(_ record: ReplayJournalRecord) {
            if ring.count < ReplayJournal.perKey {
                ring.append(record)
            } else {
                ring[start] = record
                start = (start + 1) % ring.count
            }
        }

        /// Where the record of `seq` is in the ring; nil once newer ones pushed it out.
        func index(of seq: Int) -> Int? {
            let offset = seq - (nextSeq - ring.count)
            guard offset >= 0, offset < ring.count else { return nil }
            return (start + offset) % ring.count
        }

        var records: [ReplayJournalRecord] { Array(ring[start...] + ring[..<start]) }
    }

    private struct State {
        var tenants: [UInt64: Tenant] = [:]
        var writes: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A key as the journal knows it: a hash, never the key.
    static func handle(_ key: String) -> UInt64 {
        var hash = StableHash(seed: 0x7265_706c_6179_6a6c)
        hash.combine(key)
        return hash.value
    }

    /// Opens the entry of a request just taken for `key` (its seq assigned here): in flight
    /// until `complete`, unless `record` is complete already.
    @discardableResult
    func open(key: String, _ record: ReplayJournalRecord) -> Ticket {
        let handle = Self.handle(key)
        return state.withLock { s in
            s.writes += 1
            let writes = s.writes
            if s.tenants[handle] == nil {
                if s.tenants.count >= Self.maxKeys, let oldest = s.tenants.min(by: { $0.value.lastWrite < $1.value.lastWrite })?.key {
                    s.tenants[oldest] = nil
                }
                s.tenants[handle] = Tenant(generation: writes)
            }
            var record = record
            // Mutated in place (no copy of the ring): the default subscript yields the stored value.
            s.tenants[handle, default: Tenant()].write(&record, at: writes)
            return Ticket(handle: handle, generation: s.tenants[handle]?.generation ?? writes, seq: record.seq)
        }
    }

    /// Completes an open entry with its answer; nothing when the entry is gone (its key evicted,
    /// or `perKey` newer entries since).
    func complete(_ ticket: Ticket, _ completion: ReplayJournalRecord.Completion) {
        state.withLock { s in
            guard s.tenants[ticket.handle]?.generation == ticket.generation,
                let i = s.tenants[ticket.handle]?.index(of: ticket.seq)
            else { return }
            s.tenants[ticket.handle, default: Tenant()].ring[i].completion = completion
        }
    }

    /// The key's entries, oldest first.
    func entries(key: String) -> [JournalEntry] {
        let handle = Self.handle(key)
        return (state.withLock { $0.tenants[handle]?.records } ?? []).map(\.entry)
    }

    /// Keys with a journal (at most `maxKeys`).
    var keyCount: Int { state.withLock { $0.tenants.count } }
}

/// One answered request as the replay journal keeps it.
struct ReplayJournalRecord: Sendable {
    /// A request body: small JSON as received, anything else summarized when it arrived.
    enum Body: Sendable {
        case none
        case json([UInt8])
        case summary(JournalEntry.Body, fingerprint: String)
        case other
    }

    /// An answer's body: small JSON as served, a large one's notes taken when it was served.
    enum Answer: Sendable {
        case none
        case json(ByteBuffer)
        case notes(ReplayAnswerNotes)
    }

    /// What the answer added: nil while the request is in flight.
    struct Completion: Sendable {
        var status: Int
        var durationMS: Double
        /// The answer's `X-Request-ID`, `X-Task-ID`, and `Retry-After` in seconds (an error's only,
        /// read when it was answered, as the fake does): the answer's headers are not kept.
        var requestID: String
        var taskID: String?
        var retryAfter: Double?
        var answer: Answer

        /// `status` with `headers`, and `answerBody` (the JSON served, when the answer was JSON).
        init(status: Int, durationMS: Double, headers: HTTPFields, answerBody: ByteBuffer?, path: String, now: Double) {
            (self.status, self.durationMS) = (status, durationMS)
            requestID = headers[.xRequestID] ?? ""
            taskID = headers[.xTaskID]
            retryAfter = status >= 400 ? headers[.retryAfter].flatMap { RetryAfterFormat.seconds(from: $0, now: now) } : nil
            answer = ReplayJournalRecord.answer(answerBody, path: path)
        }
    }

    var seq = 0
    /// When the request arrived (wall clock).
    var time: Double
    var method: String
    /// As the cassette keeps them: tokens replaced.
    var path: String
    var query: String?
    /// Credential headers dropped, tokens replaced (the cassette's form); at most
    /// `ReplayJournal.maxHeaders` of at most `maxHeaderBytes`.
    var headers: [Exchange.Header]
    /// Headers not kept (past the bounds), and their bytes.
    var headersCut: (count: Int, bytes: Int) = (0, 0)
    /// The request's `Authorization`, masked.
    var authorization: String?
    var body: Body
    var completion: Completion?

    /// The record of `incoming` (the cassette's form of the request), arrived at `time`, in flight.
    init(incoming: Exchange.Request, authorization: String?, time: Double) {
        self.time = time
        (method, path, query) = (incoming.method, incoming.path, incoming.query)
        (headers, headersCut) = Self.bounded(incoming.headers)
        self.authorization = authorization.map(Secrets.mask)
        body = Self.body(incoming)
    }

    /// The record of `incoming` answered with `status`, `responseHeaders` and `answerBody`.
    init(
        incoming: Exchange.Request,
        authorization: String?,
        time: Double,
        durationMS: Double,
        status: Int,
        responseHeaders: HTTPFields,
        answerBody: ByteBuffer?
    ) {
        self.init(incoming: incoming, authorization: authorization, time: time)
        completion = Completion(
            status: status,
            durationMS: durationMS,
            headers: responseHeaders,
            answerBody: answerBody,
            path: incoming.path,
            now: time
        )
    }

    /// The headers a record keeps, in order: each that still fits the bounds; the others counted.
    static func bounded(_ all: [Exchange.Header]) -> ([Exchange.Header], (count: Int, bytes: Int)) {
        var kept: [Exchange.Header] = []
        var (bytes, cut, cutBytes) = (0, 0, 0)
        for h in all {
            let size = h.name.utf8.count + h.value.utf8.count
            if kept.count < ReplayJournal.maxHeaders, bytes + size <= ReplayJournal.maxHeaderBytes {
                kept.append(h)
                bytes += size
            } else {
                (cut, cutBytes) = (cut + 1, cutBytes + size)
            }
        }
        // Nothing cut: the cassette's array itself, shared.
        return (cut == 0 ? all : kept, (cut, cutBytes))
    }

    static func body(_ request: Exchange.Request) -> Body {
        guard !request.body.isEmpty else { return .none }
        if HeaderValue.isJSON(request.contentType) {
            guard request.body.count > ReplayJournal.rawLimit else { return .json(request.body) }
            guard case .object(let fields)? = try? JSONValue.parse(request.body) else { return .other }
            let fingerprint = JournalEntry.Fingerprint.make(method: request.method, path: request.path, kind: .json, fields: fields, files: [])
            return .summary(JournalRedaction.body(kind: .json, fields: fields, files: []), fingerprint: fingerprint)
        }
        if HeaderValue.mediaType(request.contentType ?? "") == "multipart/form-data",
            let boundary = HeaderValue.parameter("boundary", in: request.contentType ?? "")
        {
            return ReplayBody.multipart(request.body, boundary: boundary, method: request.method, path: request.path).map {
                .summary($0.body, fingerprint: $0.fingerprint)
            } ?? .other
        }
        return .other
    }

    static func answer(_ body: ByteBuffer?, path: String) -> Answer {
        guard let body else { return .none }
        guard body.readableBytes > ReplayJournal.rawLimit else { return .json(body) }
        return .notes(ReplayAnswerNotes(json: try? JSONValue.parse(Array(body.readableBytesView)), path: path))
    }
}
