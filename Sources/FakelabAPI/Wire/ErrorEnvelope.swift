/// TokenLab's error envelope: `{"error":{"message","type","code"?,"param"?,…},"validation_errors"?:[…]}`.
///
/// `code` and `param` are left out when absent (the published schema types them as strings,
/// not nullable). Hints (`did_you_mean`, `supported_parameters`, `retry_after`, …) are extra
/// members of `error`.
public struct ErrorEnvelope: Sendable, Equatable {
    public var status: Int
    public var type: String
    public var message: String
    public var code: String?
    public var param: String?
    public var extra: [String: JSONValue]
    public var validationErrors: [Violation]?

    public init(
        status: Int,
        type: String,
        message: String,
        code: String? = nil,
        param: String? = nil,
        extra: [String: JSONValue] = [:],
        validationErrors: [Violation]? = nil
    ) {
        self.status = status
        self.type = type
        self.message = message
        self.code = code
        self.param = param
        self.extra = extra
        self.validationErrors = validationErrors
    }

    /// At most this many `validation_errors`: a body of 10,000 unknown fields otherwise gets a
    /// 2.8 MB answer (found by the fuzz corpus). A fake-side bound; TokenLab's is not documented.
    public static let maxValidationErrors = 100

    /// The first violation becomes `error`; the first `maxValidationErrors` become `validation_errors`.
    public init(violations: [Violation]) {
        let first = violations.first ?? Violation(code: nil, param: nil, message: "Invalid request")
        self.init(
            status: first.status,
            type: first.type,
            message: first.message,
            code: first.code,
            param: first.param,
            extra: first.hints,
            validationErrors: Array(violations.prefix(Self.maxValidationErrors))
        )
    }

    public var json: JSONValue {
        var error = extra
        error["message"] = .string(message)
        error["type"] = .string(type)
        if let code { error["code"] = .string(code) }
        if let param { error["param"] = .string(param) }
        var body: [String: JSONValue] = ["error": .object(error)]
        if let validationErrors {
            body["validation_errors"] = .array(
                validationErrors.map { v in
                    var item: [String: JSONValue] = ["message": .string(v.message)]
                    if let p = v.param { item["field"] = .string(p) }
                    if let c = v.code { item["code"] = .string(c) }
                    return .object(item)
                }
            )
        }
        return .object(body)
    }
}
