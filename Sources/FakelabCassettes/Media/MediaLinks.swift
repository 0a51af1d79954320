import FakelabAPI

/// Links in recorded JSON responses. Before storage, signed-URL parameters are stripped from every
/// link; at serve time — record and replay alike — result-image links become recorder URLs
/// (`/__fakelab/media/…`, captured at record time) and absolute links back to the upstream API
/// keep their path on the recorder's origin. So a client sees the same bytes in both modes,
/// apart from the recorder's host and port.
public struct MediaLinks: Sendable {
    public static let pathPrefix = "/__fakelab/media/"

    /// `scheme://host[:port]` of the upstream API, lowercased; nil in replay without an upstream.
    public var upstreamOrigin: String?
    public var redactor: Redactor

    public init(upstreamOrigin: String?, redactor: Redactor = Redactor()) {
        self.upstreamOrigin = upstreamOrigin.map { Self.origin(of: $0) ?? $0.lowercased() }
        self.redactor = redactor
    }

    /// Result-image links to capture: absolute http(s) links under link-like keys that are not the
    /// upstream API itself.
    public func mediaLinks(in body: [UInt8]) -> [String] {
        guard let json = try? JSONValue.parse(body) else { return [] }
        var found: [String] = []
        Self.visitLinks(json) { link in
            if isMedia(link), !found.contains(link) { found.append(link) }
            return nil
        }
        return found
    }

    /// The body with signed-URL parameters removed from every link (unchanged bytes when none).
    public func sanitized(_ body: [UInt8]) -> [UInt8] {
        rewritingLinks(body) { link in
            let out = sanitized(link: link)
            return out == link ? nil : out
        }
    }

    /// One link without its signed-URL parameters (what is stored and what names its capture).
    public func sanitized(link: String) -> String {
        let (base, query) = Self.split(link)
        guard let query else { return link }
        return redactor.redact(query: query).map { base + "?" + $0 } ?? base
    }

    /// The body as the recorder serves it: media links and upstream API links point at `recorderBase`.
    public func served(_ body: [UInt8], recorderBase: String) -> [UInt8] {
        rewritingLinks(body) { link in
            if isMedia(link) { return recorderBase + Self.mediaPath(for: link) }
            guard let origin = Self.origin(of: link), origin == upstreamOrigin else { return nil }
            return recorderBase + link.dropFirst(origin.count)
        }
    }

    /// Where the recorder serves a captured link: a stable name from the link's hash, with its extension.
    public static func mediaPath(for link: String) -> String {
        let path = split(link).0
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
        let known = ["png", "jpg", "jpeg", "webp", "gif"].contains(ext) ? "." + ext : ""
        return pathPrefix + String(SHA256.hex(Array(link.utf8)).prefix(32)) + known
    }

    func isMedia(_ link: String) -> Bool {
        guard let origin = Self.origin(of: link) else { return false }
        if origin == upstreamOrigin {
            let path = link.dropFirst(origin.count)
            return !(path.hasPrefix("/v1/") || path == "/v1")
        }
        return true
    }

    /// `scheme://authority` lowercased, for absolute http(s) links only.
    package static func origin(of link: String) -> String? {
        let lower = link.lowercased()
        guard let schemeEnd = lower.range(of: "://"), lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        let rest = lower[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        return String(lower[..<schemeEnd.upperBound]) + authority
    }

    package static func split(_ link: String) -> (String, String?) {
        guard let q = link.firstIndex(of: "?") else { return (link, nil) }
        return (String(link[..<q]), String(link[link.index(after: q)...]))
    }

    static func isLinkKey(_ key: String) -> Bool {
        key == "url" || key == "urls" || key.hasSuffix("_url") || key.hasSuffix("_urls")
    }

    /// Applies `transform` to every link; re-serializes only when something changed.
    func rewritingLinks(_ body: [UInt8], _ transform: (String) -> String?) -> [UInt8] {
        guard body.first == UInt8(ascii: "{") || body.first == UInt8(ascii: "["), let json = try? JSONValue.parse(body) else { return body }
        var changed = false
        let out = Self.visitLinks(json) { link in
            let new = transform(link)
            if new != nil { changed = true }
            return new
        }
        return changed ? out.serialized() : body
    }

    /// Walks the JSON; `visit` may return a replacement for each link (string under a link-like key).
    @discardableResult
    static func visitLinks(_ value: JSONValue, underLinkKey: Bool = false, _ visit: (String) -> String?) -> JSONValue {
        switch value {
        case .string(let s) where underLinkKey:
            return visit(s).map(JSONValue.string) ?? value
        case .array(let items):
            return .array(items.map { visitLinks($0, underLinkKey: underLinkKey, visit) })
        case .object(let object):
            var out = object
            for (k, v) in object { out[k] = visitLinks(v, underLinkKey: isLinkKey(k), visit) }
            return .object(out)
        default:
            return value
        }
    }
}
