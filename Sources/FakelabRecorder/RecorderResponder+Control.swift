import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import Hummingbird
import NIOCore

extension RecorderResponder {
    /// `/__fakelab/` on a recorder or replay server: the inspector page (loopback only), its
    /// cassette view, and the key's journal (the fake's shape, so `fakelab conform` grades a
    /// replay). Staging a task policy or faults is refused: the answers come from the cassette
    /// (or the upstream). Other per-key control calls belong to `fakelab serve`; here they are a 404.
    func control(_ request: Request, path: String) async throws -> Response {
        if let asset = Inspector.asset(path: path) { return asset }
        switch path {
        case "/__fakelab/cassette": return .json(cassette())
        case "/__fakelab/ui/login": return .json(["login": "not needed: a recorder has no control token"])
        case "/__fakelab/journal" where request.method == .get: return .json(try journal(request))
        case "/__fakelab/task-policy", "/__fakelab/faults": throw notStageable(path)
        default: throw APIError.notFound(path)
        }
    }

    /// `{"object": "list", "data": [entry, …]}` for the request's bearer key, oldest first.
    func journal(_ request: Request) throws -> JSONValue {
        guard let key = Self.bearerKey(request) else { throw APIError.invalidAPIKey }
        return ["object": "list", "data": .array(state.journal.entries(key: key).map(\.json))]
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
