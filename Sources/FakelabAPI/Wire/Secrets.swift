/// The one redaction policy: which headers are credentials, what a token looks like, and how
/// each place hides one. The journal, the control API, the inspector and reports mask
/// (`sk-…abcd`); cassettes drop credential headers and replace tokens with `placeholder`.
public enum Secrets {
    /// The credential headers Fakelab's own clients send, as spelled on the wire.
    public static let authorizationHeader = "Authorization"
    public static let controlTokenHeader = "X-Fakelab-Control-Token"

    /// Credential header names (lower-case), dropped from cassettes and masked in the journal.
    public static let credentialHeaders: Set<String> = [
        authorizationHeader.lowercased(), "cookie", "set-cookie", "x-api-key", "x-goog-api-key", "proxy-authorization",
        controlTokenHeader.lowercased(),
    ]

    /// Query parameters that carry a credential or a signature (lower-case names; `x-amz-*` and
    /// `x-goog-*` are credentials too): cassettes drop them, the journal masks their values.
    public static let credentialQueryKeys: Set<String> = [
        "key", "api_key", "apikey", "token", "access_token", "sig", "signature", "x-amz-signature",
        "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential", "se", "sp", "sv",
    ]

    /// A query parameter (any case) whose value is a secret: a named one, a signed-URL one, or
    /// any whose name mentions a token, secret or password or ends in `key` (as for headers).
    public static func isCredentialQueryKey(_ name: some StringProtocol) -> Bool {
        let name = name.lowercased()
        return credentialQueryKeys.contains(name) || name.hasPrefix("x-amz-") || name.hasPrefix("x-goog-") || name.contains("token")
            || name.contains("secret") || name.contains("password") || name.hasSuffix("key")
    }

    /// A query string as the journal shows it: credential parameters' values masked
    /// (`Secrets.mask`), token-shaped strings masked anywhere; the order kept.
    public static func maskQuery(_ query: String) -> String {
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, isCredentialQueryKey(parts[0]), !parts[1].isEmpty else { return maskTokens(in: String(pair)) }
            return String(parts[0]) + "=" + mask(String(parts[1]))
        }
        return pairs.joined(separator: "&")
    }

    /// What a cassette writes where a secret was.
    public static let placeholder = "[REDACTED]"

    /// Shortest key the fake accepts after its prefix (`sk-` + 8 or more characters), so a key a
    /// client echoes anywhere is caught, whatever its length.
    public static let minimumTokenCharacters = 8

    /// The token of an `Authorization: Bearer TOKEN` value: `Bearer` in any case after optional
    /// spaces, one or more spaces, then the rest (its shape unchecked; `isAPIKey` checks it).
    /// Nil without the scheme or a token. Byte-level: it runs on every API request.
    @inlinable public static func bearerToken(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
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
        return i < n ? UnsafeBufferPointer(rebasing: bytes[i...]) : nil
    }

    /// `bearerToken(in:)` of a header value, as a string.
    public static func bearerToken(_ authorization: String) -> String? {
        var value = authorization
        return value.withUTF8 { bytes in bearerToken(in: bytes).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A character of a key after its prefix: `[A-Za-z0-9_-]`.
    @inlinable public static func isKeyCharacter(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95
    }

    /// The shape of an API key the fake accepts: `sk-` and `minimumTokenCharacters` or more key
    /// characters, nothing else.
    @inlinable public static func isAPIKey(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count >= 3 + minimumTokenCharacters && bytes.starts(with: "sk-".utf8) && bytes.dropFirst(3).allSatisfy(isKeyCharacter)
    }

    /// A credential header, or any header whose name mentions a token, secret or key.
    public static func isCredentialHeader(_ lowercasedName: String) -> Bool {
        credentialHeaders.contains(lowercasedName) || lowercasedName.contains("token") || lowercasedName.contains("secret")
            || lowercasedName.hasSuffix("-key")
    }

    /// `Bearer sk-…abcd`: a scheme kept, the secret reduced to its `sk-` prefix and last four
    /// characters (none when it is short). Idempotent. Byte-level: it runs on every request.
    public static func mask(_ value: String) -> String {
        var value = value
        let masked = value.withUTF8 { bytes -> String? in
            let space = bytes.firstIndex(of: 0x20)
            let scheme = UnsafeBufferPointer(rebasing: bytes[..<(space.map { $0 + 1 } ?? 0)])
            let secret = UnsafeBufferPointer(rebasing: bytes[scheme.count...])
            let prefix = secret.starts(with: "sk-".utf8) ? 3 : 0
            // Already masked: exactly `[sk-]…` and at most four characters (this function's own
            // output). Anything else holding a "…" is a secret like any other.
            let afterPrefix = secret.dropFirst(prefix)
            if afterPrefix.starts(with: [0xE2, 0x80, 0xA6]), afterPrefix.count <= 3 + 4 { return nil }
            let tail = secret.count > 12 ? 4 : 0
            // One allocation, the string itself: scheme, `sk-`, "…", the last four.
            return String(unsafeUninitializedCapacity: scheme.count + prefix + 3 + tail) { out in
                var o = 0
                func put(_ b: UInt8) {
                    out[o] = b
                    o += 1
                }
                scheme.forEach(put)
                secret.prefix(prefix).forEach(put)
                put(0xE2)
                put(0x80)
                put(0xA6)
                secret.suffix(tail).forEach(put)
                return o
            }
        }
        return masked ?? value
    }

    /// `text` with every token-shaped string masked (`sk-…abcd`); the same string when clean.
    public static func maskTokens(in text: String) -> String {
        let bytes = Array(text.utf8)
        let ranges = tokenRanges(in: bytes)
        guard !ranges.isEmpty else { return text }
        var out: [UInt8] = []
        var last = 0
        for r in ranges {
            out += bytes[last..<r.lowerBound]
            out += mask(String(decoding: bytes[r], as: UTF8.self)).utf8
            last = r.upperBound
        }
        out += bytes[last...]
        return String(decoding: out, as: UTF8.self)
    }

    /// `sk-` / `mt-` followed by `minimumTokenCharacters` or more key characters, not inside a longer word.
    public static func tokenRanges(in b: [UInt8]) -> [Range<Int>] {
        let isKey = isKeyCharacter
        var ranges: [Range<Int>] = []
        var i = 0
        while i + 3 <= b.count {
            if b[i + 2] == 45, (b[i] == 115 && b[i + 1] == 107) || (b[i] == 109 && b[i + 1] == 116), i == 0 || !isKey(b[i - 1]) {
                var end = i + 3
                while end < b.count, isKey(b[end]) { end += 1 }
                if end - i >= 3 + minimumTokenCharacters {
                    ranges.append(i..<end)
                    i = end
                    continue
                }
            }
            i += 1
        }
        return ranges
    }
}
