import FakelabAPI
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Outermost middleware: assigns the request id, turns every error into TokenLab's envelope
/// (unknown routes, oversize bodies and unexpected failures included) and stamps `X-Request-ID`.
struct EnvelopeMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let ids: IDGenerator

    func handle(_ request: Request, context: FakelabContext, next: (Request, FakelabContext) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = ids.requestID()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            response = try Self.translate(error, request: request).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            response = try APIError.payloadTooLarge(limit: Limits.default.maxBodyBytes).response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["fakelab.error": "\(error)", "fakelab.request_id": "\(context.requestID)"])
            response = try APIError(status: 500, type: ErrorType.server, code: nil, message: "An internal error occurred")
                .response(from: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        return response
    }

    static func translate(_ error: HTTPError, request: Request) -> APIError {
        switch error.status.code {
        case 404: .notFound(request.uri.path)
        case 405: APIError(status: 405, type: ErrorType.invalidRequest, code: "method_not_allowed", message: "\(request.method) is not allowed on \(request.uri.path)")
        case 413: .payloadTooLarge(limit: Limits.default.maxBodyBytes)
        case 400..<500: APIError(status: Int(error.status.code), code: nil, message: error.body ?? error.status.reasonPhrase)
        default: APIError(status: 500, type: ErrorType.server, code: nil, message: "An internal error occurred")
        }
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-ID")!
    static let xTaskID = Self("X-Task-ID")!
    static let xBillingTransactionID = Self("X-Billing-Transaction-ID")!
    static let retryAfter = Self("Retry-After")!
}
