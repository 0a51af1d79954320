import FakelabAPI
import FakelabHTTP
import HTTPTypes
import Hummingbird

/// TokenLab's error answers, in the exact shapes docs/tokenlab.md §7.2 and §7.3 give.
enum FaultResponses {
    /// The error a fault stands for, or nil for network faults (which shape the connection instead).
    static func error(_ fault: FaultSpec, model: String?, now: Double) -> APIError? {
        switch fault.name {
        case .invalidAPIKey, .expiredAPIKey, .insufficientBalance, .quotaExceeded, .modelNotAllowed:
            return accountError(fault, model: model)
        case .rateLimited, .allChannelsFailed, .deliveryTierUnavailable:
            return capacityError(fault, model: model, now: now)
        case .payloadTooLarge, .serverError, .upstreamError, .timeout:
            return failureError(fault)
        case .taskFailed, .delay, .dribble, .reset, .emptyReply, .truncate, .malformedJSON, .wrongContentType, .hang, .expiredURL:
            return nil
        }
    }

    /// The key, billing and permission answers (401, 402, 403); nil for a fault of another family.
    private static func accountError(_ fault: FaultSpec, model: String?) -> APIError? {
        switch fault.name {
        case .invalidAPIKey:
            return .invalidAPIKey
        case .expiredAPIKey:
            return APIError(status: 401, type: ErrorType.expiredAPIKey, code: ErrorCode.expiredAPIKey, message: "API key has expired")
        case .insufficientBalance:
            return APIError(
                status: 402,
                type: ErrorType.insufficientBalance,
                code: ErrorCode.insufficientBalance,
                message: fault.parameters["message"] ?? "Insufficient balance. Please top up your account.",
                extra: [
                    "balance_usd": .double(fault.number("balance_usd") ?? 0.01),
                    "estimated_cost_usd": .double(fault.number("estimated_cost_usd") ?? 0.04),
                    "suggestions": [["id": "grok-imagine-image"]], "hint": "Top up your balance or choose a cheaper model",
                ]
            )
        case .quotaExceeded:
            return APIError(
                status: 402,
                type: ErrorType.quotaExceeded,
                code: ErrorCode.quotaExceeded,
                message: "This API key has reached its spend limit"
            )
        case .modelNotAllowed:
            var extra: [String: JSONValue] = [:]
            if let model { extra["model"] = .string(model) }
            return APIError(
                status: 403,
                type: ErrorType.permission,
                code: ErrorCode.modelNotAllowed,
                message: "This API key is not allowed to use this model",
                extra: extra
            )
        default:
            return nil
        }
    }

    /// The rate-limit and no-capacity answers (429, 503), each with its `Retry-After`; nil for a
    /// fault of another family.
    private static func capacityError(_ fault: FaultSpec, model: String?, now: Double) -> APIError? {
        switch fault.name {
        case .rateLimited:
            let retry = fault.number("retry_after") ?? 1
            return rateLimited(
                retryAfter: retry,
                limit: Int(fault.number("limit") ?? 1000),
                reset: Int(now + retry),
                now: now,
                format: fault.retryAfterFormat
            )
        case .allChannelsFailed:
            let retry = fault.number("retry_after") ?? 5
            var error = APIError(
                status: 503,
                type: ErrorType.allChannelsFailed,
                code: ErrorCode.allChannelsFailed,
                message: "All channels for this model are temporarily unavailable",
                extra: [
                    "retryable": .bool(fault.parameters["retryable"] != "false"), "retry_after": .double(retry),
                    "alternatives": [["id": "nano-banana-2", "status": "available", "tags": ["image"]]],
                ]
            )
            error.headers[.retryAfter] = fault.retryAfterFormat.header(seconds: retry, now: now)
            return error
        case .deliveryTierUnavailable:
            var error = deliveryTierUnavailable(model: model, tier: fault.parameters["tier"])
            error.headers[.retryAfter] = fault.retryAfterFormat.header(seconds: fault.number("retry_after") ?? 5, now: now)
            return error
        default:
            return nil
        }
    }

    /// The request-size, server and upstream failures (413, 500, 502, 504); nil for a fault of
    /// another family.
    private static func failureError(_ fault: FaultSpec) -> APIError? {
        switch fault.name {
        case .payloadTooLarge:
            return .payloadTooLarge(limit: Limits.default.maxBodyBytes)
        case .serverError:
            return .unexpected
        case .upstreamError:
            return APIError(
                status: 502,
                type: ErrorType.upstream,
                code: ErrorCode.upstreamError,
                message: "The upstream provider returned an error",
                extra: ["retryable": true]
            )
        case .timeout:
            return APIError(
                status: 504,
                type: ErrorType.timeout,
                code: ErrorCode.timeout,
                message: "The request timed out upstream",
                extra: ["retryable": true]
            )
        default:
            return nil
        }
    }

    /// 503 when the asked `X-TokenLab-Delivery-Policy` tier cannot serve the model now (the
    /// published `DeliveryUnavailable` example).
    static func deliveryTierUnavailable(model: String?, tier: String?) -> APIError {
        APIError(
            status: 503,
            type: ErrorType.allChannelsFailed,
            code: ErrorCode.deliveryTierUnavailable,
            message:
                "The requested \(tier.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? "Delivery") tier is temporarily unavailable for model \(model ?? "this model").",
            extra: ["retryable": true]
        )
    }

    static func rateLimited(retryAfter: Double, limit: Int, reset: Int, now: Double = 0, format: RetryAfterFormat = .seconds) -> APIError {
        var error = APIError(
            status: 429,
            type: ErrorType.rateLimit,
            code: ErrorCode.rateLimitExceeded,
            message: "Rate limit exceeded. Please slow down.",
            extra: ["retryable": true, "retry_after": .double(retryAfter), "hint": "Wait retry_after seconds before retrying"]
        )
        error.headers[.retryAfter] = format.header(seconds: retryAfter, now: now)
        error.headers[.xRateLimitLimit] = String(limit)
        error.headers[.xRateLimitRemaining] = "0"
        error.headers[.xRateLimitReset] = String(reset)
        return error
    }
}
