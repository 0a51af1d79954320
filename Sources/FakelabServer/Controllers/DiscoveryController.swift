import FakelabAPI
import FakelabHTTP
import Hummingbird

/// The root discovery files, no key needed: `/models.json` (ASSUMED: the `GET /v1/models` data,
/// with the same query parameters) and `/llms.txt` (plain text for agents: the fake's routes and
/// models, as TokenLab's MCP `get_api_overview` reads it).
struct DiscoveryController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        router.get("/models.json") { request, _ in try ModelsController(state: state).list(request) }
        router.get("/llms.txt") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: llmsText)))
        }
    }

    static let routes: [(String, String)] = [
        ("POST /v1/images/generations", "text-to-image and image-to-image (JSON or multipart)"),
        ("POST /v1/images/edits", "edits (multipart image/image[]/mask, or JSON image_url/image_urls/images[])"),
        ("POST /v1/images/variations", "variations (multipart)"),
        ("GET /v1/tasks/{id}, /v1/images/{id}, /v1/images/generations/{id}", "task status; follow poll_url verbatim"),
        ("DELETE /v1/tasks/{id}", "cancel a task"),
        ("GET /v1/models, /v1/models/{model}", "model list (view=full|compact) and contract; no key"),
        ("GET /v1/pricing, /v1/models/{model}/pricing", "prices (decimal strings, USD); no key"),
        ("POST /v1/files, GET /v1/files, GET|DELETE /v1/files/{file_id}, GET /v1/files/{file_id}/content", "image files for file_id in edits"),
        ("GET /models.json, /pricing.json, /llms.txt", "discovery files; no key"),
    ]

    var llmsText: String {
        var lines = [
            "# Fakelab: a fake of the TokenLab image API",
            "",
            "> Every request needs `Authorization: Bearer sk-…` except the model, pricing and discovery routes.",
            "> Errors use TokenLab's envelope {\"error\":{\"message\",\"type\",\"code\",\"param\"}}. A response with task_id/poll_url is a task: poll it.",
            "",
            "## Routes",
            "",
        ]
        lines += Self.routes.map { "- \($0.0): \($0.1)" }
        lines += ["", "## Image models", ""]
        for model in state.catalog.models {
            let ops = model.operations.map { "\($0.operation.rawValue) on \($0.endpoint.rawValue)" }.joined(separator: ", ")
            lines.append("- \(model.id) (\(model.ownedBy), \(model.statusMode.rawValue)): \(ops)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
