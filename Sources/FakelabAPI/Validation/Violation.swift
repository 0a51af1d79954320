/// One reason a request is refused. The validator collects all of them; the first becomes
/// `error`, all of them `validation_errors`.
public struct Violation: Sendable, Equatable {
    public var status: Int
    public var type: String
    public var code: String?
    public var param: String?
    public var message: String
    /// Extra members of the error object: `supported_parameters`, `did_you_mean`, …
    public var hints: [String: JSONValue]

    public init(
        status: Int = 400,
        type: String = ErrorType.invalidRequest,
        code: String?,
        param: String?,
        message: String,
        hints: [String: JSONValue] = [:]
    ) {
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.message = message
        self.hints = hints
    }
}

/// A refused request: every violation found, in order.
public struct ValidationFailure: Error, Sendable {
    public var violations: [Violation]
    public init(violations: [Violation]) { self.violations = violations }
}

/// TokenLab's `error.type` values used by the fake.
public enum ErrorType {
    public static let invalidRequest = "invalid_request_error"
    public static let invalidAPIKey = "invalid_api_key"
    public static let expiredAPIKey = "expired_api_key"
    public static let permission = "permission_error"
    public static let insufficientBalance = "insufficient_balance"
    public static let quotaExceeded = "quota_exceeded"
    public static let rateLimit = "rate_limit_exceeded"
    public static let server = "server_error"
    public static let upstream = "upstream_error"
    public static let allChannelsFailed = "all_channels_failed"
    public static let timeout = "timeout_error"
    public static let notFound = "not_found_error"
}

/// `error.code` values. Those TokenLab documents are CONFIRMED in docs/tokenlab.md §7.2; the rest are
/// ASSUMED and live only here, so a recording that shows otherwise changes one line.
public enum ErrorCode {
    // CONFIRMED
    public static let modelNotFound = "model_not_found"
    public static let unsupportedParameter = "unsupported_parameter"
    public static let tooManyImages = "too_many_images"
    public static let payloadTooLarge = "payload_too_large"
    public static let invalidAPIKey = "invalid_api_key"
    public static let asyncTaskNotFound = "async_task_not_found"
    public static let taskNotOwned = "task_not_owned"
    public static let unsupportedTaskCancel = "unsupported_task_cancel"
    public static let taskNotCancellable = "task_not_cancellable"
    // ASSUMED: TokenLab shows no code for a missing required field (docs/tokenlab.md §7.2), so none is sent.
    public static let missingRequired: String? = nil
    // ASSUMED (undocumented codes)
    public static let invalidType = "invalid_type"
    public static let invalidValue = "invalid_value"
    public static let stringTooLong = "string_above_max_length"
    public static let unsupportedOperation = "unsupported_operation"
    public static let invalidJSON = "invalid_json"
    public static let invalidContentType = "invalid_content_type"
    public static let duplicateField = "duplicate_field"
    public static let invalidImage = "invalid_image"
    public static let invalidImageURL = "invalid_image_url"
    public static let invalidTaskID = "invalid_task_id"
    public static let notFound = "not_found"
    // ASSUMED (issue 14): a file id unknown to, or not owned by, the caller (the docs say only
    // "a not-found error").
    public static let fileNotFound = "file_not_found"
}
