import FakelabAPI

/// `retry_gap`: requests to `route` (default `create`) came at least twice, each at least
/// `min_seconds` (default 1, slack 50 ms) after the one before, arrival to arrival.
public struct RetryGapCheck: Check {
    public init() {}
    public let name = "retry_gap"
    public let arguments = [
        CheckArgument("min_seconds", .number, "the shortest gap allowed; default 1"),
        CheckArgument("route", .route, "which requests; default create"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let (route, min) = (a.route(), a.double("min_seconds") ?? 1)
        let matching = input.journal.filter(route.matches)
        guard matching.count >= 2 else {
            return Judgement(
                passed: false,
                expected: "a retry of \(route) at least \(min) s after the previous attempt",
                actual: "\(matching.count) request(s): no retry",
                requests: matching.map(\.seq)
            )
        }
        let pairs = Array(zip(matching, matching.dropFirst()))
        let gaps = pairs.map { $1.time - $0.time }
        let short = pairs.indices.filter { gaps[$0] + 0.05 < min }
        return Judgement(
            passed: short.isEmpty,
            expected: "every retry of \(route) ≥ \(min) s after the previous attempt",
            actual: "gaps " + gaps.map(Evidence.seconds).joined(separator: ", ") + (short.isEmpty ? "" : " (too short: \(short.count))"),
            requests: short.flatMap { [pairs[$0].0.seq, pairs[$0].1.seq] }
        )
    }
}
