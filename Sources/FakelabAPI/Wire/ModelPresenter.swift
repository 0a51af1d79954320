import Foundation

/// Renders catalog contracts as TokenLab's `/v1/models` JSON (full, compact, detail).
///
/// The detail publishes the contract under both spellings the docs have used (docs/tokenlab.md §5.2): gen
/// A's `public_contract(_summary)` and gen B/C's `request_format_details`/`request_format_summary`,
/// with identical content (`ModelTokenLabExtension` is open). List items are closed objects
/// (`ModelListItem`, `ModelListTokenLabExtension`): only the published keys, never
/// `public_contract_summary` (docs/tokenlab.md §5.1).
public struct ModelPresenter: Sendable {
    public let catalog: Catalog
    /// Requests per minute published in `service_limits.online_rpm`.
    public var onlineRPM: Int

    public init(catalog: Catalog, onlineRPM: Int = 1000) {
        self.catalog = catalog
        self.onlineRPM = onlineRPM
    }

    public enum View: String, Sendable { case full, compact }

    /// Models matching the list filters, in catalog order (or recommendation order).
    public func listed(provider: String? = nil, category: String? = nil, recommendedFor: String? = nil) -> [ModelContract] {
        var models = catalog.models
        if let provider { models = models.filter { $0.ownedBy == provider } }
        if let category, category != "image" { models = [] }
        if let recommendedFor {
            guard recommendedFor == "image" else { return [] }
            let order = catalog.file.recommendedForImage ?? catalog.models.map(\.id)
            models = order.compactMap { id in models.first { $0.id == id } }
        }
        return models
    }

    public func list(_ models: [ModelContract], view: View, recommendedFor: String?) -> JSONValue {
        switch view {
        case .full:
            return ["object": "list", "data": .array(models.map { listItem($0, recommendedFor: recommendedFor) })]
        case .compact:
            return [
                "object": "list", "view": "compact", "count": .int(models.count),
                "data": .array(models.map { compactItem($0, recommendedFor: recommendedFor) }),
            ]
        }
    }

    public func detail(_ model: ModelContract) -> JSONValue {
        var ext = common(model)
        let summary = contractSummary(model)
        let details = contractDetails(model)
        ext["supported_operations"] = strings(model.publicOperations)
        ext["pricing_provenance"] = ["source": "fakelab-catalog"]
        ext["capability_flags"] = ["async": .bool(model.asyncHonoured || model.statusMode != .inline)]
        ext["accepted_request_formats"] = []
        ext["request_format_summary"] = summary
        ext["request_format_details"] = details
        ext["public_contract_summary"] = summary
        ext["public_contract"] = details
        ext["pricing_summary"] = pricingSummary(model)
        return [
            "id": .string(model.id), "object": "model", "created": .int(model.created), "owned_by": .string(model.ownedBy),
            "tokenlab": .object(ext),
        ]
    }

    // MARK: List items

    private func listItem(_ model: ModelContract, recommendedFor: String?) -> JSONValue {
        var ext = common(model)
        let summary: JSONValue = [
            "public_operations": strings(model.publicOperations),
            "request_endpoint": .string(model.requestEndpoint),
            "request_endpoint_by_operation": endpointByOperation(model),
        ]
        ext["request_format_summary"] = summary
        if recommendedFor == "image" { ext["agent_preferences"] = ["image": recommendation(model, full: true)] }
        return [
            "id": .string(model.id), "object": "model", "created": .int(model.created), "owned_by": .string(model.ownedBy),
            "tokenlab": .object(ext),
        ]
    }

    private func compactItem(_ model: ModelContract, recommendedFor: String?) -> JSONValue {
        var item: [String: JSONValue] = [
            "id": .string(model.id), "provider": .string(model.ownedBy), "category": "image",
            "capabilities": capabilities(model), "max_input_tokens": .null, "max_output_tokens": .null,
            "pricing": compactPricing(model),
            "status": .string(model.lifecycle.stage), "latest": false,
            "supported_operations": strings(model.publicOperations), "request_endpoint": .string(model.requestEndpoint),
        ]
        if recommendedFor == "image" { item["recommendation"] = recommendation(model, full: false) }
        if let delivery = model.deliveryAvailability { item["deliveryAvailability"] = Self.delivery(delivery) }
        return .object(item)
    }

    /// Fields shared by list items and the detail (both `ModelListTokenLabExtension` and `ModelTokenLabExtension`).
    private func common(_ model: ModelContract) -> [String: JSONValue] {
        let lifecycle = model.lifecycle
        var badges: [JSONValue] = []
        if lifecycle.stage == "deprecated" || lifecycle.stage == "preview" {
            badges.append([
                "key": .string(lifecycle.stage), "tone": lifecycle.stage == "preview" ? "blue" : "amber", "priority": 10,
                "tooltip": ["key": .string("badge.\(lifecycle.stage)"), "values": [:]],
            ])
        }
        var ext: [String: JSONValue] = [
            "aliases": strings(model.aliases),
            "pricing": listPricing(model),
            "capabilities": capabilities(model),
            "providers": strings([model.ownedBy]),
            "max_input_tokens": .null, "max_output_tokens": .null,
            "category": "image",
            "pricing_unit": .string(model.pricingUnit),
            "has_complex_pricing": false,
            "lifecycle": [
                "stage": .string(lifecycle.stage), "reason": lifecycle.reason.map { .string($0) } ?? .null,
                "replacement_model": lifecycle.replacementModel.map { .string($0) } ?? .null,
                "released_at": .null, "deprecated_at": .null, "retired_at": .null, "sunset_at": .null,
                "latest": false, "latest_source": "none", "latest_window_days": .null,
            ],
            "commercial": ["user_charge_policy": "paid", "free_reason": .null, "free_until": .null],
            "badges": .array(badges),
        ]
        if let delivery = model.deliveryAvailability { ext["deliveryAvailability"] = Self.delivery(delivery) }
        return ext
    }

    // MARK: Contract

    func contractSummary(_ model: ModelContract) -> JSONValue {
        let dims = model.dimensions
        let params = model.supportedParameters
        return [
            "public_operations": strings(model.publicOperations),
            "supported_parameters": strings(params),
            "feature_flags": ["async": .bool(model.asyncHonoured), "n": .bool(params.contains("n")), "streaming": false],
            "output_formats": strings(model.outputFormats),
            "service_limits": [
                "online_rpm": .int(onlineRPM), "concurrency": .null, "offline_inference": false, "offline_tpd": .null,
                "prompt_max_characters": .int(catalog.file.parameters["prompt"]?.maxLength ?? 4000),
            ],
            "required_selectors": model.operations.contains { $0.operation != .variation } ? ["prompt"] : [],
            "optional_selectors": strings(model.optionalSelectors),
            "resolutions": strings(dims.resolutions ?? []),
            "resolutions_label": dims.resolutions == nil ? .null : "Resolution",
            "durations": [], "durations_label": .null,
            "aspect_ratios": strings(dims.aspectRatios ?? []),
            "aspect_ratios_label": dims.aspectRatios == nil ? .null : "Aspect ratio",
            "request_endpoint": .string(model.requestEndpoint),
            "status_mode": .string(model.statusMode.rawValue),
            "request_shape_mode": .string(model.operations[0].requestShapeMode),
            "recommended_request_summary": .object(recommendedRequest(model)),
            "request_endpoint_by_operation": endpointByOperation(model),
            "operation_constraints": .array(model.operations.map { constraint($0, model) }),
        ]
    }

    func contractDetails(_ model: ModelContract) -> JSONValue {
        guard case .object(var details) = contractSummary(model) else { return .null }
        details["documented_inputs"] = strings(Array(Set(model.operations.flatMap(\.references))).sorted())
        details["documented_outputs"] =
            model.asyncHonoured || model.statusMode != .inline
            ? ["data[].url", "data[].b64_json", "task_id", "poll_url"] : ["data[].url", "data[].b64_json"]
        details["fallback_status_endpoints"] = .array(PollPath.statusRoutes.map(JSONValue.string))
        details["poll_path"] = .string(model.pollPath)
        details["notes"] = strings(model.notes)
        details["recommended_request"] = .object(recommendedRequest(model))
        if let sizes = model.dimensions.sizes { details["sizes"] = strings(sizes) }
        if let rule = model.dimensions.sizeRule {
            details["size_rule"] = [
                "multiple_of": .int(rule.multipleOf), "max_edge": .int(rule.maxEdge), "max_ratio": .double(rule.maxRatio),
                "min_pixels": .int(rule.minPixels), "max_pixels": .int(rule.maxPixels),
            ]
        }
        return .object(details)
    }

    private func constraint(_ op: OperationContract, _ model: ModelContract) -> JSONValue {
        var notes = op.notes
        if op.maxImages > 0 { notes.append("At most \(op.maxImages) source image\(op.maxImages == 1 ? "" : "s").") }
        return [
            "operation": .string(op.operation.rawValue),
            "request_endpoint": .string(op.endpoint.rawValue),
            "request_shape_mode": .string(op.requestShapeMode),
            "status_mode": .string(model.statusMode.rawValue),
            "supported_parameters": strings(op.supportedParameters),
            "required_selectors": op.operation == .variation ? ["image"] : ["prompt"],
            "optional_selectors": strings(["size", "aspect_ratio", "resolution", "quality"].filter { op.parameters[$0] != nil }),
            "documented_inputs": strings(op.references),
            "allowed_resolutions": strings(op.parameters["resolution"] == nil ? [] : model.dimensions.resolutions ?? []),
            "allowed_durations": [],
            "allowed_aspect_ratios": strings(op.parameters["aspect_ratio"] == nil ? [] : model.dimensions.aspectRatios ?? []),
            "notes": strings(notes),
        ]
    }

    private func recommendedRequest(_ model: ModelContract) -> [String: JSONValue] {
        let op = model.operations[0]
        var request: [String: JSONValue] = ["model": .string(model.id)]
        if op.operation != .variation { request["prompt"] = "A ceramic coffee cup on a walnut desk" }
        if op.operation == .imageToImage {
            request["operation"] = "image-to-image"
            request["image_urls"] = ["https://example.com/input.png"]
        }
        switch model.dimensions.mode {
        case .size: request["size"] = "1024x1024"
        case .sizeEnum: request["size"] = .string(model.dimensions.defaultSize ?? "1024x1024")
        case .aspectRatio: request["aspect_ratio"] = .string(model.dimensions.defaultAspectRatio ?? "1:1")
        case .input: request["image_url"] = "https://example.com/input.png"
        }
        return request
    }

    private func endpointByOperation(_ model: ModelContract) -> JSONValue {
        .object(Dictionary(model.operations.map { ($0.operation.rawValue, .string($0.endpoint.rawValue)) }, uniquingKeysWith: { a, _ in a }))
    }

    private func recommendation(_ model: ModelContract, full: Bool) -> JSONValue {
        let order = catalog.file.recommendedForImage ?? []
        guard let rank = order.firstIndex(of: model.id), rank < order.count - 1 else {
            var r: [String: JSONValue] = [
                "preferred_rank": .null, "success_rate_24h": .null, "sample_count_24h": 0, "status": "insufficient_samples",
            ]
            if full {
                r["updated_at"] = "2026-01-01T00:00:00Z"
                r["basis"] = ["source": "recent_activity_24h"]
            }
            return .object(r)
        }
        var r: [String: JSONValue] = [
            "preferred_rank": .int(rank + 1), "success_rate_24h": .double(0.995 - Double(rank) * 0.005),
            "sample_count_24h": .int(2000 - rank * 100), "status": "ready",
        ]
        if full {
            r["updated_at"] = "2026-01-01T00:00:00Z"
            r["basis"] = ["source": "recent_activity_24h"]
        }
        return .object(r)
    }

    func capabilities(_ model: ModelContract) -> JSONValue {
        var caps = ["image_generation"]
        if model.operation(.imageEdit) != nil || model.operation(.imageToImage) != nil { caps.append("image_editing") }
        if model.operation(.variation) != nil { caps = ["image_variation"] }
        return strings(caps)
    }

    func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}
