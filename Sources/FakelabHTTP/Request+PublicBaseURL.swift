import Hummingbird

extension Request {
    /// The base of links an answer hands out (result images, rewritten media links): the
    /// configured `--public-base-url` when there is one, else `http://` + the Host the client
    /// called (`fallbackHost`, the bound host:port, when the request names none).
    public func publicBaseURL(configured: String?, fallbackHost: @autoclosure () -> String) -> String {
        if let configured { return configured }
        return "http://" + (head.authority ?? fallbackHost())
    }
}
