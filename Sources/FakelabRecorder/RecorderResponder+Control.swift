import FakelabAPI
import FakelabCassettes
import FakelabChecks
import FakelabHTTP
import Hummingbird
import NIOCore

extension RecorderResponder {
    /// `/__fakelab/` on a recorder or replay server: the inspector page (loopback only), its
    /// cassette view, and the key's journal and traffic verdict (the fake's shapes, so `fakelab
    /// conform` and `fakelab verdict` grade a replay). Staging a task policy or faults is refused: the answers come from the cassette
    /// (or the upstream). Other per-key control calls belong to `fakelab serve`; here they are a 404.
    func control(_ request: Request, path: String) async throws -> Response {
        if let asset = Inspector.asset(path: path) { return asset }
        switch path {
        case "/__fakelab/cassette": return .json(cassette())
        case "/__fakelab/ui/login": return .json(["login": "not needed: a recorder has no control token"])
        case "/__fakelab/journal" where request.method == .get: return .json(["object": "list", "data": .array(try entries(request).map(\.json))])
        case "/__fakelab/verdict" where request.method == .get: return .json(Verdict.analyse(try entries(request)).json)
        case "/__fakelab/task-policy", "/__fakelab/faults": throw notStageable(path)
        default: throw APIError.notFound(path)
        }
    }

    /// The request's bearer key's journal, oldest first; `?since=SEQ` keeps newer entries only
    /// (as on `fakelab serve`).
    func entries(_ request: Request) throws -> [JournalEntry] {
        guard let key = Self.bearerKey(request) else { throw APIError.invalidAPIKey }
        var entries = state.journal.entries(key: key)
        if let since = request.uri.queryParameters.get("since") {
            guard let n = Int(since) else { throw APIError.badRequest(code: ErrorCode.invalidValue, param: "since", "since: a journal seq number") }
            entries = entries.filter { $0.seq > n }
        }
        return entries
    }

    /// Why a recorder cannot stage what the fake stages per key.
    func notStageable(_ path: String) -> APIError {
        let what = path.hasSuffix("faults") ? "faults" : "a task policy"
        let source = state.mode == .none ? "its cassette" : "its cassette or its upstream"
        return APIError.badRequest(
            code: ErrorCode.unsupportedOperation,
            "\(path): this is a fakelab \(state.mode == .none ? "replay" : "recorder") server; it answers from \(source) and cannot stage \(what) (task policies and faults are staged on `fakelab serve`)"
        )
    }

    /// The cassette's exchanges (newest 1,000) and the recent misses with their near-miss reports.
    func cassette() -> JSONValue {
        let entries = (try? state.store.entries()) ?? []
        let exchanges: [JSONValue] = entries.suffix(1000).map { e in
            [
                "id": .int(e.id), "method": .string(e.exchange.request.method), "path": .string(e.exchange.request.path),
                "ordinal": .int(e.ordinal), "status": .int(e.exchange.response.status),
                "request_bytes": .int(e.exchange.request.body.count), "response_bytes": .int(e.exchange.response.body.count),
                "recorded_at": .double(e.exchange.recordedAt),
            ]
        }
        return [
            "path": .string(state.configuration.cassettePath), "mode": .string(state.mode.rawValue), "count": .int(entries.count),
            "exchanges": .array(exchanges), "misses": .array(state.recentMisses),
        ]
    }
}
