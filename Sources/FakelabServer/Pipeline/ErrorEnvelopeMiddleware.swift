import FakelabAPI
import FakelabHTTP
import Hummingbird
import NIOCore

/// Every error becomes TokenLab's envelope (unknown routes, oversize bodies and the
/// framework's own errors included). A cancelled request (the client went away) passes through.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerServices

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try answer(error, request, context)
        }
    }

    /// The envelope for `error`. Kept out of `handle` (never inlined): an async function's frame
    /// holds every local of every path, and this one's would be carried by every request on
    /// every connection (see docs/performance.md, "async frames").
    @inline(never)
    func answer(_ error: any Error, _ request: Request, _ context: Context) throws -> Response {
        switch error {
        case let error as APIError:
            return Self.answer(error, context)
        case let error as HTTPError:
            return Self.answer(Self.translate(error, request: request, limits: state.configuration.limits), context)
        case is NIOTooManyBytesError:
            return Self.answer(APIError.payloadTooLarge(limit: state.configuration.limits.maxBodyBytes), context)
        case is CancellationError:
            throw CancellationError()
        default:
            context.logger.error(
                "unhandled error",
                metadata: ["fakelab.error": "\(String(reflecting: type(of: error)))", "fakelab.request_id": "\(context.requestID)"]
            )
            return try APIError.unexpected.response(from: request, context: context)
        }
    }

    /// The error's answer, noted for the journal: its body is serialized once for both.
    static func answer(_ error: APIError, _ context: Context) -> Response {
        let (response, bytes) = error.answer(requestID: context.requestID)
        note(error, context, body: bytes)
        return response
    }

    /// What the journal keeps of an error answer (`answer`: its body as sent).
    static func note(_ error: APIError, _ context: Context, body answer: [UInt8]) {
        let body = error.body
        context.notes.update {
            $0.error = JournalEntry.ErrorInfo(
                type: body.type,
                code: body.code,
                param: body.param,
                message: body.message,
                retryable: body.extra["retryable"]?.boolValue
            )
            $0.errorRetryAfter = body.extra["retry_after"]?.doubleValue
            $0.response = JournalResponse.keep(bytes: answer)
        }
    }

    static func translate(_ error: HTTPError, request: Request, limits: Limits) -> APIError {
        switch error.status.code {
        case 404: .notFound(request.uri.path)
        case 405: .methodNotAllowed(request.method.rawValue, path: request.uri.path)
        case 413: .payloadTooLarge(limit: limits.maxBodyBytes)
        case 400..<500: .clientError(status: Int(error.status.code), error.body ?? error.status.reasonPhrase)
        default: .unexpected
        }
    }
}
