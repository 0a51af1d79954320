import FakelabAPI
import FakelabCassettes
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
/// Cheap on the hot path: a record keeps what it was handed (arrays and buffers shared, not
/// copied) and the entry is derived when the journal is read; only a large body or answer is
/// summarized at once (as the fake's journal does past 4 KiB), so a record holds a few KiB at
/// most: ~0.5 GB for every key full of the largest, far less for real traffic.
final class ReplayJournal: Sendable {
    static let perKey = 1000
    static let maxKeys = 64
    /// A JSON request body or answer up to this size is kept as it is; a larger one is summarized.
    static let rawLimit = 4096

    private struct Tenant {
        var ring: [ReplayJournalRecord] = []
        var start = 0
        var nextSeq = 1
        var lastWrite: UInt64 = 0

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

    /// Journals one answered request for `key` (its seq assigned here).
    func append(key: String, _ record: ReplayJournalRecord) {
        let handle = Self.handle(key)
        state.withLock { s in
            s.writes += 1
            if s.tenants[handle] == nil, s.tenants.count >= Self.maxKeys,
                let oldest = s.tenants.min(by: { $0.value.lastWrite < $1.value.lastWrite })?.key
            {
                s.tenants[oldest] = nil
            }
            var record = record
            let writes = s.writes
            // Mutated in place (no copy of the ring): the default subscript yields the stored value.
            s.tenants[handle, default: Tenant()].write(&record, at: writes)
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

    var seq = 0
    var time: Double
    var durationMS: Double
    var method: String
    /// As the cassette keeps them: tokens replaced.
    var path: String
    var query: String?
    /// Credential headers dropped, tokens replaced (the cassette's form).
    var headers: [Exchange.Header]
    /// The request's `Authorization`, masked.
    var authorization: String?
    var body: Body
    var status: Int
    var responseHeaders: HTTPFields
    var answer: Answer

    /// The record of `incoming` (the cassette's form of the request) answered with `status`,
    /// `responseHeaders` and `answerBody` (the JSON served, when the answer was JSON).
    init(
        incoming: Exchange.Request,
        authorization: String?,
        time: Double,
        durationMS: Double,
        status: Int,
        responseHeaders: HTTPFields,
        answerBody: ByteBuffer?
    ) {
        (self.time, self.durationMS, self.status, self.responseHeaders) = (time, durationMS, status, responseHeaders)
        (method, path, query, headers) = (incoming.method, incoming.path, incoming.query, incoming.headers)
        self.authorization = authorization.map(Secrets.mask)
        body = Self.body(incoming)
        answer = Self.answer(answerBody, path: incoming.path)
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
