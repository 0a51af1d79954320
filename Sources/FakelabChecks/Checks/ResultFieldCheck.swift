import FakelabAPI

/// `result_field`: the result file has `field` (a dotted path), equal to `equals` when given.
public struct ResultFieldCheck: Check {
    public init() {}
    public let name = "result_field"
    public let needsClient = true
    public let arguments = [
        CheckArgument("field", .string, "dotted path into the result file, e.g. error.code"),
        CheckArgument("equals", .any, "the value expected; without it the field must be present and not null"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let field = a.string("field") ?? ""
        let want = a["equals"]
        let expected = want.map { "\(field) = \($0.serializedString())" } ?? "\(field) present in the result file"
        guard let client = input.client else { return .noClient(expected) }
        let got = field.split(separator: ".").reduce(client.result) { v, k in v?[String(k)] }
        let actual = got?.serializedString() ?? "absent"
        if let want { return Judgement(passed: got == want, expected: expected, actual: actual) }
        return Judgement(passed: got != nil && got != .null, expected: expected, actual: actual)
    }
}
