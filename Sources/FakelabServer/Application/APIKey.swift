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

    /// `sk-…` plus the last four characters: safe for logs, journals and reports.
    public var redacted: String { "sk-…" + value.suffix(4) }

    static func require(_ request: Request, _ context: FakelabContext? = nil) throws(APIError) -> APIKey {
        if let key = context?.apiKey { return key }
        guard let key = APIKey(authorization: request.headers[.authorization]) else { throw .invalidAPIKey }
        return key
    }
}
