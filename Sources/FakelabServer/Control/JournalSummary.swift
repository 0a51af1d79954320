import FakelabAPI
import HTTPTypes

/// What the journal keeps of a request: never a secret, never a whole upload.
enum JournalSummary {
    static let maskedHeaders: Set<String> = ["authorization", "cookie", "set-cookie", "x-api-key", "x-goog-api-key", "proxy-authorization", "x-fakelab-control-token"]

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
    static func body(_ request: ImageRequest) -> JSONValue {
        var fields = request.fields
        for (k, v) in fields {
            if case .string(let s) = v, s.utf8.count > 256 { fields[k] = .string(String(s.prefix(64)) + "… (\(s.utf8.count) bytes)") }
        }
        guard !request.files.isEmpty else { return .object(fields) }
        var files: [JSONValue] = []
        for (name, parts) in request.files.sorted(by: { $0.key < $1.key }) {
            for part in parts {
                var hash = StableHash()
                hash.combine(part.bytes)
                var item: [String: JSONValue] = ["name": .string(name), "bytes": .int(part.bytes.count), "hash": .string(String(hash.value, radix: 16))]
                if let f = part.filename { item["filename"] = .string(f) }
                if let t = part.contentType { item["content_type"] = .string(t) }
                files.append(.object(item))
            }
        }
        return ["fields": .object(fields), "files": .array(files)]
    }
}
