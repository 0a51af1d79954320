import FakelabAPI
import FakelabHTTP
import Hummingbird

/// A caller's API key: `Authorization: Bearer sk-…`. It names the tenant; it is never logged
/// or stored in clear (use `redacted`).
public struct APIKey: Sendable, Hashable {
    public let value: String

    /// `sk-` followed by 8 or more of `[A-Za-z0-9_-]` (TokenLab keys start with `sk-`, S8/S16).
    public init?(authorization: String?) {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1]
        guard token.hasPrefix("sk-"), token.count >= 11,
            token.utf8.dropFirst(3).allSatisfy({ b in (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95 })
        else { return nil }
        value = String(token)
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
        return "key_" + String(hash.value, radix: 16).leftPadded(to: 16)
    }

    static func require(_ request: Request, _ context: FakelabContext? = nil) throws(APIError) -> APIKey {
        if let key = context?.apiKey { return key }
        guard let key = APIKey(authorization: request.headers[.authorization]) else { throw .invalidAPIKey }
        return key
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
