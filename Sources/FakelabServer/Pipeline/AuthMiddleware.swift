import FakelabHTTP
import Hummingbird

/// The first gate of the API routes: a well-formed key (`Authorization: Bearer sk-…`) or 401,
/// before any fault, rate limit or body is looked at. The key names the tenant.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = FakelabContext

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let key = APIKey(authorization: request.headers.value(.authorization)) else { throw APIError.invalidAPIKey }
        context.apiKey = key
        return try await next(request, context)
    }
}
