// Every `error.type` and `error.code` the fake sends lives in this file, so a recording that shows
// TokenLab answering otherwise changes one line. CONFIRMED values are documented by TokenLab
// (docs/tokenlab.md §7); ASSUMED ones are what the fake sends where the docs name none (§9).

/// TokenLab's `error.type` values used by the fake (the OpenAPI `type` enum, docs/tokenlab.md §7.1).
public enum ErrorType {
    /// A request the contract refuses: a bad field, an unknown model, a missing task (400/404/409/413).
    public static let invalidRequest = "invalid_request_error"
    /// No key, or a key that is not `sk-…` (401).
    public static let invalidAPIKey = "invalid_api_key"
    /// A key that was valid once (401, a fault).
    public static let expiredAPIKey = "expired_api_key"
    /// The key may not do this: another key's task, a model it may not use, the control API (403).
    public static let permission = "permission_error"
    /// The balance is below the request's cost (402, a fault).
    public static let insufficientBalance = "insufficient_balance"
    /// The key's spend limit is reached (402, a fault).
    public static let quotaExceeded = "quota_exceeded"
    /// Too many requests for the key (429).
    public static let rateLimit = "rate_limit_exceeded"
    /// The fake (or TokenLab) failed inside (500).
    public static let server = "server_error"
    /// The provider behind TokenLab failed (502, a fault).
    public static let upstream = "upstream_error"
    /// No channel can serve the model now (503, a fault).
    public static let allChannelsFailed = "all_channels_failed"
    /// The provider did not answer in time (504, a fault).
    public static let timeout = "timeout_error"
    /// No such route (404).
    public static let notFound = "not_found_error"
}

/// `error.code` values: TokenLab's validation and lookup codes, those of its own errors and faults,
/// and those of the fake's own endpoints. `validation_errors[].code` uses the same values.
public enum ErrorCode {
    // MARK: CONFIRMED (docs/tokenlab.md §7.2)

    /// The model id or alias is not in the catalog (400 on a create, 404 on the model routes).
    public static let modelNotFound = "model_not_found"
    /// A field outside the model's contract for the operation.
    public static let unsupportedParameter = "unsupported_parameter"
    /// More input images than the model takes.
    public static let tooManyImages = "too_many_images"
    /// The body, an upload or a fetched reference is over its size limit (413).
    public static let payloadTooLarge = "payload_too_large"
    /// No key, or a malformed one (401).
    public static let invalidAPIKey = "invalid_api_key"
    /// The task id is unknown to the fake or has expired (404).
    public static let asyncTaskNotFound = "async_task_not_found"
    /// The task belongs to another key (403).
    public static let taskNotOwned = "task_not_owned"
    /// Image tasks cannot be cancelled (400).
    public static let unsupportedTaskCancel = "unsupported_task_cancel"
    /// The task is running or finished, so it can no longer be cancelled (409).
    public static let taskNotCancellable = "task_not_cancellable"

    // MARK: ASSUMED validation codes (docs/tokenlab.md §9, A2–A3)

    /// A missing required field: TokenLab shows no code for it (docs/tokenlab.md §7.2), so none is sent.
    public static let missingRequired: String? = nil
    /// A field of another JSON type than the contract's.
    public static let invalidType = "invalid_type"
    /// A field of the right type whose value is refused (enum, range, a file id, a query value).
    public static let invalidValue = "invalid_value"
    /// A string longer than its `maxLength` (the prompt).
    public static let stringTooLong = "string_above_max_length"
    /// The model does not do this operation on this endpoint.
    public static let unsupportedOperation = "unsupported_operation"
    /// The body is not JSON, or not a JSON object.
    public static let invalidJSON = "invalid_json"
    /// A `Content-Type` the endpoint does not read.
    public static let invalidContentType = "invalid_content_type"
    /// The same field sent twice (a JSON key or a multipart part).
    public static let duplicateField = "duplicate_field"
    /// Another spelling of `unsupported_parameter` a TokenLab answer may carry. The fake never sends
    /// it; the `unsupported_field_sent` finding reads both.
    public static let unknownParameter = "unknown_parameter"
    /// An uploaded or fetched image that cannot be decoded, or a file that is not an image.
    public static let invalidImage = "invalid_image"
    /// A reference URL that is malformed, not public, or cannot be fetched.
    public static let invalidImageURL = "invalid_image_url"
    /// A task id that is not of the `ldtask_…` shape.
    public static let invalidTaskID = "invalid_task_id"
    /// No such route or result image (404).
    public static let notFound = "not_found"
    /// A file id unknown to, or not owned by, the caller (issue 14: the docs say only "a not-found error").
    public static let fileNotFound = "file_not_found"

    // MARK: TokenLab's own errors, which the fake stages as faults (docs/tokenlab.md §5)

    /// The key has expired (401).
    public static let expiredAPIKey = "expired_api_key"
    /// The balance is below the request's cost (402).
    public static let insufficientBalance = "insufficient_balance"
    /// The key's spend limit is reached (402).
    public static let quotaExceeded = "quota_exceeded"
    /// The key may not use the model (403).
    public static let modelNotAllowed = "model_not_allowed"
    /// Too many requests for the key (429, with `Retry-After`).
    public static let rateLimitExceeded = "rate_limit_exceeded"
    /// The provider behind TokenLab failed (502).
    public static let upstreamError = "upstream_error"
    /// No channel can serve the model now (503).
    public static let allChannelsFailed = "all_channels_failed"
    /// The delivery tier the request asked for cannot be served now (503).
    public static let deliveryTierUnavailable = "delivery_tier_unavailable"
    /// The provider did not answer in time (504).
    public static let timeout = "timeout"

    // MARK: ASSUMED: what the fake answers where TokenLab's code is not documented

    /// The connection was closed before the answer was complete (a network fault).
    public static let connectionClosed = "connection_closed"
    /// The route exists but not for this method (405).
    public static let methodNotAllowed = "method_not_allowed"

    // MARK: The fake's own endpoints

    /// The control API (`/__fakelab/…`) refused the caller (403).
    public static let controlForbidden = "control_forbidden"
    /// Replay found no recorded answer for the request.
    public static let cassetteMiss = "cassette_miss"
    /// The recorder's upstream answered more than it keeps.
    public static let upstreamTooLarge = "upstream_response_too_large"
    /// The recorder could not reach its upstream.
    public static let upstreamUnreachable = "upstream_unreachable"
}
