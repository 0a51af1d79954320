import Hummingbird

// The two stacks of `RequestPipeline`, each one concrete type whose `handle` calls its layers
// in order. Hummingbird's result builder makes the same chain out of its generic
// `_Middleware2`, but the router calls that through a witness table, so the chain ran
// unspecialized: a runtime metadata lookup and a value-witness copy of the context at every
// layer (docs/performance.md). Here every call is to a known type, and the compiler sees
// through all of them.

/// Every route: what a request left unread is drained, it gets its id, and any error becomes
/// TokenLab's envelope.
struct EveryRouteMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let bodyDrain: BodyDrainMiddleware
    let requestID: RequestIDMiddleware
    let envelope: ErrorEnvelopeMiddleware

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await bodyDrain.handle(request, context: context) { request, context in
            try await requestID.handle(request, context: context) { request, context in
                try await envelope.handle(request, context: context, next: next)
            }
        }
    }
}

/// The API routes (images, tasks, files): key, journal, envelope (so the journal sees every
/// answer's status), rate limit, faults.
struct APIRouteMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let auth: AuthMiddleware
    let journal: JournalMiddleware
    let envelope: ErrorEnvelopeMiddleware
    let rateLimit: RateLimitMiddleware
    let faults: FaultMiddleware

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await auth.handle(request, context: context) { request, context in
            try await journal.handle(request, context: context) { request, context in
                try await envelope.handle(request, context: context) { request, context in
                    try await rateLimit.handle(request, context: context) { request, context in
                        try await faults.handle(request, context: context, next: next)
                    }
                }
            }
        }
    }
}
