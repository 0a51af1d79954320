import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import Hummingbird
import NIOCore

extension RecorderResponder {
    /// `/__fakelab/` on a recorder or replay server: the inspector page (loopback only) and its
    /// cassette view. Per-key control calls belong to `fakelab serve`; here they are a 404.
    func control(_ request: Request, path: String) async throws -> Response {
        if let asset = Inspector.asset(path: path) { return asset }
        switch path {
        case "/__fakelab/cassette": return .json(cassette())
        case "/__fakelab/ui/login": return .json(["login": "not needed: a recorder has no control token"])
        default: throw APIError.notFound(path)
        }
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
