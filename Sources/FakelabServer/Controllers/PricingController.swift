import FakelabAPI
import FakelabHTTP
import Hummingbird

/// `GET /v1/pricing` (`provider`, `tag`) and `GET /v1/models/{model}/pricing`: the catalog's
/// prices, no key needed (TokenLab's MCP server and SDKs call both without one). `/pricing.json`
/// at the root answers the same (ASSUMED: the SDKs' discovery file holds the `/v1/pricing` data).
struct PricingController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        router.get("/v1/pricing") { request, _ in list(request) }
        router.get("/pricing.json") { request, _ in list(request) }
        router.get("/v1/models/{model}/pricing") { _, context in try model(context) }
    }

    func list(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let (provider, tag) = (query.get("provider"), query.get("tag"))
        let key = ["pricing", provider ?? "", tag ?? ""].joined(separator: "\u{0}")
        return .json(buffer: state.catalogAnswers.answer(key) { state.presenter.pricingList(provider: provider, tag: tag) })
    }

    func model(_ context: FakelabContext) throws(APIError) -> Response {
        let id = context.parameters.get("model") ?? ""
        guard let model = state.catalog.model(id) else { throw Self.modelNotFound(id, catalog: state.catalog) }
        return .json(buffer: state.catalogAnswers.answer("pricing\u{0}" + model.id) { state.presenter.modelPricing(model) })
    }

    /// The 404 of the model routes: `model_not_found`, with the closest id when there is one.
    static func modelNotFound(_ id: String, catalog: Catalog) -> APIError {
        let extra = catalog.notFoundHints(for: id).filter { $0.key == "did_you_mean" }
        return .modelNotFound(id, extra: extra)
    }
}
