import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every request the recorder takes: replayed from the cassette, forwarded and recorded, or
/// answered with a near-miss report, by the effective record mode.
struct RecorderResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let state: RecorderState

    /// What a replay lookup found.
    enum Lookup {
        case answer(CassetteStore.Answer)
        /// Recorded `count` times; this was request number `count + 1` or later.
        case exhausted(count: Int)
        case notRecorded
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await answer(request)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        }
    }

    func answer(_ request: Request) async throws -> Response {
        let path = request.uri.path
        if path == "/health" { return .json(["status": "ok", "mode": .string(state.mode.rawValue)]) }
        if path == "/__fakelab/recorder" { return .json(state.status) }
        if path.hasPrefix("/__fakelab/"), !path.hasPrefix(MediaLinks.pathPrefix) { return try await control(request, path: path) }
        return try await api(request, path: path)
    }

    /// An API request (or a captured image): answered by the record mode, and journaled for its
    /// key (`ReplayJournal`): opened at arrival, completed with what it was answered — an
    /// `APIError`'s envelope (a 413 too), 499 when the client went away, 500 for any other error.
    func api(_ request: Request, path: String) async throws -> Response {
        let started = ContinuousClock.now
        let arrival = Date().timeIntervalSince1970
        let key = path.hasPrefix(MediaLinks.pathPrefix) ? nil : Self.bearerKey(request)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: state.configuration.maxBodyBytes)
        } catch {
            let tooLarge = APIError.payloadTooLarge(limit: state.configuration.maxBodyBytes)
            let ticket = key.map { open($0, request, state.incoming(request, body: ByteBuffer()), arrival) }
            complete(ticket, path: path, started, failure: tooLarge)
            throw tooLarge
        }
        let incoming = state.incoming(request, body: body)
        let ticket = key.map { open($0, request, incoming, arrival) }
        do {
            let served = try await route(request, body: body, incoming: incoming, path: path)
            complete(ticket, path: path, started, served.response.status.code, served.response.headers, served.json)
            return served.response
        } catch {
            complete(ticket, path: path, started, failure: error)
            throw error
        }
    }

    /// The answer by the effective record mode: replayed, forwarded (and recorded), or a miss.
    func route(_ request: Request, body: ByteBuffer, incoming: Exchange.Request, path: String) async throws -> Served {
        let base = request.publicBaseURL(
            configured: state.configuration.publicBaseURL,
            fallbackHost: "\(state.configuration.host):\(state.configuration.port)"
        )
        let isMedia = path.hasPrefix(MediaLinks.pathPrefix)
        switch state.mode {
        case .passthrough:
            return try await forward(request, body: body, incoming: incoming, base: base, record: false)
        case .all where !isMedia:
            return try await forward(request, body: body, incoming: incoming, base: base, record: true)
        case .newEpisodes where !isMedia:
            let key = MatchKey(incoming, ignoring: state.configuration.ignoredFields).description
            if case .answer(let a) = try lookup(key, isMedia: false) { return try await response(for: a.response, base: base, source: .replay) }
            return try await forward(request, body: body, incoming: incoming, base: base, record: true)
        default:
            let key = MatchKey(incoming, ignoring: state.configuration.ignoredFields).description
            switch try lookup(key, isMedia: isMedia) {
            case .answer(let a): return try await response(for: a.response, base: base, source: .replay, cacheKey: "\(a.ordinal)@\(base) \(key)")
            case .exhausted(let count): throw miss(incoming, exhausted: count)
            case .notRecorded: throw miss(incoming, exhausted: nil)
            }
        }
    }

    /// The bearer key of a request (`Authorization: Bearer KEY`), nil without one.
    static func bearerKey(_ request: Request) -> String? {
        request.headers.value(.authorization).flatMap(Secrets.bearerToken)
    }

    /// Opens the journal entry of a request for `key` (`ReplayJournal`: secrets never kept).
    func open(_ key: String, _ request: Request, _ incoming: Exchange.Request, _ arrival: Double) -> ReplayJournal.Ticket {
        state.journal.open(key: key, ReplayJournalRecord(incoming: incoming, authorization: request.headers[.authorization], time: arrival))
    }

    /// Completes a journal entry (none without a key) with the answer.
    func complete(
        _ ticket: ReplayJournal.Ticket?,
        path: String,
        _ started: ContinuousClock.Instant,
        _ status: Int,
        _ headers: HTTPFields,
        _ json: ByteBuffer?
    ) {
        guard let ticket else { return }
        let completion = ReplayJournalRecord.Completion(
            status: status,
            durationMS: (ContinuousClock.now - started).milliseconds,
            headers: headers,
            answerBody: json,
            path: path,
            now: Date().timeIntervalSince1970
        )
        state.journal.complete(ticket, completion)
    }

    /// Completes a journal entry with what `error` answers: an `APIError`'s envelope; 499
    /// (nginx's "client closed request", as the fake journals it) when the client went away;
    /// else 500.
    func complete(_ ticket: ReplayJournal.Ticket?, path: String, _ started: ContinuousClock.Instant, failure error: any Error) {
        if let error = error as? APIError {
            complete(ticket, path: path, started, error.body.status, error.headers, ByteBuffer(bytes: error.body.json.serialized()))
        } else {
            complete(ticket, path: path, started, error is CancellationError || Task.isCancelled ? 499 : 500, [:], nil)
        }
    }

    /// The n-th answer for the n-th identical request; past the last, the last again when the
    /// exhausted policy (or a captured image, always) allows it.
    /// `matchText` is the request's canonical match text: replay memory is keyed by it, and its
    /// SHA-256 digest is computed only when SQLite is asked.
    func lookup(_ matchText: String, isMedia: Bool) throws -> Lookup {
        let n = state.cursors.next(matchText)
        let found: CassetteStore.Answer?
        if let cached = state.cursors.cached(matchText, upTo: n) {
            found = cached
        } else if state.cursors.cacheLimit > 0 {
            let all = try state.store.answers(digest: MatchKey.digest(of: matchText))
            state.cursors.remember(matchText, all)
            found = all.isEmpty ? nil : all[min(n, all.count - 1)]
        } else {
            found = try state.store.answer(digest: MatchKey.digest(of: matchText), upTo: n)
        }
        guard let found else { return .notRecorded }
        if found.ordinal == n || isMedia || state.configuration.afterLast == .repeatLast { return .answer(found) }
        return .exhausted(count: found.ordinal + 1)
    }

    /// A recorded response as the client gets it, in record and replay alike.
    /// `cacheKey` names an immutable recording (replay only), so its served body can be kept.
    func response(for r: Exchange.Response, base: String, source: AnswerSource, cacheKey: String? = nil) async throws -> Served {
        if case .recorded(let scale) = state.configuration.latency, source == .replay, r.latencyMS * scale >= 1 {
            try await Task.sleep(for: .milliseconds(Int64(r.latencyMS * scale)))
        }
        if source == .replay { state.count { $0.replayed += 1 } }
        var fields = HTTPFields(recorded: r.headers)
        fields[RecorderHeaders.source] = source.rawValue
        let isJSON = HeaderValue.isJSON(fields[.contentType])
        let make = { isJSON ? state.links.served(r.body, recorderBase: base) : r.body }
        let body = cacheKey.map { state.cursors.servedBody($0, make: make) } ?? ByteBuffer(bytes: make())
        return Served(Response(status: .init(code: r.status), headers: fields, body: .init(byteBuffer: body)), json: isJSON ? body : nil)
    }

    /// The near-miss report, in TokenLab's envelope: 404 `cassette_miss` (as WireMock answers an
    /// unmatched request), the closest recordings and how each differs.
    func miss(_ incoming: Exchange.Request, exhausted: Int?) -> APIError {
        state.count { $0.misses += 1 }
        let what = "\(incoming.method) \(incoming.path)"
        if let exhausted {
            let message =
                "\(what) was recorded \(exhausted) time(s) and this is request #\(exhausted + 1); the after-last policy is 'error' (use --after-last repeat to answer with the last recording)"
            state.logger.warning(
                "replay miss",
                metadata: ["fakelab.method": "\(incoming.method)", "fakelab.path": "\(incoming.path)", "fakelab.recorded_times": "\(exhausted)"]
            )
            state.remember(miss: incoming, report: ["recorded_times": .int(exhausted), "message": .string(message)])
            return .cassetteMiss(message, extra: ["recorded_times": .int(exhausted)])
        }
        let candidates = (try? state.store.candidates(method: incoming.method, path: incoming.path)) ?? []
        let near = NearMiss.rank(incoming, among: candidates, ignoring: state.configuration.ignoredFields)
        var message = "No recorded answer for \(what) in \(state.configuration.cassettePath) (mode \(state.mode.rawValue))"
        if let best = near.first {
            message += "; closest is exchange \(best.exchangeID) (\(best.request)): " + best.differences.prefix(5).joined(separator: "; ")
        } else {
            message += "; the cassette has no exchanges"
        }
        state.logger.warning("replay miss", metadata: ["fakelab.method": "\(incoming.method)", "fakelab.path": "\(incoming.path)"])
        state.remember(miss: incoming, report: ["message": .string(message), "near_misses": .array(near.map(\.json))])
        return .cassetteMiss(message, extra: ["near_misses": .array(near.map(\.json))])
    }
}

/// An answer and, when it was JSON read whole, the body served (what the journal reads).
struct Served {
    var response: Response
    var json: ByteBuffer?

    init(_ response: Response, json: ByteBuffer? = nil) {
        self.response = response
        self.json = json
    }
}

/// Where an answer came from, as `X-Fakelab-Cassette` names it.
enum AnswerSource: String, Sendable {
    /// Forwarded upstream and recorded.
    case record
    /// From the cassette.
    case replay
    /// Forwarded upstream, not recorded.
    case passthrough
}

/// Names the recorder adds on the wire.
enum RecorderHeaders {
    /// An `AnswerSource`: where an answer came from.
    static let source = HTTPField.Name.xFakelabCassette
    /// Set when an exchange could not be written (the reason is in the recorder's log).
    static let refused = HTTPField.Name.xFakelabRecordRefused
}

extension HTTPFields {
    /// Recorded headers as wire fields, connection-level ones left out.
    init(recorded headers: [Exchange.Header]) {
        self.init()
        for h in headers where !h.isHopByHop {
            if let name = HTTPField.Name(h.name) { append(HTTPField(name: name, value: h.value)) }
        }
    }
}
