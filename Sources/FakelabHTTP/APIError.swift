import FakelabAPI
import Hummingbird

/// The only thing that renders TokenLab's error envelope on the wire.
public struct APIError: HTTPResponseError, Sendable {
    public var body: ErrorEnvelope
    public var headers: HTTPFields

    public init(_ body: ErrorEnvelope, headers: HTTPFields = [:]) {
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
        self.init(ErrorEnvelope(status: status, type: type, message: message, code: code, param: param, extra: extra))
    }

    public init(_ failure: ValidationFailure) { self.init(ErrorEnvelope(violations: failure.violations)) }

    public var status: HTTPResponse.Status { .init(code: body.status) }

    /// The envelope, with `error.request_id` equal to the answer's `X-Request-ID` when the
    /// context knows it (TokenLab puts the id in every error body).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        answer(requestID: (context as? any RequestIDContext)?.requestID).response
    }

    /// The answer, and the bytes of its body (serialized once: a journal keeps them too), with
    /// `error.request_id` set when `requestID` is given.
    public func answer(requestID: String?) -> (response: Response, body: [UInt8]) {
        var body = body
        if let requestID, !requestID.isEmpty { body.extra["request_id"] = .string(requestID) }
        let bytes = body.json.serialized()
        return (.json(bytes: bytes, status: status, headers: headers), bytes)
    }
}

extension APIError {
    public static let invalidAPIKey = APIError(
        status: 401,
        type: ErrorType.invalidAPIKey,
        code: ErrorCode.invalidAPIKey,
        message: "Invalid API key provided"
    )

    public static func payloadTooLarge(limit: Int, param: String? = nil, what: String = "request body") -> APIError {
        APIError(
            status: 413,
            code: ErrorCode.payloadTooLarge,
            param: param,
            message: "The \(what) is larger than \(limit / (1 << 20)) MiB"
        )
    }

    public static func notFound(_ path: String) -> APIError {
        APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.notFound, message: "No route for \(path)")
    }

    public static let unexpected = APIError(status: 500, type: ErrorType.server, code: nil, message: "An internal error occurred")

    public static func methodNotAllowed(_ method: String, path: String) -> APIError {
        APIError(status: 405, code: ErrorCode.methodNotAllowed, message: "\(method) is not allowed on \(path)")
    }

    public static func controlForbidden(_ message: String) -> APIError {
        APIError(status: 403, type: ErrorType.permission, code: ErrorCode.controlForbidden, message: message)
    }

    public static func badRequest(code: String?, param: String? = nil, _ message: String) -> APIError {
        APIError(status: 400, code: code, param: param, message: message)
    }
}

/// A request context that knows the request's id (`X-Request-ID`), so error bodies can carry it.
public protocol RequestIDContext: RequestContext {
    var requestID: String { get }
}
