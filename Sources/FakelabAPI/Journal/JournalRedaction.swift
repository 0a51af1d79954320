/// What every journal (the fake's and a replay's) shows of a request: never a secret, never a
/// whole upload, and bounded whatever the client sent. The one owner of these rules; `Secrets`
/// says what a secret looks like.
public enum JournalRedaction {
    /// At most this many members per object and elements per array, and this deep: an entry stays
    /// small whatever the body held (a 10,000-field body once kept ~0.5 MB per entry, up to 1,000
    /// entries per key: found by scripts/fuzz's hostile corpus).
    public static let maxMembers = 64, maxElements = 16, maxDepth = 4
    /// A string longer than this (bytes) is shown as its first `shownCharacters` and its size.
    public static let maxStringBytes = 256, shownCharacters = 64

    /// A header's value as a journal shows it: a credential masked (`Bearer sk-…abcd`), tokens
    /// masked in any other value. `lowercasedName` is the header's name, lower-case.
    public static func header(_ lowercasedName: String, _ value: String) -> String {
        Secrets.isCredentialHeader(lowercasedName) ? Secrets.mask(value) : Secrets.maskTokens(in: value)
    }

    /// Headers by lower-case name (a repeated one keeps its last value), each as `header` shows it.
    public static func headers(_ fields: some Sequence<(name: String, value: String)>) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in fields {
            let lowercased = name.lowercased()
            out[lowercased] = header(lowercased, value)
        }
        return out
    }

    /// A body's fields bounded (`bounded`), and its file parts (at most `maxMembers`) with their
    /// names masked.
    public static func body(kind: JournalEntry.Body.Kind, fields: [String: JSONValue], files: [JournalEntry.File]) -> JournalEntry.Body {
        guard case .object(let kept) = bounded(.object(fields)) else { return JournalEntry.Body(kind: kind) }
        return JournalEntry.Body(kind: kind, fields: kept, files: files.prefix(maxMembers).map(file))
    }

    /// A file part as a journal shows it: its field name and file name with tokens masked (a
    /// client can name an upload after its key), never its bytes.
    public static func file(_ f: JournalEntry.File) -> JournalEntry.File {
        var f = f
        f.name = Secrets.maskTokens(in: f.name)
        f.filename = f.filename.map { Secrets.maskTokens(in: $0) }
        return f
    }

    /// Long strings shortened (masked first, so a cut never leaves part of a key in clear), wide
    /// objects and arrays cut, deep values elided; tokens masked in every string and member name.
    public static func bounded(_ value: JSONValue, depth: Int = 0) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count > maxStringBytes:
            return .string(String(Secrets.maskTokens(in: s).prefix(shownCharacters)) + "… (\(s.utf8.count) bytes)")
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

    /// An entry as every reader gets it: tokens masked in every text a client could have put a
    /// key in (the path, the query and its credential parameters, the model, the task and poll
    /// URL an answer echoed, a fault, an error's texts, result URLs built from its `Host`).
    /// Headers and bodies are masked where they are summarized (`header`, `body`).
    public static func shown(_ entry: JournalEntry) -> JournalEntry {
        let mask = Secrets.maskTokens(in:)
        var e = entry
        e.path = mask(e.path)
        e.query = e.query.map(Secrets.maskQuery)
        (e.model, e.taskID, e.pollURL, e.fault) = (e.model.map(mask), e.taskID.map(mask), e.pollURL.map(mask), e.fault.map(mask))
        e.error = e.error.map {
            JournalEntry.ErrorInfo(
                type: $0.type.map(mask),
                code: $0.code.map(mask),
                param: $0.param.map(mask),
                message: $0.message.map(mask),
                retryable: $0.retryable
            )
        }
        e.result = e.result.map { JournalEntry.Result(kind: $0.kind, urls: $0.urls.map(mask), b64: $0.b64) }
        return e
    }

    /// An answer a journal kept, as the control API shows it: tokens masked in every string and
    /// member name (an error may echo a key a client sent; a URL may carry its Host).
    public static func maskingTokens(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): .string(Secrets.maskTokens(in: s))
        case .array(let a): .array(a.map(maskingTokens))
        case .object(let o): .object(Dictionary(o.map { (Secrets.maskTokens(in: $0.key), maskingTokens($0.value)) }, uniquingKeysWith: { a, _ in a }))
        default: value
        }
    }
}
