import AsyncHTTPClient
import NIOCore
import ServiceLifecycle

/// Fakelab's one HTTP client policy: a client belongs to whoever owns the work it does, and that
/// owner shuts it down — the recorder's lives as long as the recorder (`HTTPClientService`), a
/// one-off job (a drift check, a reference fetch) makes one with `HTTPClient.withHTTPClient` for
/// its duration. No process-wide pool outlives the server it talked to, and none is shared
/// between a proxy that must pass redirects on and a fetch that must check every hop.
extension HTTPClient.Configuration {
    /// Redirects reach the caller (a proxy passes them on; `RedirectingFetch` follows them hop by
    /// hop), no proxy, bodies as sent (no decompression).
    public static func fakelab(connect: TimeAmount, read: TimeAmount? = nil) -> HTTPClient.Configuration {
        .init(redirectConfiguration: .disallow, timeout: .init(connect: connect, read: read), proxy: nil)
    }
}

/// Shuts a client down when its application stops. Listed first among an application's
/// services, it is shut down last: after the server, whose in-flight requests may still use it.
public struct HTTPClientService: Service {
    public let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func run() async throws {
        try? await gracefulShutdown()  // returns on graceful shutdown, throws when cancelled: shut down either way
        try? await client.shutdown()
    }
}
