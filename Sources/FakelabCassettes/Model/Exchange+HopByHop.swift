extension Exchange.Header {
    /// Connection-level header names (lowercase): the hop-by-hop ones of RFC 9110 §7.6.1, plus
    /// `Content-Length` and `Host`, which each connection sets for itself. A recording never
    /// keeps them, a replay never sends them, and the recorder does not forward them upstream.
    public static let hopByHopNames: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer", "upgrade", "host",
        "proxy-connection",
    ]

    /// Whether `name` (any case) is connection-level: the one test every layer uses.
    public static func isHopByHop(_ name: String) -> Bool { hopByHopNames.contains(name.lowercased()) }

    public var isHopByHop: Bool { Self.isHopByHop(name) }
}

extension Sequence {
    /// The `(name, value)` pairs whose name is not connection-level.
    public func withoutHopByHop() -> [(String, String)] where Element == (String, String) {
        filter { !Exchange.Header.isHopByHop($0.0) }
    }
}
