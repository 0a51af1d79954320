import FakelabAPI
import FakelabHTTP
import Hummingbird
import NIOCore

/// Every error becomes TokenLab's envelope (unknown routes, oversize bodies and the
/// framework's own errors included). A cancelled request (the client went away) passes through.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try Self.translate(error, request: request, limits: state.configuration.limits).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError.payloadTooLarge(limit: state.configuration.limits.maxBodyBytes).response(from: request, context: context)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error(
                "unhandled error",
                metadata: ["fakelab.error": "\(String(reflecting: type(of: error)))", "fakelab.request_id": "\(context.requestID)"]
            )
            return try APIError.unexpected.response(from: request, context: context)
        }
    }

    static func translate(_ error: HTTPError, request: Request, limits: Limits) -> APIError {
        switch error.status.code {
        case 404: .notFound(request.uri.path)
        case 405: .methodNotAllowed(request.method.rawValue, path: request.uri.path)
        case 413: .payloadTooLarge(limit: limits.maxBodyBytes)
        case 400..<500: APIError(status: Int(error.status.code), code: nil, message: error.body ?? error.status.reasonPhrase)
        default: .unexpected
        }
    }
}
