import FakelabAPI
import Foundation

/// Removes secrets before anything is written: credential headers, keys and signatures in query
/// strings, and token-shaped strings anywhere in text bodies. `audit` finds what is left.
public struct Redactor: Sendable {
    /// Header names dropped entirely (lowercase).
    public var headers: Set<String> = Secrets.credentialHeaders
    /// Query parameters removed (lowercase names; signed-URL parameters included).
    public var queryKeys: Set<String> = Secrets.credentialQueryKeys
    /// Extra secret patterns: literal substrings to replace (e.g. an organisation id).
    public var literals: [String] = []

    public static let placeholder = Secrets.placeholder

    public init() {}

    public func redact(headers fields: [(String, String)]) -> [(String, String)] {
        fields.filter { !headers.contains($0.0.lowercased()) && !Secrets.isCredentialHeader($0.0.lowercased()) }.map { ($0.0, redact(text: $0.1)) }
    }

    /// A query string with secret parameters removed, token-shaped values replaced, and the
    /// rest sorted (canonical).
    public func redact(query: String?) -> String? {
        guard let query, !query.isEmpty else { return nil }
        let kept = query.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            return !queryKeys.contains(name) && !Secrets.isCredentialQueryKey(name)
        }.map { redact(text: String($0)) }.sorted()
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// Token-shaped strings (`sk-…`, `mt-…`, literals) replaced in text.
    public func redact(text: String) -> String {
        String(decoding: redact(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// The same over raw bytes (any body: only the secret's own bytes change, so a binary
    /// body without one comes back identical).
    public func redact(bytes input: [UInt8]) -> [UInt8] {
        var bytes = input
        for literal in literals where !literal.isEmpty {
            bytes = Self.replacing(Array(literal.utf8), in: bytes)
        }
        let ranges = Self.tokenRanges(in: bytes)
        guard !ranges.isEmpty else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var last = 0
        for r in ranges {
            result += bytes[last..<r.lowerBound]
            result += Array(Self.placeholder.utf8)
            last = r.upperBound
        }
        result += bytes[last...]
        return result
    }

    static func replacing(_ needle: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= needle.count else { return bytes }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if i + needle.count <= bytes.count, bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                out += Array(placeholder.utf8)
                i += needle.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// Every token-shaped string still in `text` (empty when clean).
    public func audit(text: String) -> [String] { audit(bytes: Array(text.utf8)) }

    /// The same over raw bytes (bodies, binary or not).
    public func audit(bytes: [UInt8]) -> [String] {
        var found = Self.tokenRanges(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        for literal in literals where !literal.isEmpty {
            let l = Array(literal.utf8)
            if bytes.count >= l.count, (0...(bytes.count - l.count)).contains(where: { bytes[$0..<($0 + l.count)].elementsEqual(l) }) {
                found.append(literal)
            }
        }
        return found
    }

    /// Token-shaped strings, by the one policy (`Secrets.tokenRanges`).
    static func tokenRanges(in b: [UInt8]) -> [Range<Int>] { Secrets.tokenRanges(in: b) }
}
