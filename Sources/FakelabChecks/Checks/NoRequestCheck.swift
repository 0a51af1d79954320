import FakelabAPI

/// `no_request`: no request to `route` (default `create`).
public struct NoRequestCheck: Check {
    public init() {}
    public let name = "no_request"
    public let arguments = [CheckArgument("route", .route, "which requests; default create")]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let route = Arguments(arguments).route()
        let matching = input.journal.filter(route.matches)
        return Judgement(
            passed: matching.isEmpty,
            expected: "no request to \(route)",
            actual: matching.isEmpty ? "none" : Evidence.describe(matching),
            requests: matching.map(\.seq)
        )
    }
}
