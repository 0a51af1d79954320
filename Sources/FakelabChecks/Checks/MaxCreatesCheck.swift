import FakelabAPI

/// `max_creates`: at most `count` (default 1) image create requests.
public struct MaxCreatesCheck: Check {
    public init() {}
    public let name = "max_creates"
    public let arguments = [CheckArgument("count", .integer, "the most creates allowed; default 1")]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let creates = input.journal.filter(RoutePattern.create.matches)
        let max = Arguments(arguments).int("count") ?? 1
        return Judgement(
            passed: creates.count <= max,
            expected: "at most \(max) create request(s)",
            actual: "\(creates.count): " + Evidence.describe(creates),
            requests: creates.map(\.seq)
        )
    }
}
