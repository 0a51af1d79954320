/// `X-TokenLab-Delivery-Policy` on the create routes (docs/tokenlab.md §3.7): `auto` takes any
/// channel, `verified` and `official` ask for that tier only.
public enum DeliveryPolicy: String, Sendable, CaseIterable {
    case auto, verified, official

    /// The tier the policy insists on, or nil for `auto`.
    public var tier: DeliveryTier? {
        switch self {
        case .auto: nil
        case .verified: .verified
        case .official: .official
        }
    }
}

public enum DeliveryTier: String, Sendable, CaseIterable, Hashable {
    case verified, official
}
