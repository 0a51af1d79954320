import FakelabAPI

/// `result_status`: the client's result file says `"status": equals` (default `succeeded`).
public struct ResultStatusCheck: Check {
    public init() {}
    public let name = "result_status"
    public let needsClient = true
    public let arguments = [CheckArgument("equals", .string, "the status expected; default succeeded")]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let want = Arguments(arguments).string("equals") ?? "succeeded"
        let expected = "result status \"\(want)\""
        guard let client = input.client else { return .noClient(expected) }
        let got = client.result?["status"]?.stringValue
        return Judgement(passed: got == want, expected: expected, actual: got.map { "\"\($0)\"" } ?? (client.resultProblem ?? "no status"))
    }
}
