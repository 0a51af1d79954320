import FakelabAPI
import FakelabHTTP
import FakelabImaging
import Hummingbird

/// `POST /v1/images/generations`, `/edits`, `/variations`: auth → body → contract → engine.
struct ImagesController {
    let state: ServerServices
    /// Where result URLs point without a configured public URL or a `Host` header (built once).
    private let fallbackHost: String
    private let publicBaseURL: String?

    init(state: ServerServices) {
        self.state = state
        fallbackHost = "\(state.configuration.host):\(state.configuration.port)"
        publicBaseURL = state.configuration.publicBaseURL
    }

    func add(to router: some RouterMethods<FakelabContext>) {
        for endpoint in Endpoint.allCases {
            router.post(RouterPath(endpoint.rawValue)) { request, context in
                try await create(request, context: context, endpoint: endpoint)
            }
        }
    }

    nonisolated(nonsending) func create(_ request: Request, context: FakelabContext, endpoint: Endpoint) async throws -> Response {
        let key = try APIKey.require(request, context)
        let delivery = try Self.deliveryPolicy(request)
        let decoded: RequestBodyDecoder.Decoded
        if let early = context.decodedBody {
            decoded = try early.get()
        } else {
            decoded = try await state.bodyDecoder.decode(request, endpoint: endpoint)
        }
        let admitted = try admit(decoded, request, context, key: key, delivery: delivery)
        if let modelPlan = admitted.modelPlan {
            try await modelPlan.applyBefore(context: context, state: state, model: admitted.job.model.id)
        }
        let answer = try await ImageEngine(state: state).answer(
            admitted.job,
            key: key,
            plan: admitted.plan,
            base: admitted.base,
            now: context.now,
            notes: context.notes
        )
        return .json(bytes: answer.body, headers: answer.headers)
    }

    /// A request past the contract: what the engine runs, and under which fault plan.
    struct Admitted {
        var job: ValidatedImageRequest
        var plan: FaultPlan
        /// The plan of a rule that matched the model, applied before the engine runs.
        var modelPlan: FaultPlan?
        var base: String
    }

    /// Validates the decoded body, journals it, and decides delivery and model faults. The
    /// synchronous steps of `create` live here (never inlined): an async function's frame holds
    /// every local it has, and every request on every connection carries this one's.
    @inline(never)
    func admit(
        _ decoded: RequestBodyDecoder.Decoded,
        _ request: Request,
        _ context: FakelabContext,
        key: APIKey,
        delivery: DeliveryPolicy
    ) throws(APIError) -> Admitted {
        let body = JournalBody(decoded, method: request.method.rawValue, path: request.uriPath)
        let job: ValidatedImageRequest
        // Consumed, and the payload bound once: a `let j` used after `job = j` kept two (a copy of
        // every reference the request holds).
        let validated = state.validator.validate(decoded.request)
        switch consume validated {
        case .success(let j): job = j
        case .failure(let failure):
            context.notes.update { $0.body = body }
            throw APIError(failure)
        }
        let model = job.model.id
        context.notes.update {
            $0.body = body
            $0.model = model
        }
        if let tier = delivery.tier,
            state.tenants.with(key, { $0.unavailableTiers.contains(tier) })
                || job.model.deliveryAvailability?.serves(tier.rawValue, operation: job.operation) == false
        {
            throw FaultResponses.deliveryTierUnavailable(model: job.model.id, tier: tier.rawValue)
        }
        let modelPlan = FaultPlan.forModel(job.model.id, request: request, context: context, state: state)
        let plan = modelPlan ?? context.faults
        return Admitted(job: job, plan: plan, modelPlan: modelPlan, base: resultBase(request, plan: plan, key: key))
    }

    /// `X-TokenLab-Delivery-Policy`: `auto` (also when absent), `verified` or `official`.
    static func deliveryPolicy(_ request: Request) throws(APIError) -> DeliveryPolicy {
        guard let text = request.headers.value(.xTokenLabDeliveryPolicy) else { return .auto }
        guard let policy = DeliveryPolicy(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "X-TokenLab-Delivery-Policy",
                "X-TokenLab-Delivery-Policy: '\(text)' is not one of auto, verified, official"
            )
        }
        return policy
    }

    /// Where this request's result URLs point: the public base URL (configured, else the `Host`
    /// the client used) and the result route, or the expired route an `expired_url` fault picks.
    func resultBase(_ request: Request, plan: FaultPlan, key: APIKey) -> String {
        let route = plan.expiresURLs ? ResultImage.expiredPrefix + key.id + "/" : ResultImage.routePrefix
        return request.publicBaseURL(configured: publicBaseURL, fallbackHost: fallbackHost, appending: route)
    }
}
