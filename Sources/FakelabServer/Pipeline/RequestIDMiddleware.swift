import FakelabHTTP
import HTTPTypes
import Hummingbird

/// Gives every request its id (`req_` + a ULID) and every answer its `X-Request-ID`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let ids: IDGenerator
    let clock: any WallClock

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.requestID = ids.requestID(now: clock.now())  // shared by every copy: no copy here
        var response = try await next(request, context)
        // Appended when absent (the usual case): the subscript's set rebuilds the fields.
        if response.headers.contains(.xRequestID) {
            response.headers[.xRequestID] = context.requestID
        } else {
            response.headers.append(HTTPField(name: .xRequestID, value: context.requestID))
        }
        return response
    }
}
