/// Prices and delivery tiers, from the catalog: `GET /v1/pricing` (`PricingResponse`),
/// `GET /v1/models/{model}/pricing` (`ModelPricingResponse`) and the `pricing` members of model
/// items. Every amount is the catalog's decimal string, never a float.
extension ModelPresenter {
    /// `GET /v1/pricing`: every model that is not retired, filtered by provider and tag.
    public func pricingList(provider: String? = nil, tag: String? = nil) -> JSONValue {
        let models = catalog.models.filter { model in
            model.lifecycle.stage != "retired" && (provider == nil || model.ownedBy == provider)
                && (tag == nil || tags(model).contains(tag ?? ""))
        }
        return [
            "object": "pricing",
            "updated_at": .string(catalog.file.pricingUpdatedAt ?? "2026-09-25T00:00:00Z"),
            "currency": "USD",
            "data": .array(models.map(pricingEntry)),
        ]
    }

    /// One `PricingEntry`.
    public func pricingEntry(_ model: ModelContract) -> JSONValue {
        let p = model.pricing
        let lock = p.unit == "per_request"
        return [
            "model": .string(model.id),
            "provider": .string(model.ownedBy),
            "is_lock_price": .bool(lock),
            "capabilities": capabilities(model),
            "aliases": strings(model.aliases),
            "input_per_1m_tokens": decimal(p.inputPer1MTokens),
            "output_per_1m_tokens": decimal(p.outputPer1MTokens),
            "lock_price_per_request": lock ? decimal(p.perRequest) : .null,
            "has_complex_pricing": false,
            "supported_operations": strings(model.publicOperations),
            "pricing_summary": pricingSummary(model),
            "pricing_provenance": provenance(model),
            "tags": strings(tags(model)),
        ]
    }

    /// `GET /v1/models/{model}/pricing`.
    public func modelPricing(_ model: ModelContract) -> JSONValue {
        let p = model.pricing
        var scalar: [String: JSONValue] = ["currency": "USD", "unit": .string(p.unit)]
        if let v = p.perRequest { scalar["per_request"] = .string(v) }
        if let v = p.inputPer1MTokens { scalar["input_per_1m_tokens"] = .string(v) }
        if let v = p.outputPer1MTokens { scalar["output_per_1m_tokens"] = .string(v) }
        let operations = Dictionary(model.publicOperations.map { ($0, JSONValue.object(scalar)) }, uniquingKeysWith: { a, _ in a })
        return [
            "model": .string(model.id),
            "pricing_unit": .string(p.unit),
            "has_complex_pricing": false,
            "supported_operations": strings(model.publicOperations),
            "pricing_summary": pricingSummary(model),
            "pricing_provenance": provenance(model),
            "pricing_details": ["currency": "USD", "unit": .string(p.unit), "operations": .object(operations)],
            "scalar_pricing": .object(scalar),
        ]
    }

    /// `pricing_summary`: the unit and the amounts, as on TokenLab's model pages.
    func pricingSummary(_ model: ModelContract) -> JSONValue {
        let p = model.pricing
        var summary: [String: JSONValue] = ["currency": "USD", "unit": .string(p.unit)]
        if let v = p.perRequest { summary["per_request"] = .string(v) }
        if let v = p.inputPer1MTokens { summary["input_per_1m_tokens"] = .string(v) }
        if let v = p.outputPer1MTokens { summary["output_per_1m_tokens"] = .string(v) }
        return .object(summary)
    }

    /// `tokenlab.pricing` of list and detail items.
    func listPricing(_ model: ModelContract) -> JSONValue {
        let p = model.pricing
        var pricing: [String: JSONValue] = ["currency": "USD", "unit": .string(p.unit)]
        if let v = p.perRequest { pricing["per_request"] = .string(v) }
        if let v = p.inputPer1MTokens { pricing["input_per_1m"] = .string(v) }
        if let v = p.outputPer1MTokens { pricing["output_per_1m"] = .string(v) }
        return .object(pricing)
    }

    /// `pricing` of `CompactModelListItem` (closed: unit, currency, the amounts, has_complex_pricing).
    func compactPricing(_ model: ModelContract) -> JSONValue {
        guard case .object(var pricing) = listPricing(model) else { return .null }
        pricing["has_complex_pricing"] = false
        return .object(pricing)
    }

    /// `deliveryAvailability` as published (closed objects).
    static func delivery(_ d: DeliveryAvailability) -> JSONValue {
        var out: [String: JSONValue] = ["verified": .bool(d.verified), "official": .bool(d.official)]
        if let ops = d.operations {
            out["operations"] = .object(ops.mapValues { ["verified": .bool($0.verified), "official": .bool($0.official)] })
        }
        return .object(out)
    }

    /// What `?tag=` matches: the category, the public operations and the catalog's tags (ASSUMED).
    func tags(_ model: ModelContract) -> [String] {
        var seen = Set<String>()
        return (["image"] + model.publicOperations + model.tags).filter { seen.insert($0).inserted }
    }

    private func provenance(_ model: ModelContract) -> JSONValue {
        ["source": "fakelab-catalog", "basis": .string(model.pricing.source ?? "ASSUMED")]
    }

    private func decimal(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
}
