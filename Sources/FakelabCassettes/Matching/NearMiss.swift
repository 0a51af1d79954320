import FakelabAPI

/// A recorded request close to one that found no answer, and how the two differ, facet by facet
/// (`body.size: "512x512" ≠ recorded "1024x1024"`), so a replay miss says what to fix.
public struct NearMiss: Sendable, Equatable {
    public var exchangeID: Int
    public var request: String
    public var differences: [String]

    public var json: JSONValue {
        ["exchange": .int(exchangeID), "request": .string(request), "differences": .array(differences.map(JSONValue.string))]
    }

    /// The `limit` closest candidates, fewest differences first.
    public static func rank(
        _ request: Exchange.Request,
        among candidates: [CassetteStore.Entry],
        ignoring: Set<String> = [],
        limit: Int = 3
    ) -> [NearMiss] {
        candidates.map { entry in
            NearMiss(
                exchangeID: entry.id,
                request: "\(entry.exchange.request.method) \(entry.exchange.request.path)",
                differences: differences(request, entry.exchange.request, ignoring: ignoring)
            )
        }
        .enumerated()
        .sorted { ($0.element.differences.count, $0.offset) < ($1.element.differences.count, $1.offset) }
        .prefix(limit).map(\.element)
    }

    /// Every facet where `incoming` differs from `recorded`.
    public static func differences(_ incoming: Exchange.Request, _ recorded: Exchange.Request, ignoring: Set<String> = []) -> [String] {
        var out: [String] = []
        if incoming.method != recorded.method { out.append("method: \(incoming.method) ≠ recorded \(recorded.method)") }
        if incoming.path != recorded.path { out.append("path: \(incoming.path) ≠ recorded \(recorded.path)") }
        out += compare("query", pairs(incoming.query), pairs(recorded.query))
        let a = facets(incoming, ignoring: ignoring)
        let b = facets(recorded, ignoring: ignoring)
        if a.kind != b.kind {
            out.append("body: \(a.kind) ≠ recorded \(b.kind)")
        } else {
            out += compare("body", a.fields, b.fields)
        }
        return out
    }

    static func compare(_ facet: String, _ a: [String: String], _ b: [String: String]) -> [String] {
        Set(a.keys).union(b.keys).sorted().compactMap { key in
            switch (a[key], b[key]) {
            case let (x?, y?) where x != y: "\(facet).\(key): \(x) ≠ recorded \(y)"
            case (_?, nil): "\(facet).\(key): not in the recording"
            case (nil, let y?): "\(facet).\(key): missing (recorded \(y))"
            default: nil
            }
        }
    }

    static func pairs(_ query: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            out[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return out
    }

    /// A body as named fields: JSON members (values as JSON text), multipart parts (files by
    /// name and hash), anything else as one hash.
    static func facets(_ r: Exchange.Request, ignoring: Set<String>) -> (kind: String, fields: [String: String]) {
        if r.body.isEmpty { return ("empty", [:]) }
        let type = r.contentType ?? ""
        let media = HeaderValue.mediaType(type)
        if HeaderValue.isJSON(type), case .object(let object)? = try? JSONValue.parse(r.body) {
            return ("json", object.filter { !ignoring.contains($0.key) }.mapValues { $0.serializedString() })
        }
        if media == "multipart/form-data", let boundary = HeaderValue.parameter("boundary", in: type),
            let parts = MatchKey.parts(r.body, boundary: boundary)
        {
            var fields: [String: String] = [:]
            for (i, p) in parts.enumerated() where !ignoring.contains(p.name) {
                let name = fields[p.name] == nil ? p.name : "\(p.name)#\(i)"
                fields[name] =
                    p.filename.map { "file \($0) sha256:\(SHA256.hex(p.body).prefix(12))" }
                    ?? JSONValue.string(String(decoding: p.body, as: UTF8.self)).serializedString()
            }
            return ("multipart", fields)
        }
        return (media.isEmpty ? "bytes" : media, ["sha256": String(SHA256.hex(r.body).prefix(12))])
    }
}
