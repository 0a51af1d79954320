import FakelabAPI
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Outermost middleware, in the order of a request through the fake:
/// request id → staged fault (header or the key's rules) → rate limit → handler → body faults →
/// TokenLab's envelope for every error (unknown routes and oversize bodies included) →
/// `X-Request-ID` → journal entry for the key.
struct EnvelopeMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerState

    func handle(_ request: Request, context: FakelabContext, next: (Request, FakelabContext) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let unread = UnreadBody.wrap(&request)
        context.requestID = state.ids.requestID()
        let started = ContinuousClock.now
        let path = request.uri.path
        let key = APIKey(authorization: request.headers[.authorization])
        context.apiKey = key
        let tracked = key != nil && (path.hasPrefix("/v1/images") || path.hasPrefix("/v1/tasks") || path.hasPrefix("/v1/files"))
        var rate: Tenants.RateDecision?
        var seq: Int?
        var response: Response
        do {
            let header = request.headers[.xFakelabFault]
            var fault: FaultSpec?
            let now = state.now
            context.now = now
            if tracked, let key {
                let admitted = state.tenants.admit(key, arrival: arrival(request, requestID: context.requestID, now: now), ruleFaults: header == nil)
                fault = admitted.fault
                rate = admitted.rate
                seq = admitted.seq
                context.now = now + admitted.offset
                context.hasModelRules = admitted.modelRules
                if let rate, !rate.allowed {
                    throw FaultResponses.rateLimited(retryAfter: Double(rate.retryAfter), limit: rate.limit, reset: rate.reset)
                }
            } else if let key, path.hasPrefix("/__fakelab") {
                context.now = now + state.tenants.with(key) { $0.clockOffset }
            }
            if let header {
                do { fault = try FaultSpec(parsing: header) } catch {
                    throw APIError.badRequest(code: ErrorCode.invalidValue, param: "X-Fakelab-Fault", "X-Fakelab-Fault: \(error.description)")
                }
            }
            if let fault { context.notes.update { $0.fault = fault } }
            if let fault, let early = try await applyBefore(fault, context: context) {
                response = early
            } else {
                response = try await next(request, context)
                if let fault, let shaped = try await NetworkFaults.shape(response, fault, channel: context.channel) { response = shaped }
            }
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            response = try Self.translate(error, request: request).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            response = try APIError.payloadTooLarge(limit: state.configuration.limits.maxBodyBytes).response(from: request, context: context)
        } catch is CancellationError {
            // The connection went away mid-request: 499, nginx's "client closed request".
            if let key, let seq { state.tenants.complete(key, seq: seq) { $0.status = 499 } }
            throw CancellationError()
        } catch {
            context.logger.error("unhandled error", metadata: ["fakelab.error": "\(error)", "fakelab.request_id": "\(context.requestID)"])
            response = try APIError(status: 500, type: ErrorType.server, code: nil, message: "An internal error occurred")
                .response(from: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        if let rate, rate.allowed, response.headers[.xRateLimitLimit] == nil {
            response.headers[.xRateLimitLimit] = String(rate.limit)
            response.headers[.xRateLimitRemaining] = String(rate.remaining)
            response.headers[.xRateLimitReset] = String(rate.reset)
        }
        if let key, let seq { complete(seq, response, key: key, context: context, started: started) }
        await unread?.drain(upTo: state.configuration.limits.maxBodyBytes)
        return response
    }

    /// Faults that answer (or hang up) before the handler runs; nil lets the request through.
    private func applyBefore(_ fault: FaultSpec, context: FakelabContext) async throws -> Response? {
        if let error = FaultResponses.error(fault, model: nil, now: state.now) { throw error }
        switch fault.name {
        case .delay:
            // Seeded: `seed=` on the fault, else the server seed and the (seeded) request id.
            var hash = StableHash(seed: state.configuration.seed)
            hash.combine(context.requestID)
            var rng = SplitMix64(seed: fault.number("seed").map { UInt64($0) } ?? hash.value)
            try await Task.sleep(for: .milliseconds(NetworkFaults.delay(fault, rng: &rng)))
            return nil
        case .hang:
            try await Task.sleep(for: .seconds(fault.number("max_s") ?? 300))
            if let channel = context.channel { await NetworkFaults.close(channel, reset: false) }
            throw APIError(status: 504, type: ErrorType.timeout, code: "timeout", message: "The request hung")
        case .reset, .emptyReply:
            if let channel = context.channel { await NetworkFaults.close(channel, reset: fault.name == .reset) }
            throw APIError(
                status: 502,
                type: ErrorType.upstream,
                code: "connection_closed",
                message: "Connection closed by fault \(fault.name.rawValue)"
            )
        default:
            return nil
        }
    }

    /// The journal entry written when the request arrives (in flight until `complete`).
    private func arrival(_ request: Request, requestID: String, now: Double) -> JournalEntry {
        JournalEntry(
            seq: 0,
            time: now,
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            requestID: requestID,
            requestHeaders: request.headers
        )
    }

    private func complete(_ seq: Int, _ response: Response, key: APIKey, context: FakelabContext, started: ContinuousClock.Instant) {
        let notes = context.notes.snapshot
        let elapsed = ContinuousClock.now - started
        let retryAfter = response.status.code >= 400 ? response.headers[.retryAfter].flatMap(Double.init) : nil
        state.tenants.complete(key, seq: seq) { entry in
            entry.status = Int(response.status.code)
            entry.durationMS = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            entry.body = notes.body
            entry.model = notes.model
            entry.taskID = notes.taskID ?? response.headers[.xTaskID]
            entry.taskStatus = notes.taskStatus
            entry.fault = notes.fault?.description
            entry.retryAfter = retryAfter
        }
    }

    static func translate(_ error: HTTPError, request: Request) -> APIError {
        switch error.status.code {
        case 404: .notFound(request.uri.path)
        case 405:
            APIError(
                status: 405,
                type: ErrorType.invalidRequest,
                code: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.uri.path)"
            )
        case 413: .payloadTooLarge(limit: Limits.default.maxBodyBytes)
        case 400..<500: APIError(status: Int(error.status.code), code: nil, message: error.body ?? error.status.reasonPhrase)
        default: APIError(status: 500, type: ErrorType.server, code: nil, message: "An internal error occurred")
        }
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-ID")!
    static let xTaskID = Self("X-Task-ID")!
    static let xBillingTransactionID = Self("X-Billing-Transaction-ID")!
    static let retryAfter = Self("Retry-After")!
}
