import FakelabAPI
import FakelabHTTP
import Hummingbird

/// The request path, in the order a request meets it. Every concern is one middleware:
///
/// ```
/// every route     BodyDrain → RequestID → ErrorEnvelope
/// /__fakelab/*      → ControlAccess (loopback or control token; the key, its clock)
/// /v1/images*, /v1/tasks*, /v1/files*
///                   → Auth (401 before anything else) → Journal (entry opened on arrival;
///                     one tenant lock: seq, rate window, staged rule fault, clock offset)
///                   → ErrorEnvelope (so the journal sees every answer's status)
///                   → RateLimit (429) → Faults (the request's FaultPlan) → controller
/// ```
///
/// The middlewares' `handle` and the handlers' own async functions are
/// `nonisolated(nonsending)`: they run on their caller's executor, so entering and leaving
/// one is not an executor check (`Benchmarks/counts`: 79 → 71 task switches per generation).
///
/// Models, pricing and discovery need no key and are not journaled; result images are
/// journaled for the key whose results they are only when that is known (expired URLs).
enum RequestPipeline {
    static func router(_ state: ServerServices) -> Router<FakelabContext> {
        let router = Router(context: FakelabContext.self)
        // Each stack is one concrete middleware (`MiddlewareStacks.swift`): the layers call each
        // other directly, where middlewares added one by one each cost the framework a responder
        // and its executor checks (docs/performance.md).
        router.add(
            middleware: EveryRouteMiddleware(
                bodyDrain: BodyDrainMiddleware(limit: state.configuration.limits.maxBodyBytes),
                requestID: RequestIDMiddleware(ids: state.ids, clock: state.configuration.clock),
                envelope: ErrorEnvelopeMiddleware(state: state)
            )
        )
        let health = ByteBuffer(bytes: JSONValue.object(["status": "ok"]).serialized())
        router.get("/health") { _, _ in Response.json(buffer: health) }
        // The API routes next: the router tries a path's constant components in the order
        // their routes were added, and these take the load.
        let api = router.group().add(
            middleware: APIRouteMiddleware(
                auth: AuthMiddleware(),
                journal: JournalMiddleware(state: state),
                envelope: ErrorEnvelopeMiddleware(state: state),
                rateLimit: RateLimitMiddleware(state: state),
                faults: FaultMiddleware(state: state)
            )
        )
        ImagesController(state: state).add(to: api)
        TasksController(state: state).add(to: api)
        FilesController(state: state).add(to: api)
        ModelsController(state: state).add(to: router)
        PricingController(state: state).add(to: router)
        DiscoveryController(state: state).add(to: router)
        ResultImagesController(state: state).add(to: router)

        Inspector.addRoutes(to: router, controlToken: state.configuration.controlToken) { _, context in
            context.channel?.remoteAddress.map(ControlAccess.isLoopback) ?? true
        }
        let control = router.group("/__fakelab").add(middleware: ControlAccessMiddleware(state: state))
        ControlController(state: state).add(to: control)

        return router
    }
}
