import FakelabAPI

/// `result_request_id`: the result file's `request_id` is the `X-Request-ID` of a request the client made.
public struct ResultRequestIDCheck: Check {
    public init() {}
    public let name = "result_request_id"
    public let needsClient = true
    public let arguments: [CheckArgument] = []

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let expected = "request_id of a request the client made (X-Request-ID)"
        guard let client = input.client else { return .noClient(expected) }
        let got = client.result?["request_id"]?.stringValue
        let match = input.journal.first { !$0.requestID.isEmpty && $0.requestID == got }
        return Judgement(passed: match != nil, expected: expected, actual: got ?? "absent", requests: match.map { [$0.seq] } ?? [])
    }
}
