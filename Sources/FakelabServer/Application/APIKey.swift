import FakelabAPI
import FakelabHTTP
import Hummingbird

/// A caller's API key: `Authorization: Bearer sk-…`. It names the tenant; it is never logged
/// or stored in clear (use `redacted`).
public struct APIKey: Sendable, Hashable {
    public let value: String

    /// `sk-` followed by 8 or more of `[A-Za-z0-9_-]` (TokenLab keys start with `sk-`, S8/S16),
    /// after `Bearer` (any case) and spaces. One pass over the bytes: this runs on every API request.
    public init?(authorization: String?) {
        guard var header = authorization?.utf8[...] else { return nil }
        while header.first == UInt8(ascii: " ") { header = header.dropFirst() }
        let scheme = header.prefix(6)
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var token = header.dropFirst(6)
        guard token.first == UInt8(ascii: " ") else { return nil }
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        guard token.starts(with: "sk-".utf8), token.count >= 11,
            token.dropFirst(3).allSatisfy({ b in (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 45 || b == 95 })
        else { return nil }
        value = String(Substring(token))
    }

    /// A key already checked (a tenant's own).
    init(verified value: String) { self.value = value }

    /// `sk-…` plus the last four characters: what the journal, the inspector and reports show.
    public var redacted: String { "sk-…" + value.suffix(4) }

    /// An opaque handle for the key (`key_` + 16 hex digits of a keyed hash): the inspector names
    /// keys by it, so no page or URL ever holds a key.
    public var id: String {
        var hash = StableHash(seed: 0x6B65_795F_6964)
        hash.combine(value)
        return "key_" + Hex.string(hash.value, digits: 16)
    }

    static func require(_ request: Request, _ context: FakelabContext? = nil) throws(APIError) -> APIKey {
        if let key = context?.apiKey { return key }
        guard let key = APIKey(authorization: request.headers.value(.authorization)) else { throw .invalidAPIKey }
        return key
    }
}
