/// One model's contract, resolved from the catalog: what it accepts, where, and how it answers.
/// The same value validates requests, is published on `/v1/models`, and fills error hints.
public final class ModelContract: Sendable {
    public let id: String
    public let ownedBy: String
    public let created: Int
    public let aliases: [String]
    public let lifecycle: ModelEntry.Lifecycle
    public let statusMode: StatusMode
    public let asyncHonoured: Bool
    public let pricing: PricingSpec
    public let tags: [String]
    /// nil: unknown (the field is omitted, as TokenLab omits it without a projection).
    public let deliveryAvailability: DeliveryAvailability?
    /// `/v1/tasks/{id}` or `/v1/images/generations/{id}` (catalog `poll_path`).
    public let pollPath: String
    public let derivation: Derivation
    public let dimensions: DimensionRule
    public let outputFormats: [String]
    public let defaultOutputFormat: String
    public let ignoredParameters: Set<String>
    public let operations: [OperationContract]
    public let notes: [String]
    /// The catalog's task timeline for this model (`task_policy`, parsed and checked at load).
    public let taskPolicy: TaskPolicy?

    /// The poll paths TokenLab uses (docs/tokenlab.md §4.1); the first is the default.
    public static let pollPaths = PollPath.allCases.map(\.rawValue)

    init(entry: ModelEntry, catalog: CatalogFile) throws(CatalogError) {
        id = entry.id
        ownedBy = entry.ownedBy ?? "tokenlab"
        created = entry.created ?? 1_735_689_600
        aliases = entry.aliases ?? []
        lifecycle = entry.lifecycle ?? .init(stage: "active")
        statusMode = entry.statusMode ?? .inline
        asyncHonoured = entry.asyncHonoured ?? false
        pricing = Self.pricing(entry)
        if let problem = pricing.problem() { throw .invalidModel(entry.id, problem) }
        tags = entry.tags ?? []
        deliveryAvailability = entry.deliveryAvailability
        pollPath = entry.pollPath ?? Self.pollPaths[0]
        guard Self.pollPaths.contains(pollPath) else {
            throw .invalidModel(entry.id, "poll_path '\(pollPath)' is not one of \(Self.pollPaths.joined(separator: ", "))")
        }
        derivation = entry.derivation ?? .recolour
        guard let dims = entry.dimensions else { throw .invalidModel(entry.id, "has no dimensions rule") }
        dimensions = dims
        outputFormats = entry.outputFormats ?? ["png"]
        defaultOutputFormat = entry.defaultOutputFormat ?? outputFormats.first ?? "png"
        ignoredParameters = Set(entry.ignoredParameters ?? [])
        notes = entry.notes ?? []
        if let text = entry.taskPolicy {
            // Behaviour is checked at load: a typo in task_policy fails the catalog, not a task.
            guard let policy = TaskPolicy(parsing: text) else {
                throw .invalidModel(entry.id, "task_policy '\(text)' is not instant, polls:P,R or duration:P,R (+fail:REASON)")
            }
            taskPolicy = policy
        } else {
            taskPolicy = nil
        }
        guard let ops = entry.operations, !ops.isEmpty else { throw .invalidModel(entry.id, "lists no operations") }
        operations = try ops.map { op throws(CatalogError) in
            try OperationContract(entry: op, modelID: entry.id, overrides: entry.parameterOverrides ?? [:], catalog: catalog)
        }
        for format in outputFormats where !["png", "jpeg", "webp"].contains(format) {
            throw .invalidModel(entry.id, "output format '\(format)' is not png, jpeg or webp")
        }
    }

    public var publicOperations: [String] { operations.map(\.operation.rawValue) }

    /// `pricing_unit` as published.
    public var pricingUnit: String { pricing.unit }

    /// The `poll_url` of a task of this model.
    public func pollURL(taskID: String) -> String {
        let parts = pollPath.split(separator: "{id}", omittingEmptySubsequences: false)
        return parts.joined(separator: taskID)
    }

    /// A legacy catalog's `price_per_image_usd` becomes a per-request decimal string.
    private static func pricing(_ entry: ModelEntry) -> PricingSpec {
        if let pricing = entry.pricing { return pricing }
        let cents = Int(((entry.pricePerImageUSD ?? 0.04) * 10_000).rounded())
        let text = "\(cents / 10_000).\(String(String(10_000 + cents % 10_000).dropFirst()))"
        return PricingSpec(unit: "per_request", perRequest: text, source: "price_per_image_usd")
    }

    /// The endpoint of the model's first operation: where a client should send it by default.
    public var requestEndpoint: String { operations[0].endpoint.rawValue }

    public func operation(_ op: Operation) -> OperationContract? { operations.first { $0.operation == op } }

    public func operations(on endpoint: Endpoint) -> [OperationContract] { operations.filter { $0.endpoint == endpoint } }

    /// Every field the model accepts on any operation, sorted (the `supported_parameters` hint).
    public var supportedParameters: [String] {
        Array(Set(operations.flatMap(\.supportedParameters))).sorted()
    }

    /// Selectors that shape the output (size / aspect ratio / resolution), for the contract summary.
    public var optionalSelectors: [String] {
        ["size", "aspect_ratio", "resolution", "quality"].filter { name in operations.contains { $0.parameters[name] != nil } }
    }
}

/// One operation of one model, with its parameter specs resolved against the catalog library.
public struct OperationContract: Sendable {
    public let operation: Operation
    public let endpoint: Endpoint
    public let requestShapeMode: String
    public let references: [String]
    public let maxImages: Int
    public let notes: [String]
    /// Every accepted field (envelope excluded) with its spec.
    public let parameters: [String: ParameterSpec]

    init(entry: OperationEntry, modelID: String, overrides: [String: ParameterOverride], catalog: CatalogFile) throws(CatalogError) {
        operation = entry.operation
        endpoint = entry.endpoint
        requestShapeMode = entry.requestShapeMode
        references = entry.references
        maxImages = entry.maxImages
        notes = entry.notes ?? []
        var specs: [String: ParameterSpec] = [:]
        for name in catalog.commonParameters + entry.parameters {
            guard let spec = catalog.parameters[name] else {
                throw .invalidModel(
                    modelID,
                    "operation \(entry.operation.rawValue) names parameter '\(name)', which the catalog's parameter library lacks"
                )
            }
            specs[name] = spec.merged(with: overrides[name])
        }
        parameters = specs
    }

    /// Fields a client may send for this operation: parameters, `prompt`, and reference shapes.
    public var supportedParameters: [String] {
        var names = Set(parameters.keys).union(references)
        if operation != .variation { names.insert("prompt") }
        return names.sorted()
    }
}
