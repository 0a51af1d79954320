import FakelabAPI
import Hummingbird

/// The only thing that renders TokenLab's error envelope on the wire.
public struct APIError: HTTPResponseError, Sendable {
    public var body: ErrorBody
    public var headers: HTTPFields

    public init(_ body: ErrorBody, headers: HTTPFields = [:]) {
        self.body = body
        self.headers = headers
    }

    public init(
        status: Int,
        type: String = ErrorType.invalidRequest,
        code: String?,
        param: String? = nil,
        message: String,
        extra: [String: JSONValue] = [:]
    ) {
        self.init(ErrorBody(status: status, type: type, message: message, code: code, param: param, extra: extra))
    }

    public init(_ failure: ValidationFailure) { self.init(ErrorBody(violations: failure.violations)) }

    public var status: HTTPResponse.Status { .init(code: body.status) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body.json.serialized())))
    }
}

extension APIError {
    static let invalidAPIKey = APIError(
        status: 401,
        type: ErrorType.invalidAPIKey,
        code: ErrorCode.invalidAPIKey,
        message: "Invalid API key provided"
    )

    static func payloadTooLarge(limit: Int, param: String? = nil, what: String = "request body") -> APIError {
        APIError(
            status: 413,
            code: ErrorCode.payloadTooLarge,
            param: param,
            message: "The \(what) is larger than \(limit / (1 << 20)) MiB"
        )
    }

    static func notFound(_ path: String) -> APIError {
        APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.notFound, message: "No route for \(path)")
    }

    static func badRequest(code: String?, param: String? = nil, _ message: String) -> APIError {
        APIError(status: 400, code: code, param: param, message: message)
    }
}
