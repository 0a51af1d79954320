/// The on-disk catalog format (`fakelab-catalog/1`). A user's `--catalog FILE` uses the same shape
/// as the built-in `Resources/catalog.json`; README.md documents every field.
public struct CatalogFile: Codable, Sendable {
    public var format: String
    public var description: String?
    /// Catalog-wide notes: the ASSUMED choices that apply to every model.
    public var notes: [String]?
    /// Parameters every operation of every model accepts (besides the envelope fields).
    public var commonParameters: [String]
    /// The parameter library: type and bounds of each field, shared by all models.
    public var parameters: [String: ParameterSpec]
    /// Pixel dimensions of each aspect ratio at resolution `1k`.
    public var aspectRatioDimensions: [String: [Int]]
    /// Multiplier of the `1k` dimensions for each resolution.
    public var resolutionScale: [String: Int]
    /// Model ids in `recommended_for=image` order.
    public var recommendedForImage: [String]?
    /// Fields TokenLab removed from its image API, each with the reason sent in the 400
    /// (`unsupported_parameter`) whatever the model: `partial_images`, `input_fidelity` (2026-07-11).
    public var removedParameters: [String: String]?
    /// `updated_at` of `GET /v1/pricing` (ISO 8601): when the catalog's prices were last checked.
    public var pricingUpdatedAt: String?
    public var models: [ModelEntry]

    enum CodingKeys: String, CodingKey {
        case format, description, notes, parameters, models
        case commonParameters = "common_parameters"
        case aspectRatioDimensions = "aspect_ratio_dimensions"
        case resolutionScale = "resolution_scale"
        case recommendedForImage = "recommended_for_image"
        case removedParameters = "removed_parameters"
        case pricingUpdatedAt = "pricing_updated_at"
    }
}

/// The type and bounds of one request field.
public struct ParameterSpec: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case string, integer, number, boolean, array, object }
    public var type: Kind
    public var `enum`: [String]?
    public var minimum: Double?
    public var maximum: Double?
    public var maxLength: Int?
    public var format: String?

    public init(type: Kind, enum: [String]? = nil, minimum: Double? = nil, maximum: Double? = nil, maxLength: Int? = nil, format: String? = nil) {
        self.type = type
        self.enum = `enum`
        self.minimum = minimum
        self.maximum = maximum
        self.maxLength = maxLength
        self.format = format
    }

    enum CodingKeys: String, CodingKey {
        case type, `enum`, minimum, maximum, format
        case maxLength = "max_length"
    }

    /// Overrides only the bounds the override names.
    func merged(with override: ParameterOverride?) -> ParameterSpec {
        guard let override else { return self }
        var spec = self
        if let e = override.enum { spec.enum = e }
        if let m = override.minimum { spec.minimum = m }
        if let m = override.maximum { spec.maximum = m }
        if let m = override.maxLength { spec.maxLength = m }
        return spec
    }
}

public struct ParameterOverride: Codable, Sendable, Equatable {
    public var `enum`: [String]?
    public var minimum: Double?
    public var maximum: Double?
    public var maxLength: Int?
    enum CodingKeys: String, CodingKey {
        case `enum`, minimum, maximum
        case maxLength = "max_length"
    }
}

/// One model as the catalog file describes it.
public struct ModelEntry: Codable, Sendable {
    public var id: String
    /// Makes this entry a copy of another model's contract under a new id.
    public var aliasOf: String?
    /// A distinct model with another model's request contract (operations, dimensions,
    /// parameters, status mode); its own `created`, `pricing`, `notes`, delivery and poll path.
    public var contractOf: String?
    public var ownedBy: String?
    public var created: Int?
    public var aliases: [String]?
    public var lifecycle: Lifecycle?
    public var statusMode: StatusMode?
    public var asyncHonoured: Bool?
    /// Legacy price fields (a user catalog of the first format); `pricing` wins.
    public var pricePerImageUSD: Double?
    public var pricingUnit: String?
    /// Prices as TokenLab publishes them: decimal strings, USD.
    public var pricing: PricingSpec?
    /// `tag` values `GET /v1/pricing?tag=` matches (besides the category and operations).
    public var tags: [String]?
    /// `deliveryAvailability` on model items and details; absent = unknown (omitted).
    public var deliveryAvailability: DeliveryAvailability?
    /// Where this model's tasks are polled: `/v1/tasks/{id}` (default) or `/v1/images/generations/{id}`.
    public var pollPath: String?
    /// How results are made from the input pixels (default `recolour`).
    public var derivation: Derivation?
    public var dimensions: DimensionRule?
    public var outputFormats: [String]?
    public var defaultOutputFormat: String?
    public var parameterOverrides: [String: ParameterOverride]?
    public var ignoredParameters: [String]?
    public var operations: [OperationEntry]?
    public var notes: [String]?
    /// Task timeline for this model (`fakelab serve --task-policy` syntax).
    public var taskPolicy: String?

    enum CodingKeys: String, CodingKey {
        case id, created, aliases, lifecycle, dimensions, operations, notes
        case taskPolicy = "task_policy"
        case aliasOf = "alias_of"
        case contractOf = "contract_of"
        case pricing, tags, derivation
        case deliveryAvailability = "delivery_availability"
        case pollPath = "poll_path"
        case ownedBy = "owned_by"
        case statusMode = "status_mode"
        case asyncHonoured = "async_honoured"
        case pricePerImageUSD = "price_per_image_usd"
        case pricingUnit = "pricing_unit"
        case outputFormats = "output_formats"
        case defaultOutputFormat = "default_output_format"
        case parameterOverrides = "parameter_overrides"
        case ignoredParameters = "ignored_parameters"
    }

    public struct Lifecycle: Codable, Sendable, Equatable {
        public var stage: String
        public var reason: String?
        public var replacementModel: String?
        enum CodingKeys: String, CodingKey {
            case stage, reason
            case replacementModel = "replacement_model"
        }
    }
}

/// How a model answers: always inline, always with a task, or inline unless asked for a task.
public enum StatusMode: String, Codable, Sendable {
    case inline
    case task
    case inlineOrTask = "inline_or_task"
}

public struct OperationEntry: Codable, Sendable, Equatable {
    public var operation: Operation
    public var endpoint: Endpoint
    public var requestShapeMode: String
    /// Model-specific fields this operation accepts (on top of the common ones).
    public var parameters: [String]
    /// Reference-image shapes this operation accepts (`image_url`, `image_urls`, `image`, …).
    public var references: [String]
    /// Most source images one request may carry.
    public var maxImages: Int
    public var notes: [String]?

    enum CodingKeys: String, CodingKey {
        case operation, endpoint, parameters, references, notes
        case requestShapeMode = "request_shape_mode"
        case maxImages = "max_images"
    }
}

/// The public image operations.
public enum Operation: String, Codable, Sendable, CaseIterable {
    case textToImage = "text-to-image"
    case imageToImage = "image-to-image"
    case imageEdit = "image-edit"
    case variation
}

/// The create endpoints.
public enum Endpoint: String, Codable, Sendable, CaseIterable {
    case generations = "/v1/images/generations"
    case edits = "/v1/images/edits"
    case variations = "/v1/images/variations"
}

/// How a model's output dimensions are chosen.
public struct DimensionRule: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// `size` is `auto` or free `WxH` within `size_rule` (gpt-image-2).
        case size
        /// `size` is one of `sizes`.
        case sizeEnum = "size_enum"
        /// `aspect_ratio` (+ `resolution`) pick a row of the catalog's dimension table.
        case aspectRatio = "aspect_ratio"
        /// The input's size times `scale` (utility edit models); `auto_size` when the input's
        /// pixels are not known (a reference URL without `--allow-fetch`).
        case input
    }
    public var mode: Mode
    public var defaultSize: String?
    public var autoSize: String?
    public var sizeRule: SizeRule?
    public var sizes: [String]?
    public var aspectRatios: [String]?
    public var defaultAspectRatio: String?
    public var resolutions: [String]?
    public var defaultResolution: String?
    /// `size: WxH` is accepted and mapped onto the nearest aspect ratio and resolution.
    public var sizeAlias: Bool?
    /// Mode `input`: output edge = input edge × `scale` (default 1).
    public var scale: Int?
    /// Mode `input`: the largest output (pixels) the model makes; a bigger result is a 400.
    public var maxOutputPixels: Int?

    enum CodingKeys: String, CodingKey {
        case mode, sizes, resolutions
        case defaultSize = "default_size"
        case autoSize = "auto_size"
        case sizeRule = "size_rule"
        case aspectRatios = "aspect_ratios"
        case defaultAspectRatio = "default_aspect_ratio"
        case defaultResolution = "default_resolution"
        case sizeAlias = "size_alias"
        case scale
        case maxOutputPixels = "max_output_pixels"
    }

    /// Output size for an input of `width`×`height` (mode `input`: scaled; otherwise unchanged).
    public func size(forInput width: Int, _ height: Int) -> (width: Int, height: Int) {
        guard mode == .input else { return (width, height) }
        let s = Swift.max(1, scale ?? 1)
        return (width * s, height * s)
    }
}

/// Free-size bounds (gpt-image-2: multiples of 16, longest edge ≤ 3840, ratio ≤ 3:1, 655,360–8,294,400 px).
public struct SizeRule: Codable, Sendable, Equatable {
    public var multipleOf: Int
    public var maxEdge: Int
    public var maxRatio: Double
    public var minPixels: Int
    public var maxPixels: Int

    enum CodingKeys: String, CodingKey {
        case multipleOf = "multiple_of"
        case maxEdge = "max_edge"
        case maxRatio = "max_ratio"
        case minPixels = "min_pixels"
        case maxPixels = "max_pixels"
    }
}
