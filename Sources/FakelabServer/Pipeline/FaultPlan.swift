import FakelabAPI
import FakelabHTTP
import Hummingbird
import ServiceLifecycle

/// What the fault staged for one request does, decided once: the header's fault, else the rule
/// fault fired at admission, else (for image creates) a rule matching the validated model.
struct FaultPlan: Sendable {
    var fault: FaultSpec?

    static let none = FaultPlan(fault: nil)

    init(fault: FaultSpec?) { self.fault = fault }

    /// The header wins over the key's rules (a rule is then not fired at all).
    init(header: String?, ruleFault: FaultSpec?) throws(APIError) {
        guard let header else {
            self.init(fault: ruleFault)
            return
        }
        do { self.init(fault: try FaultSpec(parsing: header)) } catch {
            throw .badRequest(code: ErrorCode.invalidValue, param: "X-Fakelab-Fault", "X-Fakelab-Fault: \(error.description)")
        }
    }

    /// Result URLs are made to 404 (`expired_url`).
    var expiresURLs: Bool { fault?.name == .expiredURL }

    /// The reason a new task must fail with (`task_failed; reason=…`), if the plan says so.
    var taskFailure: TaskPolicy.Failure? {
        guard fault?.name == .taskFailed else { return nil }
        return fault?.parameters["reason"].flatMap(TaskPolicy.Failure.init(rawValue:)) ?? .upstream
    }

    /// A rule matching the validated model, when the request had no fault yet and the key has such rules.
    static func forModel(_ model: String, request: Request, context: FakelabContext, state: ServerServices) -> FaultPlan? {
        guard context.faults.fault == nil, context.admission?.modelRules == true, let key = context.apiKey,
            let fault = state.tenants.nextFault(key, path: request.uriPath, method: request.method.rawValue, model: model)
        else { return nil }
        context.notes.update { $0.fault = fault }
        return FaultPlan(fault: fault)
    }

    /// Faults that act before an answer exists: an error answer (thrown), a delay, a hang, a cut connection.
    nonisolated(nonsending) func applyBefore(context: FakelabContext, state: ServerServices, model: String?) async throws {
        guard let fault else { return }
        if let error = FaultResponses.error(fault, model: model, now: context.now) { throw error }
        switch fault.name {
        case .delay:
            // Seeded: `seed=` on the fault, else the server seed and the (seeded) request id.
            var hash = StableHash(seed: state.configuration.seed)
            hash.combine(context.requestID)
            var rng = SplitMix64(seed: fault.number("seed").map { UInt64($0) } ?? hash.value)
            try await Task.sleep(for: .milliseconds(NetworkFaults.delay(fault, rng: &rng)))
        case .hang:
            // Ends early when the server shuts down gracefully, so a hung request never holds a shutdown.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(fault.number("max_s") ?? 300)) }
            if let channel = context.channel { await NetworkFaults.close(channel, reset: false) }
            throw APIError.hung
        case .reset, .emptyReply:
            if let channel = context.channel { await NetworkFaults.close(channel, reset: fault.name == .reset) }
            throw APIError.connectionClosed(byFault: fault.name.rawValue)
        default:
            return
        }
    }
}
