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

    /// The envelope from its parts: for the named factories (here and `FaultResponses`), not for
    /// call sites, which name the answer they give.
    package init(
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

/// The answers of the task, file, image and model routes.
extension APIError {
    public static let taskNotFound = APIError(status: 404, code: ErrorCode.asyncTaskNotFound, message: "Task not found or no longer available.")

    public static let taskNotOwned = APIError(
        status: 403,
        type: ErrorType.permission,
        code: ErrorCode.taskNotOwned,
        message: "This task belongs to another API key."
    )

    /// `DELETE /v1/tasks/{id}` on a pending image task (TokenLab does not cancel those).
    public static let unsupportedTaskCancel = APIError(
        status: 400,
        code: ErrorCode.unsupportedTaskCancel,
        param: "id",
        message: "Image tasks cannot be cancelled"
    )

    /// `DELETE /v1/tasks/{id}` on a task that has moved past pending.
    public static func taskNotCancellable(status: String) -> APIError {
        APIError(status: 409, code: ErrorCode.taskNotCancellable, param: "id", message: "Task is \(status) and can no longer be cancelled")
    }

    public static func invalidTaskID(_ id: String) -> APIError {
        APIError(status: 400, code: ErrorCode.invalidTaskID, param: "id", message: "'\(id)' is not a task id (ldtask_ followed by 32 hex digits)")
    }

    /// The 404 of the model routes; `extra` carries `did_you_mean` when there is a close id.
    public static func modelNotFound(_ id: String, extra: [String: JSONValue] = [:]) -> APIError {
        APIError(status: 404, code: ErrorCode.modelNotFound, message: "Model '\(id)' not found", extra: extra)
    }

    public static func fileNotFound(_ id: String) -> APIError {
        APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.fileNotFound, param: "file_id", message: "No such file: '\(id)'")
    }

    public static func imageNotFound(_ name: String) -> APIError {
        APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.notFound, message: "No image named '\(name)'")
    }

    /// A 4xx the framework raised (a route's own `HTTPError`), in the envelope.
    public static func clientError(status: Int, _ message: String) -> APIError {
        APIError(status: status, code: nil, message: message)
    }

    public static let uploadNotBuffered = APIError(status: 500, type: ErrorType.server, code: nil, message: "The upload could not be buffered")
}

/// The answers of the network faults once the connection has been shaped.
extension APIError {
    public static let hung = APIError(status: 504, type: ErrorType.timeout, code: ErrorCode.timeout, message: "The request hung")

    public static func connectionClosed(byFault fault: String) -> APIError {
        APIError(status: 502, type: ErrorType.upstream, code: ErrorCode.connectionClosed, message: "Connection closed by fault \(fault)")
    }
}

/// The recorder's and the replay server's own answers.
extension APIError {
    /// No recorded answer: `extra` carries the near misses or the recorded count.
    public static func cassetteMiss(_ message: String, extra: [String: JSONValue]) -> APIError {
        APIError(status: 404, type: ErrorType.notFound, code: ErrorCode.cassetteMiss, message: message, extra: extra)
    }

    public static let upstreamTooLarge = APIError(
        status: 502,
        type: ErrorType.upstream,
        code: ErrorCode.upstreamTooLarge,
        message: "The upstream answer was too large to record"
    )

    public static func upstreamUnreachable(_ upstream: String, error: any Error) -> APIError {
        APIError(
            status: 502,
            type: ErrorType.upstream,
            code: ErrorCode.upstreamUnreachable,
            message: "The recorder could not reach \(upstream): \(error)"
        )
    }
}

/// A request context that knows the request's id (`X-Request-ID`), so error bodies can carry it.
public protocol RequestIDContext: RequestContext {
    var requestID: String { get }
}
