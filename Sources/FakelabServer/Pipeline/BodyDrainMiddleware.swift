import Hummingbird

/// Reads what a `Connection: close` request left of its body after the answer (see `UnreadBody`).
struct BodyDrainMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let limit: Int

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard UnreadBody.applies(to: request) else { return try await next(request, context) }
        var request = request
        let unread = UnreadBody.wrap(&request)
        let response = try await next(request, context)
        await unread.drain(upTo: limit)
        return response
    }
}
