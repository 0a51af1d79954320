import FakelabAPI
import FakelabHTTP
import Hummingbird

/// `/v1/files`: image files (purpose `user_data` or `vision`, optional `model`) that `file_id` in
/// edits refers to. `POST` uploads, `GET` lists (purpose filter, `limit`, `after` paging),
/// `GET /{file_id}` and `/{file_id}/content` read, `DELETE /{file_id}` removes. Files belong to
/// the key that uploaded them: another key's file is 404, as TokenLab's docs say ("Missing or
/// inaccessible file IDs return a not-found error").
struct FilesController {
    let state: ServerServices

    static let purposes = ["user_data", "vision"]
    /// The `purpose` filter's enum in the published `GET /v1/files`.
    static let listPurposes = ["batch", "batch_output", "user_data", "vision"]
    /// ASSUMED: `limit` 1–1000, default 20, as the published OpenAPI declares it. TokenLab's Files
    /// docs say 1–10000, default 10000 for batch and image files and give 1–1000/20 for Anthropic
    /// mode (docs/tokenlab.md §6.2): the two contradict; the machine-readable one is followed.
    static let limitRange = 1...1000
    static let defaultLimit = 20
    /// Anthropic Files cursors and scope (`anthropic-beta: files-api-2025-04-14` mode, not faked):
    /// refused by name rather than ignored, as TokenLab does for `scope_id`.
    static let anthropicOnly = ["after_id", "before_id", "scope_id"]

    func add(to router: some RouterMethods<FakelabContext>) {
        router.post("/v1/files") { request, context in try await upload(request, context) }
        router.get("/v1/files") { request, context in try list(request, context) }
        router.get("/v1/files/{file_id}") { request, context in Response.json(try file(request, context).json) }
        router.delete("/v1/files/{file_id}") { request, context in try delete(request, context) }
        router.get("/v1/files/{file_id}/content") { request, context in try content(request, context) }
    }

    func upload(_ request: Request, _ context: FakelabContext) async throws -> Response {
        let key = try APIKey.require(request, context)
        let form = try await state.bodyDecoder.form(request)
        var problems: [Violation] = []
        let file = form.files["file"]?.first
        if file == nil {
            problems.append(Violation(code: ErrorCode.missingRequired, param: "file", message: "file: send the image as a multipart file part"))
        }
        if let file, ImageFormat.sniff(file.bytes) == nil {
            problems.append(Violation(code: ErrorCode.invalidImage, param: "file", message: "file: image files must be PNG, JPEG or WebP"))
        }
        let purpose = form.fields["purpose"]?.stringValue
        if purpose.map(Self.purposes.contains) != true {
            problems.append(
                Violation(
                    code: purpose == nil ? ErrorCode.missingRequired : ErrorCode.invalidValue,
                    param: "purpose",
                    message: "purpose: send user_data or vision (image files for edits)"
                )
            )
        }
        let model = form.fields["model"]?.stringValue ?? "gpt-image-2"
        if state.catalog.model(model)?.operation(.imageEdit) == nil {
            problems.append(Violation(code: ErrorCode.invalidValue, param: "model", message: "model: \(model) has no image-edit operation"))
        }
        for name in form.fieldNames.subtracting(["file", "purpose", "model"]).sorted() {
            problems.append(Violation(code: ErrorCode.unsupportedParameter, param: name, message: "\(name): not a field of file uploads"))
        }
        guard problems.isEmpty, let file, let purpose else { throw APIError(ErrorEnvelope(violations: problems)) }
        let stored = FileStore.File(
            id: state.ids.fileID(),
            owner: key,
            bytes: file.bytes,
            filename: file.filename ?? "upload",
            purpose: purpose,
            model: state.catalog.model(model)?.id ?? model,
            created: Int(context.now)
        )
        state.files.add(stored)
        return .json(stored.json)
    }

    func list(_ request: Request, _ context: FakelabContext) throws -> Response {
        let key = try APIKey.require(request, context)
        let query = request.uri.queryParameters
        for name in Self.anthropicOnly where query.get(name) != nil {
            throw APIError.badRequest(
                code: ErrorCode.unsupportedParameter,
                param: name,
                "\(name): Anthropic Files cursors and scopes are not supported on this route; page with after"
            )
        }
        let purpose = query.get("purpose")
        if let purpose, !Self.listPurposes.contains(purpose) {
            throw APIError.badRequest(
                code: ErrorCode.invalidValue,
                param: "purpose",
                "purpose: '\(purpose)' is not one of \(Self.listPurposes.joined(separator: ", "))"
            )
        }
        let limit = try Self.limit(query.get("limit"))
        var files = state.files.list(for: key, purpose: purpose)
        if let after = query.get("after") {
            guard let index = files.firstIndex(where: { $0.id == after }) else {
                throw APIError.badRequest(code: ErrorCode.invalidValue, param: "after", "after: '\(after)' is not a file of this listing")
            }
            files.removeFirst(index + 1)
        }
        let page = files.prefix(limit)
        return .json([
            "object": "list", "data": .array(page.map(\.json)),
            "first_id": page.first.map { .string($0.id) } ?? .null, "last_id": page.last.map { .string($0.id) } ?? .null,
            "has_more": .bool(files.count > page.count),
        ])
    }

    static func limit(_ text: String?) throws(APIError) -> Int {
        guard let text else { return defaultLimit }
        guard let n = Int(text), limitRange.contains(n) else {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "limit",
                "limit: '\(text)' is not an integer from \(limitRange.lowerBound) to \(limitRange.upperBound)"
            )
        }
        return n
    }

    /// The caller's file named by the path, or 404.
    func file(_ request: Request, _ context: FakelabContext) throws(APIError) -> FileStore.File {
        let key = try APIKey.require(request, context)
        let id = context.parameters.get("file_id") ?? ""
        guard case .found(let file) = state.files.file(id, for: key) else { throw APIError.fileNotFound(id) }
        return file
    }

    func delete(_ request: Request, _ context: FakelabContext) throws(APIError) -> Response {
        let key = try APIKey.require(request, context)
        let id = context.parameters.get("file_id") ?? ""
        guard state.files.delete(id, for: key) else { throw APIError.fileNotFound(id) }
        return .json(["id": .string(id), "object": "file", "deleted": true])
    }

    /// The stored bytes, with the Content-Type of what they really are (image files only).
    func content(_ request: Request, _ context: FakelabContext) throws(APIError) -> Response {
        let file = try file(request, context)
        var headers = HTTPFields()
        headers[.contentType] = ImageFormat.sniff(file.bytes)?.mimeType ?? "application/octet-stream"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
