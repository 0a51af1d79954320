import FakelabAPI
import FakelabHTTP
import FakelabImaging
import Hummingbird

/// `POST /v1/images/generations`, `/edits`, `/variations`: auth → body → contract → engine.
struct ImagesController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        for endpoint in Endpoint.allCases {
            router.post(RouterPath(endpoint.rawValue)) { request, context in
                try await create(request, context: context, endpoint: endpoint)
            }
        }
    }

    func create(_ request: Request, context: FakelabContext, endpoint: Endpoint) async throws -> Response {
        let key = try APIKey.require(request, context)
        let delivery = try Self.deliveryPolicy(request)
        let decoded: RequestBodyDecoder.Decoded
        if let early = context.decodedBody {
            decoded = try early.get()
        } else {
            decoded = try await state.bodyDecoder.decode(request, endpoint: endpoint)
        }
        let raw = decoded.request
        let body = JournalBody(decoded, method: request.method.rawValue, path: request.uri.path)
        let job: ValidatedImageRequest
        switch state.validator.validate(raw) {
        case .success(let j):
            job = j
            context.notes.update {
                $0.body = body
                $0.model = j.model.id
            }
        case .failure(let failure):
            context.notes.update { $0.body = body }
            throw APIError(failure)
        }
        let now = context.now
        if let tier = delivery.tier,
            state.tenants.with(key, { $0.unavailableTiers.contains(tier) })
                || job.model.deliveryAvailability?.serves(tier.rawValue, operation: job.operation) == false
        {
            throw FaultResponses.deliveryTierUnavailable(model: job.model.id, tier: tier.rawValue)
        }
        var plan = context.faults
        if let modelPlan = FaultPlan.forModel(job.model.id, request: request, context: context, state: state) {
            plan = modelPlan
            try await modelPlan.applyBefore(context: context, state: state, model: job.model.id)
        }
        let answer = try await ImageEngine(state: state).answer(
            job,
            key: key,
            plan: plan,
            base: resultBase(request, plan: plan, key: key),
            now: now,
            notes: context.notes
        )
        return .json(bytes: answer.body, headers: answer.headers)
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
        let configuration = state.configuration
        let host = request.publicBaseURL(configured: configuration.publicBaseURL, fallbackHost: "\(configuration.host):\(configuration.port)")
        return host + (plan.expiresURLs ? ResultImage.expiredPrefix + key.id + "/" : ResultImage.routePrefix)
    }
}
