import FakelabHTTP
import Hummingbird

/// Gives every request its id (`req_` + a ULID) and every answer its `X-Request-ID`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let ids: IDGenerator
    let clock: any WallClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = ids.requestID(now: clock.now())
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.requestID
        return response
    }
}
