/// A fault to stage: an error TokenLab can send, or the network misbehaving.
///
/// Text form (header `X-Fakelab-Fault`, rules, `--faults` file): `NAME[; key=value…]`,
/// e.g. `rate_limited; retry_after=2`, `delay; ms=300`, `task_failed; reason=content_policy`.
public struct FaultSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Name: String, Sendable, CaseIterable {
        // TokenLab errors (docs/tokenlab.md §7.2)
        case invalidAPIKey = "invalid_api_key"
        case expiredAPIKey = "expired_api_key"
        case insufficientBalance = "insufficient_balance"
        case quotaExceeded = "quota_exceeded"
        case modelNotAllowed = "model_not_allowed"
        case payloadTooLarge = "payload_too_large"
        case rateLimited = "rate_limited"
        case serverError = "server_error"
        case upstreamError = "upstream_error"
        case allChannelsFailed = "all_channels_failed"
        case deliveryTierUnavailable = "delivery_tier_unavailable"
        case timeout
        // Task outcome
        case taskFailed = "task_failed"
        // Network
        case delay, dribble, reset
        case emptyReply = "empty_reply"
        case truncate
        case malformedJSON = "malformed_json"
        case wrongContentType = "wrong_content_type"
        case hang
        case expiredURL = "expired_url"
    }

    public var name: Name
    public var parameters: [String: String]

    public init(_ name: Name, _ parameters: [String: String] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    public init(parsing text: String) throws(FaultParseError) {
        let pieces = text.split(separator: ";").map { String($0.trimmingWhitespace()) }
        guard let first = pieces.first, let name = Name(rawValue: first) else {
            throw .unknownFault(pieces.first ?? "")
        }
        var params: [String: String] = [:]
        for piece in pieces.dropFirst() where !piece.isEmpty {
            let kv = piece.split(separator: "=", maxSplits: 1).map { String($0.trimmingWhitespace()) }
            guard kv.count == 2, !kv[0].isEmpty else { throw .invalidParameter("'\(piece)' is not key=value") }
            params[kv[0]] = kv[1]
        }
        self.init(name, params)
        try validate()
    }

    public func number(_ key: String) -> Double? { parameters[key].flatMap(Double.init) }

    private func validate() throws(FaultParseError) {
        // Bounds keep every value convertible to a duration or an integer (and a test run short).
        let bounds: [String: Double] = [
            "ms": 600_000, "min_ms": 600_000, "max_ms": 600_000, "median_ms": 600_000, "sigma": 10,
            "retry_after": 86_400, "bytes": 1_073_741_824, "interval_ms": 60_000, "max_s": 3_600,
            "balance_usd": 1e9, "estimated_cost_usd": 1e9, "limit": 1e9, "seed": 1e15,
        ]
        for (key, maximum) in bounds {
            if let v = parameters[key], Double(v).map({ $0 >= 0 && $0 <= maximum }) != true {
                throw .invalidParameter("\(key)=\(v) must be a number from 0 to \(maximum.compactText)")
            }
        }
        if name == .taskFailed, let reason = parameters["reason"], TaskPolicy.Failure(rawValue: reason) == nil {
            throw .invalidParameter("reason=\(reason) is not one of \(TaskPolicy.Failure.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let retryable = parameters["retryable"], retryable != "true", retryable != "false" {
            throw .invalidParameter("retryable=\(retryable) is not true or false")
        }
        if let format = parameters["retry_after_format"], RetryAfterFormat(rawValue: format) == nil {
            throw .invalidParameter("retry_after_format=\(format) is not seconds or http-date")
        }
        if name == .delay, let dist = parameters["dist"], !["fixed", "uniform", "lognormal"].contains(dist) {
            throw .invalidParameter("dist=\(dist) is not fixed, uniform or lognormal")
        }
    }

    /// How the fault's `Retry-After` header is written (TokenLab's own clients read both forms).
    public var retryAfterFormat: RetryAfterFormat { parameters["retry_after_format"].flatMap(RetryAfterFormat.init(rawValue:)) ?? .seconds }

    public var description: String {
        ([name.rawValue] + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }).joined(separator: "; ")
    }
}

/// A fault text, rule or rules file that cannot be used, and why. Kinds compare equal whatever
/// their details (`error == .unknownFault`); `description` says what is wrong.
public struct FaultParseError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case unknownFault, invalidParameter, invalidRule, unreadableFile
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: FaultParseError, rhs: FaultParseError) -> Bool { lhs.code == rhs.code }

    /// The fault's name is not one of `FaultSpec.Name`.
    public static var unknownFault: FaultParseError { FaultParseError(.unknownFault, "unknown fault") }
    /// A `key=value` piece is malformed or its value is out of range.
    public static var invalidParameter: FaultParseError { FaultParseError(.invalidParameter, "invalid fault parameter") }
    /// A rule object has an unknown field or a field of the wrong type.
    public static var invalidRule: FaultParseError { FaultParseError(.invalidRule, "invalid fault rule") }
    /// A rules file cannot be read, is not JSON, or has no `rules` array.
    public static var unreadableFile: FaultParseError { FaultParseError(.unreadableFile, "unreadable rules file") }

    static func unknownFault(_ name: String) -> FaultParseError {
        FaultParseError(.unknownFault, "unknown fault '\(name)'; known: \(FaultSpec.Name.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    static func invalidParameter(_ problem: String) -> FaultParseError { FaultParseError(.invalidParameter, problem) }
    static func invalidRule(_ problem: String) -> FaultParseError { FaultParseError(.invalidRule, problem) }
    static func unreadableFile(_ problem: String) -> FaultParseError { FaultParseError(.unreadableFile, problem) }
    /// `error`, found in the `index`-th rule of the file at `path` (keeps its kind).
    static func inRule(_ index: Int, of path: String, _ error: FaultParseError) -> FaultParseError {
        FaultParseError(error.code, "\(path): rules[\(index)]: \(error.description)")
    }
}

/// `Retry-After` as delta-seconds or as an HTTP-date (RFC 9110 §10.2.3).
public enum RetryAfterFormat: String, Sendable, CaseIterable {
    case seconds
    case httpDate = "http-date"

    /// The header value for a wait of `seconds` from `now` (seconds since 1970).
    public func header(seconds: Double, now: Double) -> String {
        switch self {
        case .seconds: String(Int(seconds.rounded(.up)))
        case .httpDate: HTTPDate.format(now + seconds.rounded(.up))
        }
    }

    /// Seconds to wait from `now`, from either form; nil when the value is neither.
    public static func seconds(from header: String, now: Double) -> Double? {
        if let seconds = Double(header), seconds >= 0 { return seconds }
        return HTTPDate.parse(header).map { max(0, $0 - now) }
    }
}
