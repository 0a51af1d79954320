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
