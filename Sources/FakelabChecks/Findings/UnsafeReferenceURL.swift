import FakelabAPI

/// `unsafe_reference_url` (MUST): an image create whose reference fields carry a URL that
/// TokenLab refuses (`ReferenceURLPolicy`): private, link-local, reserved or loopback hosts,
/// embedded credentials, a fragment, or a scheme other than http(s). Loopback passes when the
/// fake allows loopback fetching. Credentials never appear in the message.
public struct UnsafeReferenceURL: FindingRule {
    public init() {}
    public let name = "unsafe_reference_url"
    public let level = Finding.Level.must
    public let advice =
        "Send only public http(s) reference URLs without credentials or fragments, or upload the image (multipart or file_id) instead."
    /// Body fields that carry reference images, at any depth below them.
    public static let fields: Set<String> = [
        "image", "image_url", "image_urls", "images", "mask", "mask_url", "reference_image_urls", "reference_images", "input_image",
    ]

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        traffic.entries.filter(RoutePattern.create.matches).compactMap { e in
            var problems: [String] = []
            for key in e.values.keys.sorted() where Self.fields.contains(key) {
                for url in Self.urls(in: e.values[key]!) {
                    guard let problem = ReferenceURLPolicy.problem(with: url, allowLoopback: traffic.allowLoopbackReferences) else { continue }
                    problems.append("\(key) \(Self.masked(url)): \(problem)")
                }
            }
            guard !problems.isEmpty else { return nil }
            return Occurrence("\(e.label) sent an unsafe reference URL: " + problems.joined(separator: "; "), requests: [e.seq])
        }
    }

    /// URL-like strings (`scheme://…`) anywhere in `value`; shortened journal strings are skipped.
    static func urls(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s): s.contains("://") && !(s.contains("…") && s.hasSuffix(" bytes)")) ? [s] : []
        case .array(let a): a.flatMap(urls)
        case .object(let o): o.keys.sorted().flatMap { urls(in: o[$0]!) }
        default: []
        }
    }

    /// The URL with any `user:password@` replaced by `…@`.
    static func masked(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "…" + String(rest[at...])
    }
}
