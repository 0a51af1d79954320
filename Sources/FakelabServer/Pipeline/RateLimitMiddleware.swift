import FakelabHTTP
import Hummingbird

/// TokenLab's per-key rate limit: 429 with `Retry-After` past the window's budget, and the
/// `X-RateLimit-*` headers on every answer it let through. The decision was taken at admission.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerServices

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let rate = context.admission?.rate else { return try await next(request, context) }
        guard rate.allowed else { try await refuse(request, context, rate) }
        return Self.stamp(try await next(request, context), rate)
    }

    /// The 429, after the body is read for the journal. Its own (never inlined) async function,
    /// so its locals are not in the frame every request carries.
    @inline(never)
    nonisolated(nonsending) private func refuse(_ request: Request, _ context: Context, _ rate: Tenants.RateDecision) async throws -> Never {
        await BodyCapture.capture(request, context, state: state)
        throw FaultResponses.rateLimited(retryAfter: Double(rate.retryAfter), limit: rate.limit, reset: rate.reset)
    }

    @inline(never)
    private static func stamp(_ response: Response, _ rate: Tenants.RateDecision) -> Response {
        var response = response
        if response.headers.value(.xRateLimitLimit) == nil {
            response.headers[.xRateLimitLimit] = String(rate.limit)
            response.headers[.xRateLimitRemaining] = String(rate.remaining)
            response.headers[.xRateLimitReset] = String(rate.reset)
        }
        return response
    }
}
