import FakelabAPI

/// What changed between two cassettes: exchanges paired by match key and ordinal, then added,
/// removed, or changed (status, response headers that matter, JSON body fields, other bodies by hash).
public enum CassetteDiff {
    public static func lines(_ old: [CassetteStore.Entry], _ new: [CassetteStore.Entry]) -> [String] {
        func key(_ e: CassetteStore.Entry) -> String { "\(e.match)#\(e.ordinal)" }
        let before = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var out: [String] = []
        for e in old where after[key(e)] == nil { out.append("- removed \(label(e))") }
        for e in new where before[key(e)] == nil { out.append("+ added \(label(e))") }
        for e in new {
            guard let o = before[key(e)] else { continue }
            let changes = changes(o.exchange.response, e.exchange.response)
            if !changes.isEmpty { out.append("~ changed \(label(e))") }
            out += changes.map { "    \($0)" }
        }
        return out
    }

    static func label(_ e: CassetteStore.Entry) -> String {
        "\(e.exchange.request.method) \(e.exchange.request.path) #\(e.ordinal) (id \(e.id), status \(e.exchange.response.status))"
    }

    static func changes(_ a: Exchange.Response, _ b: Exchange.Response) -> [String] {
        var out: [String] = []
        if a.status != b.status { out.append("status: \(a.status) → \(b.status)") }
        let typeA = contentType(a)
        let typeB = contentType(b)
        if typeA != typeB { out.append("content-type: \(typeA ?? "none") → \(typeB ?? "none")") }
        if a.body == b.body { return out }
        if HeaderValue.isJSON(typeA), HeaderValue.isJSON(typeB),
            let x = try? JSONValue.parse(a.body), let y = try? JSONValue.parse(b.body)
        {
            out += JSONDiff.compare(x, y, mode: .values, path: "body").map { $0 }
        } else {
            out.append("body: \(a.body.count) B sha256:\(SHA256.hex(a.body).prefix(12)) → \(b.body.count) B sha256:\(SHA256.hex(b.body).prefix(12))")
        }
        return out
    }

    static func contentType(_ r: Exchange.Response) -> String? {
        r.headers.contentType
    }
}
