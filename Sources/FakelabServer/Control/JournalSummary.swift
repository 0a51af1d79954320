import FakelabAPI
import HTTPTypes

/// What the journal keeps of a request: never a secret, never a whole upload.
enum JournalSummary {
    /// Headers with credentials masked (`Bearer sk-…abcd`) and tokens masked in every other value.
    static func headers(_ fields: HTTPFields) -> [String: String] {
        var out: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName
            out[name] = Secrets.isCredentialHeader(name) ? Secrets.mask(field.value) : Secrets.maskTokens(in: field.value)
        }
        return out
    }

    static func mask(_ value: String) -> String { Secrets.mask(value) }

    /// JSON fields as sent (strings over 256 characters shortened) and multipart files as
    /// name, filename, size and hash.
    /// At most this many members per object and elements per array, and this deep: a journal
    /// entry stays small whatever the body held (a 10,000-field body once kept ~0.5 MB per entry,
    /// up to 1,000 entries per key: found by scripts/fuzz's hostile corpus).
    static let maxMembers = 64, maxElements = 16, maxDepth = 4

    static func body(_ request: ImageRequest, kind: JournalEntry.Body.Kind, files: [JournalEntry.File]) -> JournalEntry.Body {
        guard case .object(let fields) = bounded(.object(request.fields), depth: 0) else { return .init(kind: kind) }
        return JournalEntry.Body(kind: kind, fields: fields, files: files)
    }

    /// Multipart file parts as name, filename, type, size and SHA-256 (never their bytes), at most `maxMembers`.
    static func files(_ request: ImageRequest) -> [JournalEntry.File] {
        var files: [JournalEntry.File] = []
        for (name, parts) in request.files.sorted(by: { $0.key < $1.key }) {
            for part in parts where files.count < maxMembers {
                files.append(
                    JournalEntry.File(
                        name: name,
                        filename: part.filename,
                        contentType: part.contentType,
                        size: part.bytes.count,
                        sha256: SHA256.hex(part.bytes)
                    )
                )
            }
        }
        return files
    }

    /// An answer the journal kept, as the control API shows it: tokens masked in every string
    /// and member name (an error may echo a key a client sent; a URL may carry its Host).
    static func maskingTokens(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): .string(Secrets.maskTokens(in: s))
        case .array(let a): .array(a.map(maskingTokens))
        case .object(let o): .object(Dictionary(o.map { (Secrets.maskTokens(in: $0.key), maskingTokens($0.value)) }, uniquingKeysWith: { a, _ in a }))
        default: value
        }
    }

    /// Long strings shortened, wide objects and arrays cut, deep values elided.
    static func bounded(_ value: JSONValue, depth: Int) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count > 256:
            return .string(Secrets.maskTokens(in: String(s.prefix(64))) + "… (\(s.utf8.count) bytes)")
        case .string(let s):
            return .string(Secrets.maskTokens(in: s))
        case .object(let members):
            guard depth < maxDepth else { return .string("… (object of \(members.count) members)") }
            var kept: [String: JSONValue] = [:]
            // Member names too: a client can send a key as a name (`{"sk-…": 1}`).
            for key in members.count > maxMembers ? Array(members.keys.sorted().prefix(maxMembers)) : Array(members.keys) {
                kept[Secrets.maskTokens(in: key)] = bounded(members[key]!, depth: depth + 1)
            }
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
