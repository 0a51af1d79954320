import FakelabAPI

/// Deterministic text forms of a cassette: JSONL (one exchange a line, sorted keys, text bodies
/// as text and binary ones as base64 with their SHA-256), for review, diffs and git textconv.
public enum CassetteExport {
    public static func jsonl(_ entries: [CassetteStore.Entry]) -> String {
        entries.map { line($0).serializedString() + "\n" }.joined()
    }

    public static func line(_ e: CassetteStore.Entry) -> JSONValue {
        let x = e.exchange
        var request: [String: JSONValue] = [
            "method": .string(x.request.method), "path": .string(x.request.path),
            "headers": headers(x.request.headers), "body": body(x.request.body, contentType: x.request.contentType),
        ]
        if let q = x.request.query { request["query"] = .string(q) }
        if let t = x.request.contentType { request["content_type"] = .string(t) }
        let contentType = x.response.headers.contentType
        return [
            "id": .int(e.id), "ordinal": .int(e.ordinal), "match": .string(e.match),
            "request": .object(request),
            "response": [
                "status": .int(x.response.status), "headers": headers(x.response.headers),
                "body": body(x.response.body, contentType: contentType), "latency_ms": .double(x.response.latencyMS),
            ],
            "recorded_at": .double(x.recordedAt),
        ]
    }

    static func headers(_ h: [Exchange.Header]) -> JSONValue { .array(h.map { [.string($0.name), .string($0.value)] }) }

    static func body(_ bytes: [UInt8], contentType: String?) -> JSONValue {
        var out: [String: JSONValue] = ["size": .int(bytes.count), "sha256": .string(SHA256.hex(bytes))]
        if let text = Exchange.bodyText(bytes, contentType: contentType) {
            out["text"] = .string(text)
        } else if !bytes.isEmpty {
            out["base64"] = .string(Base64.encode(bytes))
        }
        return .object(out)
    }

    /// Findings of `audit` over every exchange: `(exchange id, what)`.
    public static func audit(_ store: CassetteStore) throws(CassetteError) -> [(Int, String)] {
        try store.entries().flatMap { e in store.audit(e.exchange).map { (e.id, $0) } }
    }
}
