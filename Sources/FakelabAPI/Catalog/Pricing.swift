/// A model's price as the catalog states it: decimal strings in USD, as TokenLab publishes them
/// (`PricingEntry`, `ModelPricingResponse`), never binary floating point.
public struct PricingSpec: Codable, Sendable, Equatable {
    /// `per_request` (one price per image) or `per_token` (input and output per 1M tokens).
    public var unit: String
    public var perRequest: String?
    public var inputPer1MTokens: String?
    public var outputPer1MTokens: String?
    /// Where the price comes from (a docs page and commit), or why it is ASSUMED.
    public var source: String?

    public init(
        unit: String,
        perRequest: String? = nil,
        inputPer1MTokens: String? = nil,
        outputPer1MTokens: String? = nil,
        source: String? = nil
    ) {
        self.unit = unit
        self.perRequest = perRequest
        self.inputPer1MTokens = inputPer1MTokens
        self.outputPer1MTokens = outputPer1MTokens
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case unit, source
        case perRequest = "per_request"
        case inputPer1MTokens = "input_per_1m_tokens"
        case outputPer1MTokens = "output_per_1m_tokens"
    }

    public static let units = ["per_request", "per_token"]

    /// `123`, `0.0195`: digits, optionally one point and more digits.
    static func isDecimal(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    /// What is wrong with this price, or nil.
    func problem() -> String? {
        guard Self.units.contains(unit) else { return "pricing.unit '\(unit)' is not per_request or per_token" }
        let needed =
            unit == "per_request"
            ? [("per_request", perRequest)] : [("input_per_1m_tokens", inputPer1MTokens), ("output_per_1m_tokens", outputPer1MTokens)]
        for (name, value) in needed where value == nil { return "pricing.\(name) is required for unit \(unit)" }
        for (name, value) in [("per_request", perRequest), ("input_per_1m_tokens", inputPer1MTokens), ("output_per_1m_tokens", outputPer1MTokens)] {
            if let value, !Self.isDecimal(value) { return "pricing.\(name) '\(value)' is not a decimal string" }
        }
        return nil
    }
}

/// `deliveryAvailability` (OpenAPI 2026-09-25): which delivery tiers can serve the model, overall
/// and per operation. The fake answers from the catalog; `auto` is always servable when either is.
public struct DeliveryAvailability: Codable, Sendable, Equatable {
    public struct Tiers: Codable, Sendable, Equatable {
        public var verified: Bool
        public var official: Bool
        public init(verified: Bool, official: Bool) {
            self.verified = verified
            self.official = official
        }
    }
    public var verified: Bool
    public var official: Bool
    /// Keyed by public operation (`text-to-image`, `image-edit`, …).
    public var operations: [String: Tiers]?

    public init(verified: Bool, official: Bool, operations: [String: Tiers]? = nil) {
        self.verified = verified
        self.official = official
        self.operations = operations
    }

    /// Whether `tier` (`verified` or `official`; `auto` = either) can serve `operation`.
    public func serves(_ tier: String, operation: Operation? = nil) -> Bool {
        let tiers = operation.flatMap { operations?[$0.rawValue] } ?? Tiers(verified: verified, official: official)
        switch tier {
        case "verified": return tiers.verified
        case "official": return tiers.official
        default: return tiers.verified || tiers.official
        }
    }
}

/// How an edit model makes its result from the input pixels.
public enum Derivation: String, Codable, Sendable {
    /// The input resized to the output size and visibly recoloured (mask areas repainted).
    case recolour
    /// The input at its own size, the background (the colour of its border) made transparent; RGBA PNG.
    case removeBackground = "remove_background"
    /// The input scaled by `dimensions.scale`, pixels kept.
    case upscale
}
