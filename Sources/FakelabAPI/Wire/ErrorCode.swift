/// `error.code` values of TokenLab's own errors and faults, and of the fake's own endpoints.
/// (The validation codes are in `Violation.swift` until the two lists are merged here.)
extension ErrorCode {
    // TokenLab answers the fake stages as faults (docs/tokenlab.md §5).
    public static let expiredAPIKey = "expired_api_key"
    public static let insufficientBalance = "insufficient_balance"
    public static let quotaExceeded = "quota_exceeded"
    public static let modelNotAllowed = "model_not_allowed"
    public static let rateLimitExceeded = "rate_limit_exceeded"
    public static let upstreamError = "upstream_error"
    public static let allChannelsFailed = "all_channels_failed"
    public static let deliveryTierUnavailable = "delivery_tier_unavailable"
    public static let timeout = "timeout"
    // ASSUMED: what the fake answers where TokenLab's code is not documented.
    public static let connectionClosed = "connection_closed"
    public static let methodNotAllowed = "method_not_allowed"
    // The fake's own endpoints.
    public static let controlForbidden = "control_forbidden"
    public static let cassetteMiss = "cassette_miss"
    public static let upstreamTooLarge = "upstream_response_too_large"
    public static let upstreamUnreachable = "upstream_unreachable"
}
