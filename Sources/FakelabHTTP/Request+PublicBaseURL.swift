import Hummingbird

extension Request {
    /// The base of links an answer hands out (result images, rewritten media links): the
    /// configured `--public-base-url` when there is one, else `http://` + the Host the client
    /// called (`fallbackHost`, the bound host:port, when the request names none).
    /// `path`, when given, is appended (one string made, not three).
    public func publicBaseURL(configured: String?, fallbackHost: @autoclosure () -> String, appending path: String = "") -> String {
        if let configured { return configured + path }
        let host = head.authority ?? fallbackHost()
        var url = "http://"
        url.reserveCapacity(7 + host.utf8.count + path.utf8.count)
        url += host
        url += path
        return url
    }
}

extension Request {
    /// `uri.path`, without making a new string when the request target is a bare path (the
    /// common case: Hummingbird's `uri.path` copies its bytes on every call).
    public var uriPath: String {
        let target = uri.string
        let bytes = target.utf8
        if bytes.first == UInt8(ascii: "/"), bytes.dropFirst().first != UInt8(ascii: "/"),
            !bytes.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
        {
            return target
        }
        return uri.path
    }
}
