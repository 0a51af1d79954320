import FakelabAPI
import FakelabHTTP
import Hummingbird

/// `POST /v1/files` (purpose `user_data` or `vision`, an image, optional `model`) and
/// `GET /v1/files`: what `file_id` in edits refers to. Files belong to the key that uploaded them.
struct FilesController {
    let state: ServerState

    static let purposes = ["user_data", "vision"]

    func add(to router: some RouterMethods<FakelabContext>) {
        router.post("/v1/files") { request, context in try await upload(request, context) }
        router.get("/v1/files") { request, context in try list(request, context) }
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
        guard problems.isEmpty, let file, let purpose else { throw APIError(ErrorBody(violations: problems)) }
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
        var files = state.files.list(for: key, purpose: query.get("purpose"))
        // The published operation documents only 200 and 401, so an odd `limit` is clamped, not refused.
        if let n = query.get("limit").flatMap(Int.init) { files = Array(files.prefix(max(1, min(n, 10_000)))) }
        return .json([
            "object": "list", "data": .array(files.map(\.json)),
            "first_id": files.first.map { .string($0.id) } ?? .null, "last_id": files.last.map { .string($0.id) } ?? .null,
            "has_more": false,
        ])
    }
}
