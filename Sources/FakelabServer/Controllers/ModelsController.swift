import FakelabAPI
import FakelabHTTP
import Hummingbird

/// `GET /v1/models` and `GET /v1/models/{model}`: the catalog's contracts, no key needed.
/// (`/v1/models/{model}/pricing` is PricingController's; `/models.json` DiscoveryController's.)
struct ModelsController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        router.get("/v1/models") { request, _ in try list(request) }
        router.get("/v1/models/{model}") { _, context in try detail(context) }
    }

    static let recommendedForValues = ["image", "video", "music", "3d", "tts", "stt", "embedding", "rerank", "translation"]
    /// The `category` enum of the published operation (an unknown category is refused like an
    /// unknown `view`, not answered with an empty list: found by scripts/fuzz).
    static let categoryValues = ["chat", "embedding", "translation", "image", "video", "audio", "tts", "stt", "rerank", "3d", "music"]

    func list(_ request: Request) throws(APIError) -> Response {
        let query = request.uri.queryParameters
        let viewText = query.get("view") ?? "full"
        guard let view = ModelPresenter.View(rawValue: viewText) else {
            throw .badRequest(code: ErrorCode.invalidValue, param: "view", "view: '\(viewText)' is not one of full, compact")
        }
        let recommendedFor = query.get("recommended_for")
        if let r = recommendedFor, !Self.recommendedForValues.contains(r) {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "recommended_for",
                "recommended_for: '\(r)' is not one of \(Self.recommendedForValues.joined(separator: ", "))"
            )
        }
        if let c = query.get("category"), !Self.categoryValues.contains(c) {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "category",
                "category: '\(c)' is not one of \(Self.categoryValues.joined(separator: ", "))"
            )
        }
        let (provider, category) = (query.get("provider"), query.get("category"))
        let key = ["list", view.rawValue, provider ?? "", category ?? "", recommendedFor ?? ""].joined(separator: "\u{0}")
        return .json(
            buffer: state.catalogAnswers.answer(key) {
                state.presenter.list(
                    state.presenter.listed(provider: provider, category: category, recommendedFor: recommendedFor),
                    view: view,
                    recommendedFor: recommendedFor
                )
            }
        )
    }

    func detail(_ context: FakelabContext) throws(APIError) -> Response {
        let id = context.parameters.get("model") ?? ""
        guard let model = state.catalog.model(id) else { throw PricingController.modelNotFound(id, catalog: state.catalog) }
        return .json(buffer: state.catalogAnswers.answer("detail\u{0}" + model.id) { state.presenter.detail(model) })
    }
}
