import FakelabAPI
import FakelabHTTP
import Hummingbird

/// A caller's API key: `Authorization: Bearer sk-…`. It names the tenant; it is never logged
/// or stored in clear (use `redacted`).
public struct APIKey: Sendable, Hashable {
    public let value: String

    /// `sk-` followed by 8 or more of `[A-Za-z0-9_-]` (TokenLab keys start with `sk-`, S8/S16),
    /// after `Bearer` (any case) and spaces. One pass over the header's bytes: this runs on
    /// every API request.
    public init?(authorization: String?) {
        guard var header = authorization, let value = header.withUTF8(Self.token(in:)) else { return nil }
        self.value = value
    }

    private static func token(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let space = UInt8(ascii: " ")
        let n = bytes.count
        var i = 0
        while i < n, bytes[i] == space { i += 1 }
        guard n - i > 6 else { return nil }
        for expected in "bearer".utf8 {
            guard bytes[i] | 0x20 == expected else { return nil }
            i += 1
        }
        guard bytes[i] == space else { return nil }
        while i < n, bytes[i] == space { i += 1 }
        let start = i
        guard n - start >= 11, bytes[i] == UInt8(ascii: "s"), bytes[i + 1] == UInt8(ascii: "k"), bytes[i + 2] == UInt8(ascii: "-") else {
            return nil
        }
        for b in bytes[(start + 3)...] {
            guard (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 45 || b == 95 else { return nil }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
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
