import FakelabAPI
import HTTPTypes
import Hummingbird
import NIOCore

/// The web inspector (`GET /__fakelab/ui`): one page, its script and the styles it shares with
/// the conformance report, compiled into the binary (no CDN, no build step, works offline).
/// The page holds no data: everything it shows comes from the control API, behind its gate.
public enum Inspector {
    /// The styles the inspector and the conformance HTML report share.
    public static var stylesheet: String { String(decoding: PackageResources.fakelab_css, as: UTF8.self) }

    public static let cookieName = "fakelab_control"

    /// Bytes of the embedded assets (reported by the benchmarks).
    public static var assetBytes: Int {
        PackageResources.inspector_html.count + PackageResources.inspector_js.count + PackageResources.fakelab_css.count
    }

    /// The page and its assets: path, bytes, content type (the one list both the server's routes
    /// and the recorder's lookup read).
    static let assets: [(path: String, bytes: [UInt8], type: String)] = [
        ("/__fakelab/ui", PackageResources.inspector_html, "text/html; charset=utf-8"),
        ("/__fakelab/ui/inspector.js", PackageResources.inspector_js, "text/javascript; charset=utf-8"),
        ("/__fakelab/ui/fakelab.css", PackageResources.fakelab_css, "text/css; charset=utf-8"),
    ]

    /// The page or one of its assets for `path`, or nil when `path` is none of them.
    public static func asset(path: String) -> Response? {
        assets.first { $0.path == path }.map { response($0.bytes, $0.type) }
    }

    static func response(_ bytes: [UInt8], _ type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data: http: https:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Adds `GET /__fakelab/ui`, its assets and `POST /__fakelab/ui/login`. `allowed` is the
    /// control gate's loopback rule for servers without a token; with a token the page is served
    /// to anyone (it holds no data) and the login sets the cookie the control API accepts.
    public static func addRoutes<Context: RequestContext>(
        to router: some RouterMethods<Context>,
        controlToken: String?,
        allowed: @escaping @Sendable (Request, Context) -> Bool
    ) {
        func asset(_ bytes: [UInt8], _ type: String) -> @Sendable (Request, Context) async throws -> Response {
            { request, context in
                guard controlToken != nil || allowed(request, context) else {
                    throw APIError.controlForbidden("The inspector answers loopback only; start fakelab with --control-token to allow others")
                }
                return response(bytes, type)
            }
        }
        for a in assets { router.get(RouterPath(a.path), use: asset(a.bytes, a.type)) }
        router.post("/__fakelab/ui/login") { request, context -> Response in
            guard let controlToken else { return .json(["login": "not needed: this server has no control token"]) }
            let body = try await request.body.collect(upTo: 4096)
            let sent = (try? JSONValue.parse(Array(body.readableBytesView)))?["token"]?.stringValue
            guard sent == controlToken else { throw APIError.controlForbidden("That is not this server's control token") }
            var headers = HTTPFields()
            headers[.setCookie] = "\(cookieName)=\(controlToken); HttpOnly; SameSite=Strict; Path=/__fakelab"
            return .json(["login": true], headers: headers)
        }
    }
}
