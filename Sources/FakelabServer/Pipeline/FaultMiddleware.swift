import FakelabAPI
import FakelabHTTP
import Hummingbird

/// Applies the request's `FaultPlan`: the `X-Fakelab-Fault` header, else the rule fault the
/// key's admission fired. Error faults answer at once, network faults delay, hang or cut the
/// connection before the controller runs, body faults reshape its answer. Rules that match on
/// `model` need the validated request: the image engine fires those (`FaultPlan.forModel`).
struct FaultMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerServices

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let plan = try FaultPlan(header: request.headers.value(.xFakelabFault), ruleFault: context.admission?.fault)
        guard let fault = plan.fault else { return try await next(request, context) }
        return try await apply(plan, fault, request, context, next: next)
    }

    /// A request with a fault. Its own (never inlined) async function, so what a fault needs is
    /// not in the frame every request carries.
    @inline(never)
    nonisolated(nonsending) private func apply(
        _ plan: FaultPlan,
        _ fault: FaultSpec,
        _ request: Request,
        _ context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.faults = plan
        await BodyCapture.capture(request, context, state: state)
        context.notes.update { $0.fault = fault }
        try await plan.applyBefore(context: context, state: state, model: nil)
        let response = try await next(request, context)
        return try await NetworkFaults.shape(response, fault, channel: context.channel) ?? response
    }
}
