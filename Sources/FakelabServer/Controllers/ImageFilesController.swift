import FakelabAPI
import FakelabHTTP
import FakelabImaging
import Hummingbird

/// Serves result images at stable URLs: `GET /fakelab/images/{name}` (see `ResultImage`).
struct ImageFilesController {
    let state: ServerState

    func add(to router: some RouterMethods<FakelabContext>) {
        router.get("/fakelab/images/{name}") { request, context in try serve(context) }
        router.get("/fakelab/expired/{name}") { _, context in
            Response(
                status: .notFound,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "NoSuchKey: the link has expired"))
            )
        }
    }

    func serve(_ context: FakelabContext) throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let bytes: ByteBuffer
        if let spec = ResultImage.spec(fromName: name, maxPixels: 16384 * 16384) {
            bytes = try state.images.image(spec)
        } else if let stored = state.images.image(named: name) {
            bytes = stored
        } else {
            throw APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.notFound, message: "No image named '\(name)'")
        }
        var headers = HTTPFields()
        headers[.contentType] = ImageFormat.sniff(bytes.readableBytesView)?.mimeType ?? "application/octet-stream"
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }
}
