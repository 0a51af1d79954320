import FakelabAPI
import FakelabHTTP
import Hummingbird

/// Reads an image create's body before a fault or the rate limiter answers for it, so the
/// journal keeps what the client sent (and its fingerprint) even when the controller never
/// runs, e.g. a create that hangs until the client gives up and is then sent again. The
/// controller reuses the decoded body (`FakelabContext.decodedBody`).
enum BodyCapture {
    static func capture(_ request: Request, _ context: FakelabContext, state: ServerServices) async {
        guard context.decodedBody == nil, request.method == .post, let endpoint = Endpoint(rawValue: request.uriPath) else { return }
        do {
            let decoded = try await state.bodyDecoder.decode(request, endpoint: endpoint)
            context.decodedBody = .success(decoded)
            let body = JournalBody(decoded, method: request.method.rawValue, path: request.uriPath)
            let model = decoded.request.fields["model"]?.stringValue
            context.notes.update {
                $0.body = body
                $0.model = model
            }
            // The entry shows the body at once: a client may give up on a delayed or hung answer.
            if let key = context.apiKey, let seq = context.admission?.seq {
                state.tenants.complete(key, seq: seq) { $0.record(body: body, model: model) }
            }
        } catch {
            context.decodedBody = .failure(error)
        }
    }
}
