import FakelabAPI
import FakelabHTTP
import Hummingbird

/// Reads an image create's body before a fault or the rate limiter answers for it, so the
/// journal keeps what the client sent (and its fingerprint) even when the controller never
/// runs, e.g. a create that hangs until the client gives up and is then sent again. The
/// controller reuses the decoded body (`FakelabContext.decodedBody`).
enum BodyCapture {
    static func capture(_ request: Request, _ context: inout FakelabContext, state: ServerState) async {
        guard context.decodedBody == nil, request.method == .post, let endpoint = Endpoint(rawValue: request.uri.path) else { return }
        do {
            let decoded = try await state.bodyDecoder.decode(request, endpoint: endpoint)
            context.decodedBody = .success(decoded)
            context.notes.update {
                $0.body = JournalBody(decoded, method: request.method.rawValue, path: request.uri.path)
                $0.model = decoded.request.fields["model"]?.stringValue
            }
        } catch {
            context.decodedBody = .failure(error)
        }
    }
}
