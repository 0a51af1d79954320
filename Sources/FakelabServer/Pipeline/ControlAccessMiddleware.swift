import FakelabAPI
import FakelabHTTP
import Hummingbird
import NIOCore

/// The gate of `/__fakelab/`: loopback callers only, unless the server has a control token (then
/// `X-Fakelab-Control-Token` or the inspector's cookie must carry it). The caller's key, when
/// it sends one, gives the control call its tenant and its clock.
struct ControlAccessMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try ControlAccess.check(request, remote: context.channel?.remoteAddress, token: state.configuration.controlToken)
        if let key = APIKey(authorization: request.headers.value(.authorization))
            ?? request.uri.queryParameters.get("key_id").flatMap({ request.method == .get ? state.tenants.key(id: $0) : nil })
        {
            context.apiKey = key
            context.now = state.now + state.tenants.with(key) { $0.clockOffset }
        } else {
            context.now = state.now
        }
        return try await next(request, context)
    }
}

/// Who may call the control API (shared by the server and the recorder's inspector routes).
enum ControlAccess {
    static let cookieName = Inspector.cookieName

    static func check(_ request: Request, remote: SocketAddress?, token: String?) throws(APIError) {
        if let token {
            guard request.headers.value(.xFakelabControlToken) == token || cookie(request) == token else {
                throw .controlForbidden("The control API needs X-Fakelab-Control-Token")
            }
        } else if let remote, !isLoopback(remote) {
            throw .controlForbidden("The control API answers loopback only; start fakelab with --control-token to allow others")
        }
    }

    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingWhitespace() == cookieName { return String(kv[1]) }
            }
        }
        return nil
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: address.ipAddress?.hasPrefix("127.") == true
        case .v6: address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: true
        }
    }
}
