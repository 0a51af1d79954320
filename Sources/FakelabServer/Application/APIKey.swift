import FakelabAPI
import FakelabHTTP
import Hummingbird

/// A caller's API key: `Authorization: Bearer sk-…`. It names the tenant; it is never logged
/// or stored in clear (use `redacted`).
public struct APIKey: Sendable, Hashable {
    public let value: String

    /// `Secrets.isAPIKey`: `sk-` and 8 or more of `[A-Za-z0-9_-]` (TokenLab keys start with `sk-`),
    /// after `Bearer` (any case) and spaces. One pass over the header's bytes: this runs on
    /// every API request.
    public init?(authorization: String?) {
        guard var header = authorization, let value = header.withUTF8(Self.token(in:)) else { return nil }
        self.value = value
    }

    private static func token(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let key = Secrets.bearerToken(in: bytes), Secrets.isAPIKey(key) else { return nil }
        return String(decoding: key, as: UTF8.self)
    }

    /// A key already checked (a tenant's own).
    init(verified value: String) { self.value = value }

    /// The key as the journal, the inspector and reports show it (`Secrets.mask`: `sk-…abcd`).
    public var redacted: String { Secrets.mask(value) }

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
