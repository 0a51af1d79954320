import FakelabAPI
import FakelabHTTP
import FakelabImaging
import Hummingbird

/// Serves result images at stable URLs: `GET /fakelab/images/{name}` (see `ResultImage`).
struct ResultImagesController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        router.get("/fakelab/images/{name}") { request, context in try serve(context) }
        router.get("/fakelab/expired/{keyid}") { _, _ in Self.expired }  // links made before keys were in them
        // Expired links carry the key id of the results they were, so a client that keeps
        // fetching one is journaled for that key (the verdict's `expired_url_refetched`).
        router.get("/fakelab/expired/{keyid}/{name}") { request, context in
            if let key = context.parameters.get("keyid").flatMap(state.tenants.key(id:)),
                request.uri.queryParameters.get("fakelab_ui") == nil
            {
                journalFetch(request, key: key, requestID: context.requestID)
            }
            return Self.expired
        }
    }

    static var expired: Response {
        Response(
            status: .notFound,
            headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: "NoSuchKey: the link has expired"))
        )
    }

    /// One journal entry for a fetch of an expired result link, already answered (404).
    private func journalFetch(_ request: Request, key: APIKey, requestID: String) {
        let record = JournalRecord(
            seq: 0,
            time: state.now,
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            requestID: requestID,
            requestHeaders: request.headers
        )
        let seq = state.tenants.admit(key, arrival: record, ruleFaults: false).seq
        state.tenants.complete(key, seq: seq) { $0.status = 404 }
    }

    func serve(_ context: FakelabContext) throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let bytes: ByteBuffer
        if let spec = ResultImage.spec(fromName: name, maxPixels: 16384 * 16384) {
            bytes = try state.images.image(spec)
        } else if let stored = state.images.image(named: name) {
            bytes = stored
        } else {
            throw APIError.imageNotFound(name)
        }
        var headers = HTTPFields()
        headers[.contentType] = ImageFormat.sniff(bytes.readableBytesView)?.mimeType ?? "application/octet-stream"
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }
}
