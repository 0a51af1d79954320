import FakelabAPI
import HTTPTypes

/// What the journal keeps of a request: never a secret, never a whole upload.
enum JournalSummary {
    static let maskedHeaders: Set<String> = [
        "authorization", "cookie", "set-cookie", "x-api-key", "x-goog-api-key", "proxy-authorization", "x-fakelab-control-token",
    ]

    /// Headers with credentials masked (`Bearer sk-…abcd`); any header whose name mentions a
    /// token, secret or key is masked too.
    static func headers(_ fields: HTTPFields) -> [String: String] {
        var out: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName
            let masked = maskedHeaders.contains(name) || name.contains("token") || name.contains("secret") || name.hasSuffix("-key")
            out[name] = masked ? mask(field.value) : field.value
        }
        return out
    }

    /// `Bearer sk-…abcd`: scheme kept, the secret reduced to its `sk-` prefix and last four
    /// characters (none when it is short). Idempotent. Byte-level: this runs on every request.
    static func mask(_ value: String) -> String {
        let bytes = Array(value.utf8)
        if bytes.contains(0xE2) { return value }  // "…" (E2 80 A6): already masked
        var scheme = ""
        var secret = bytes[...]
        if let space = bytes.firstIndex(of: 0x20) {
            scheme = String(decoding: bytes[...space], as: UTF8.self)
            secret = bytes[(space + 1)...]
        }
        let prefix = secret.starts(with: [0x73, 0x6B, 0x2D]) ? "sk-" : ""
        let tail = secret.count > 12 ? String(decoding: secret.suffix(4), as: UTF8.self) : ""
        return scheme + prefix + "…" + tail
    }

    /// JSON fields as sent (strings over 256 characters shortened) and multipart files as
    /// name, filename, size and hash.
    /// At most this many members per object and elements per array, and this deep: a journal
    /// entry stays small whatever the body held (a 10,000-field body once kept ~0.5 MB per entry,
    /// up to 1,000 entries per key: found by scripts/fuzz's hostile corpus).
    static let maxMembers = 64, maxElements = 16, maxDepth = 4

    static func body(_ request: ImageRequest) -> JSONValue {
        let fields = bounded(.object(request.fields), depth: 0)
        guard !request.files.isEmpty else { return fields }
        var files: [JSONValue] = []
        for (name, parts) in request.files.sorted(by: { $0.key < $1.key }) {
            for part in parts {
                guard files.count < maxMembers else { break }
                var hash = StableHash()
                hash.combine(part.bytes)
                var item: [String: JSONValue] = [
                    "name": .string(name), "bytes": .int(part.bytes.count), "hash": .string(String(hash.value, radix: 16)),
                ]
                if let f = part.filename { item["filename"] = .string(f) }
                if let t = part.contentType { item["content_type"] = .string(t) }
                files.append(.object(item))
            }
        }
        let total = request.files.values.reduce(0) { $0 + $1.count }
        if total > files.count { files.append(.string("… \(total - files.count) more parts")) }
        return ["fields": fields, "files": .array(files)]
    }

    /// Long strings shortened, wide objects and arrays cut, deep values elided.
    static func bounded(_ value: JSONValue, depth: Int) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count > 256:
            return .string(String(s.prefix(64)) + "… (\(s.utf8.count) bytes)")
        case .object(let members):
            guard depth < maxDepth else { return .string("… (object of \(members.count) members)") }
            guard members.count > maxMembers else { return .object(members.mapValues { bounded($0, depth: depth + 1) }) }
            var kept: [String: JSONValue] = [:]
            for key in members.keys.sorted().prefix(maxMembers) { kept[key] = bounded(members[key]!, depth: depth + 1) }
            if members.count > maxMembers { kept["…"] = .string("\(members.count - maxMembers) more members") }
            return .object(kept)
        case .array(let elements):
            guard depth < maxDepth else { return .string("… (array of \(elements.count) elements)") }
            var kept = elements.prefix(maxElements).map { bounded($0, depth: depth + 1) }
            if elements.count > maxElements { kept.append(.string("… \(elements.count - maxElements) more elements")) }
            return .array(kept)
        default:
            return value
        }
    }
}
